"""Export compliance: growing areas and packing facilities with the codes they were
issued, their approvals per importing market, inspections, and the production diary.

Codes are kept exactly as issued (a code of 2024 names a district that no longer
exists); code schemes, markets, minimum sizes per crop and substance lists are data with
dates (`reference.py` loads the shipped ones), never constants in the rules below.
"""

import datetime
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ocophub.accounts.models import Role
from ocophub.accounts.scoping import ScopedQuerySet
from ocophub.places.models import Commune
from ocophub.producers.models import Producer
from ocophub.products.models import Product
from ocophub.trace.models import Batch

from . import geometry

# Officials who run the compliance work: they write areas, facilities, approvals and
# inspections in their province. Commune officers and union officers only read.
COMPLIANCE_ROLES = (Role.PROVINCE_OFFICE, Role.INSPECTOR)


def is_compliance_official(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in COMPLIANCE_ROLES))


class ComplianceQuerySet(ScopedQuerySet):
    """Reading as every registry record (territory or own); writing by the compliance
    officials in their province, and by producer accounts for their own records."""

    def editable_by(self, user: Any) -> "ComplianceQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.scoped_to(user, territory=is_compliance_official(user))


class AreaQuerySet(ComplianceQuerySet):
    owner_path = "producer__accounts"
    commune_path = "commune"


class FacilityQuerySet(ComplianceQuerySet):
    owner_path = "operator__accounts"
    commune_path = "commune"


class CodeKind(models.TextChoices):
    GROWING_AREA = "area", _("growing area code")
    PACKING_FACILITY = "facility", _("packing facility code")


class CodeScheme(models.Model):
    """A format of code an authority issues: data, so a new format is a new row."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=CodeKind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    pattern = models.CharField(_("pattern (regular expression)"), max_length=300)
    example = models.CharField(_("example"), max_length=60)
    issuer = models.CharField(_("issuer"), max_length=200)
    since = models.DateField(_("issued since"), null=True, blank=True)
    until = models.DateField(_("issued until"), null=True, blank=True)
    unconfirmed = models.BooleanField(_("unconfirmed"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("code scheme")
        verbose_name_plural = _("code schemes")
        ordering = ["kind", "key"]

    def __str__(self) -> str:
        return self.name

    def matches(self, code: str) -> bool:
        return re.fullmatch(self.pattern, code) is not None

    @classmethod
    def recognise(cls, code: str, kind: str) -> "CodeScheme | None":
        for scheme in cls.objects.filter(kind=kind):
            if scheme.matches(code):
                return scheme
        return None


class Market(models.Model):
    """An importing market (a country or a union of them)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    # Whether a consignment must also pass through a packing facility approved for the
    # market (data: the rule differs by market and is not confirmed for each).
    requires_packing_code = models.BooleanField(_("requires a packing facility code"), default=True)

    class Meta:
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Crop(models.Model):
    """A crop, with the minimum size of a growing area for it (data with its source)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    perennial = models.BooleanField(_("perennial"), default=False)
    min_area_ha = models.DecimalField(
        _("minimum area (ha)"), max_digits=8, decimal_places=3, default=Decimal("0")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    unconfirmed = models.BooleanField(_("unconfirmed"), default=True)

    class Meta:
        verbose_name = _("crop")
        verbose_name_plural = _("crops")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class Standard(models.TextChoices):
    NONE = "", _("none")
    VIETGAP = "vietgap", "VietGAP"
    GLOBALGAP = "globalgap", "GlobalG.A.P."
    ORGANIC = "organic", _("organic")


class CodeStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")
    RETIRED = "retired", _("retired")


# The legal changes of a code's own status (each market approval has its lifecycle too).
# A suspended code is reinstated, an expired one renewed; revoked and retired are final.
CODE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CodeStatus.ACTIVE: (
        CodeStatus.SUSPENDED,
        CodeStatus.REVOKED,
        CodeStatus.EXPIRED,
        CodeStatus.RETIRED,
    ),
    CodeStatus.SUSPENDED: (CodeStatus.ACTIVE, CodeStatus.REVOKED, CodeStatus.RETIRED),
    CodeStatus.EXPIRED: (CodeStatus.ACTIVE, CodeStatus.RETIRED),
    CodeStatus.REVOKED: (),
    CodeStatus.RETIRED: (),
}

# A code in these states still holds its ground: a new area may not overlap it.
HOLDS_GROUND = (CodeStatus.ACTIVE, CodeStatus.SUSPENDED)


class CodeHolder:
    """The status history of a growing area's or packing facility's code: every change
    is a `CodeEvent` with who, when and why, made by `grant` and `change_status` only,
    and `status_on` answers for any date from that history."""

    code: str
    status: str
    pk: Any

    @property
    def holder_kind(self) -> str:
        return "area" if isinstance(self, GrowingArea) else "facility"

    def history(self) -> list["CodeEvent"]:
        # Read through .all() so a list of many codes can prefetch the events.
        return sorted(self.code_events.all(), key=lambda e: (e.on, e.at, e.pk))  # type: ignore[attr-defined]

    def status_on(self, day: datetime.date) -> str | None:
        """The code's status on `day` by its history; None before it was granted. A
        code without events (written straight to the table: migration 0003 gave the
        older ones a history) answers its stored status, whatever the date."""
        events = self.history()
        if not events:
            return self.status
        before = [e for e in events if e.on <= day]
        return before[-1].to_status if before else None

    def status_since(self, day: datetime.date) -> datetime.date | None:
        """The date of the change that gave the status `day` has."""
        before = [e for e in self.history() if e.on <= day]
        return before[-1].on if before else None

    def next_statuses(self) -> tuple[str, ...]:
        return CODE_TRANSITIONS[self.status]

    def grant(self, user: Any, on: datetime.date | None = None, reason: str = "") -> "CodeEvent":
        """The first row of the history: the code issued, in use from `on`."""
        if CodeEvent.objects.filter(**{self.holder_kind: self}).exists():
            raise ValidationError(_("%(code)s already has a status history.") % {"code": self.code})
        return CodeEvent.objects.create(
            **{self.holder_kind: self},
            from_status="",
            to_status=CodeStatus.ACTIVE,
            on=on or timezone.localdate(),
            by=user if user is not None and user.is_authenticated else None,
            reason=reason,
        )

    def change_status(
        self,
        status: str,
        user: Any,
        reason: str,
        on: datetime.date | None = None,
        inspection: "Inspection | None" = None,
    ) -> "CodeEvent":
        """Change the code's status if the lifecycle allows it, with who, when and why,
        the row and its history in one transaction."""
        on = on or timezone.localdate()
        reason = (reason or "").strip()
        with transaction.atomic():
            # Locked and re-read, so two officials changing it at once cannot both win.
            locked = type(self).objects.select_for_update().get(pk=self.pk)  # type: ignore[attr-defined]
            current = locked.status
            if status not in CodeStatus.values or status not in CODE_TRANSITIONS[current]:
                allowed = ", ".join(str(CodeStatus(s).label) for s in CODE_TRANSITIONS[current])
                raise ValidationError(
                    {
                        "status": _(
                            "A code that is %(now)s cannot become %(then)s "
                            "(it can become: %(allowed)s)."
                        )
                        % {
                            "now": CodeStatus(current).label,
                            "then": CodeStatus(status).label
                            if status in CodeStatus.values
                            else status,
                            "allowed": allowed or _("nothing, it is final"),
                        }
                    }
                )
            errors: dict[str, Any] = {}
            if not reason:
                errors["reason"] = _("Say why.")
            last = CodeEvent.objects.filter(**{self.holder_kind: self}).order_by("-on").first()
            if last is not None and on < last.on:
                errors["on"] = _("A change cannot be dated before the last one (%(day)s).") % {
                    "day": date_format(last.on)
                }
            if errors:
                raise ValidationError(errors)
            event = CodeEvent.objects.create(
                **{self.holder_kind: self},
                from_status=current,
                to_status=status,
                on=on,
                by=user if user is not None and user.is_authenticated else None,
                reason=reason[:300],
                inspection=inspection,
            )
            type(self).objects.filter(pk=self.pk).update(status=status)  # type: ignore[attr-defined]
            self.status = status
        return event


class GrowingArea(CodeHolder, models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True)
    scheme = models.ForeignKey(
        CodeScheme, verbose_name=_("code scheme"), on_delete=models.PROTECT, related_name="+"
    )
    crop = models.ForeignKey(Crop, verbose_name=_("crop"), on_delete=models.PROTECT)
    variety = models.CharField(_("variety"), max_length=100, blank=True)
    producer = models.ForeignKey(
        Producer, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="growing_areas"
    )
    # Kept as made: a commune of before July 2025 stays, and shows what it became.
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    standard = models.CharField(
        _("standard applied"), max_length=10, choices=Standard.choices, blank=True
    )
    expected_yield_kg = models.DecimalField(
        _("expected yield per season (kg)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CodeStatus.choices, default=CodeStatus.ACTIVE
    )
    sample = models.BooleanField(_("sample data"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("growing area")
        verbose_name_plural = _("growing areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def boundary_on(self, day: datetime.date) -> "Boundary | None":
        return self.boundaries.valid_on(day).first()

    @property
    def current_boundary(self) -> "Boundary | None":
        return self.boundary_on(timezone.localdate())


class BoundaryQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "BoundaryQuerySet":
        return self.filter(
            Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def overlapping_period(
        self, start: datetime.date, end: datetime.date | None
    ) -> "BoundaryQuerySet":
        q = Q(valid_until__isnull=True) | Q(valid_until__gte=start)
        if end is not None:
            q &= Q(valid_from__lte=end)
        return self.filter(q)


class BoundarySource(models.TextChoices):
    DRAWN = "drawn", _("drawn on the map")
    GEOJSON = "geojson", "GeoJSON"
    KML = "kml", "KML"
    SHAPEFILE = "shapefile", _("shapefile")
    API = "api", "API"


class Boundary(models.Model):
    """One version of an area's boundary, valid over a period: redrawing closes the
    current version the day before the new one starts, so history is never lost."""

    area = models.ForeignKey(GrowingArea, on_delete=models.CASCADE, related_name="boundaries")
    geojson = models.TextField(_("boundary (GeoJSON, WGS84)"))
    area_ha = models.DecimalField(_("area (ha)"), max_digits=12, decimal_places=4)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Bounding box, so the overlap check compares exact shapes only for candidates.
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    source = models.CharField(_("source"), max_length=10, choices=BoundarySource.choices)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BoundaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        ordering = ["area", "-valid_from"]
        indexes = [models.Index(fields=["min_lon", "max_lon"], name="boundary_bbox_lon")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="boundary_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.valid_from}"

    @property
    def shape(self) -> geometry.MultiPolygon:
        return geometry.load(self.geojson)

    def set_shape(self, shape: geometry.MultiPolygon) -> None:
        self.geojson = geometry.to_geojson(shape)
        self.area_ha = Decimal(str(round(geometry.area_ha(shape), 4)))
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = shape.bounds


class Household(models.Model):
    """A farmer household farming inside a growing area."""

    area = models.ForeignKey(GrowingArea, on_delete=models.CASCADE, related_name="households")
    name = models.CharField(_("head of household"), max_length=120)
    plot_ha = models.DecimalField(
        _("plot (ha)"), max_digits=8, decimal_places=3, null=True, blank=True
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PackingFacility(CodeHolder, models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True)
    scheme = models.ForeignKey(
        CodeScheme, verbose_name=_("code scheme"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    operator = models.ForeignKey(
        Producer, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="facilities"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    gln = models.CharField(_("GLN"), max_length=13, blank=True, db_index=True)
    capacity_t_per_day = models.DecimalField(
        _("capacity (tonnes a day)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    crops = models.ManyToManyField(Crop, verbose_name=_("crops packed"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CodeStatus.choices, default=CodeStatus.ACTIVE
    )
    sample = models.BooleanField(_("sample data"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("packing facility")
        verbose_name_plural = _("packing facilities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class CodeMove(models.TextChoices):
    """How a change of a code's status reads in its history."""

    GRANTED = "granted", _("granted")
    SUSPENDED = "suspended", _("suspended")
    REINSTATED = "reinstated", _("reinstated")
    RENEWED = "renewed", _("renewed")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")
    RETIRED = "retired", _("retired")


class OfOneCode:
    """A record about one code: a growing area's or a packing facility's, never both
    (`of_one_code` tells the database so)."""

    area_id: int | None

    @property
    def holder(self) -> "GrowingArea | PackingFacility":
        return self.area if self.area_id else self.facility  # type: ignore[attr-defined]


def of_one_code(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(area__isnull=False) & Q(facility__isnull=True))
        | (Q(area__isnull=True) & Q(facility__isnull=False)),
        name=name,
    )


class StatusChange(models.Model):
    """One step of a record's status history: the day it takes effect, when it was
    written and by whom, and the inspection that caused it, if one did."""

    on = models.DateField(_("effective on"))
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection = models.ForeignKey(
        "Inspection", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["on", "at", "pk"]


class CodeEvent(OfOneCode, StatusChange):
    """One change of a code's own status: who made it, from when, and why."""

    area = models.ForeignKey(
        GrowingArea, null=True, blank=True, on_delete=models.CASCADE, related_name="code_events"
    )
    facility = models.ForeignKey(
        PackingFacility,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="code_events",
    )
    from_status = models.CharField(max_length=10, choices=CodeStatus.choices, blank=True)
    to_status = models.CharField(_("status"), max_length=10, choices=CodeStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("code status change")
        verbose_name_plural = _("code status changes")
        constraints = [of_one_code("code_event_of_one_code")]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} ({self.on})"

    @property
    def move(self) -> str:
        if not self.from_status:
            return CodeMove.GRANTED
        if self.to_status == CodeStatus.ACTIVE:
            if self.from_status == CodeStatus.EXPIRED:
                return CodeMove.RENEWED
            return CodeMove.REINSTATED
        return self.to_status

    @property
    def move_label(self) -> str:
        return str(CodeMove(self.move).label)


# Approvals per market ------------------------------------------------------------------


class ApprovalStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    SUBMITTED = "submitted", _("submitted to the authority")
    APPROVED = "approved", _("approved")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")


# The legal moves. Lifting a suspension (suspended -> approved) also needs a follow-up
# inspection without a critical finding (Approval.move checks it).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ApprovalStatus.REQUESTED: (ApprovalStatus.SUBMITTED, ApprovalStatus.REVOKED),
    ApprovalStatus.SUBMITTED: (ApprovalStatus.APPROVED, ApprovalStatus.REVOKED),
    ApprovalStatus.APPROVED: (
        ApprovalStatus.SUSPENDED,
        ApprovalStatus.REVOKED,
        ApprovalStatus.EXPIRED,
    ),
    ApprovalStatus.SUSPENDED: (ApprovalStatus.APPROVED, ApprovalStatus.REVOKED),
    ApprovalStatus.EXPIRED: (ApprovalStatus.SUBMITTED,),
    ApprovalStatus.REVOKED: (),
}


class ApprovalQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ApprovalQuerySet":
        return self.filter(
            Q(area__in=GrowingArea.objects.visible_to(user))
            | Q(facility__in=PackingFacility.objects.visible_to(user))
        )

    def editable_by(self, user: Any) -> "ApprovalQuerySet":
        if not is_compliance_official(user):
            return self.none()
        return self.filter(
            Q(area__in=GrowingArea.objects.editable_by(user))
            | Q(facility__in=PackingFacility.objects.editable_by(user))
        )


class Approval(OfOneCode, models.Model):
    """A code's approval by an importing market for a product (or for everything the
    code yields, when no product is named)."""

    area = models.ForeignKey(
        GrowingArea, null=True, blank=True, on_delete=models.CASCADE, related_name="approvals"
    )
    facility = models.ForeignKey(
        PackingFacility, null=True, blank=True, on_delete=models.CASCADE, related_name="approvals"
    )
    market = models.ForeignKey(Market, verbose_name=_("market"), on_delete=models.PROTECT)
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every product from this code."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.REQUESTED
    )
    reference = models.CharField(_("authority's reference"), max_length=100, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    sample = models.BooleanField(_("sample data"), default=False)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["market__code", "pk"]
        constraints = [of_one_code("approval_of_one_code")]

    def __str__(self) -> str:
        return f"{self.code} · {self.market} · {self.get_status_display()}"

    @property
    def code(self) -> str:
        return self.holder.code

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @classmethod
    def request(
        cls,
        holder: "GrowingArea | PackingFacility",
        market: Market,
        user: Any,
        product: Product | None = None,
        on: datetime.date | None = None,
        **fields: Any,
    ) -> "Approval":
        """A new approval in `requested`, its first history entry made by `user`."""
        kind = "area" if isinstance(holder, GrowingArea) else "facility"
        if cls.objects.filter(**{kind: holder}, market=market, product=product).exists():
            raise ValidationError(
                _("%(code)s already has an approval record for %(market)s and this product.")
                % {"code": holder.code, "market": market.code}
            )
        with transaction.atomic():
            approval = cls.objects.create(
                **{kind: holder}, market=market, product=product, **fields
            )
            approval.events.create(
                from_status="",
                to_status=ApprovalStatus.REQUESTED,
                on=on or timezone.localdate(),
                by=user if user.is_authenticated else None,
            )
        return approval

    def lifting_inspection(self, on: datetime.date) -> "Inspection | None":
        """The follow-up inspection that allows lifting the suspension on `on`: of the
        same code, after the suspension, without a critical finding."""
        inspections = self.holder.inspections.filter(
            kind=InspectionKind.FOLLOW_UP,
            on__gte=self.suspended_on or datetime.date.min,
            on__lte=on,
        ).exclude(findings__severity=Severity.CRITICAL)
        return inspections.order_by("-on", "-pk").first()

    def move(
        self,
        status: str,
        user: Any,
        on: datetime.date | None = None,
        note: str = "",
        inspection: "Inspection | None" = None,
        **fields: Any,
    ) -> "ApprovalEvent":
        """Move to `status` if the lifecycle allows it, recording who and when. Fields:
        `reference`, `approved_on`, `expires_on` (approving), `reason` (suspending,
        revoking)."""
        on = on or timezone.localdate()
        if not self.can_move_to(status):
            allowed = ", ".join(str(ApprovalStatus(s).label) for s in TRANSITIONS[self.status])
            raise ValidationError(
                _(
                    "An approval that is %(now)s cannot become %(then)s "
                    "(it can become: %(allowed)s)."
                )
                % {
                    "now": self.get_status_display(),
                    "then": ApprovalStatus(status).label,
                    "allowed": allowed or _("nothing, it is final"),
                }
            )
        last = self.events.order_by("-on", "-at", "-pk").first()
        if last is not None and on < last.on:
            raise ValidationError(
                {
                    "on": _("A move cannot be dated before the last one (%(day)s).")
                    % {"day": last.on}
                }
            )
        errors = {}
        if status == ApprovalStatus.APPROVED:
            if self.status == ApprovalStatus.SUSPENDED:
                inspection = inspection or self.lifting_inspection(on)
                if inspection is None:
                    raise ValidationError(
                        _(
                            "Lifting the suspension needs a follow-up inspection of %(code)s "
                            "after %(day)s without a critical finding."
                        )
                        % {"code": self.code, "day": self.suspended_on}
                    )
                self.suspended_on = None
                self.reason = ""
            else:
                self.reference = fields.get("reference") or self.reference
                if not self.reference:
                    errors["reference"] = _("Give the authority's reference of the approval.")
                self.approved_on = fields.get("approved_on") or on
                self.expires_on = fields.get("expires_on") or self.expires_on
                if self.expires_on and self.expires_on <= self.approved_on:
                    errors["expires_on"] = _("The expiry must come after the approval date.")
        elif status in (ApprovalStatus.SUSPENDED, ApprovalStatus.REVOKED):
            self.reason = fields.get("reason") or note
            if not self.reason:
                errors["reason"] = _("Say why.")
            if status == ApprovalStatus.SUSPENDED:
                self.suspended_on = on
        if errors:
            raise ValidationError(errors)
        with transaction.atomic():
            event = self.events.create(
                from_status=self.status,
                to_status=status,
                on=on,
                by=user if user is not None and user.is_authenticated else None,
                note=note or self.reason,
                inspection=inspection,
            )
            self.status = status
            self.save()
        return event

    def status_on(self, day: datetime.date) -> str | None:
        """The status the history gives on `day` (None before the request), expiry
        applied: an approval past its expiry date is expired whether or not anyone
        recorded the move."""
        # Read from the events (prefetched by lists of many codes), the latest by then.
        events = [e for e in self.events.all() if e.on <= day]
        if not events:
            return None
        event = max(events, key=lambda e: (e.on, e.at, e.pk))
        status = event.to_status
        if status == ApprovalStatus.APPROVED and self.expires_on and day > self.expires_on:
            return ApprovalStatus.EXPIRED
        return status


class ApprovalEvent(StatusChange):
    """One move of an approval: the record's history, with who made it."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=ApprovalStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ApprovalStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("approval move")
        verbose_name_plural = _("approval moves")

    def __str__(self) -> str:
        return f"{self.approval_id}: {self.from_status} → {self.to_status} ({self.on})"


# Inspections ---------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    SUPERVISION = "supervision", _("supervision visit")
    INSPECTION = "inspection", _("inspection")
    FOLLOW_UP = "follow_up", _("follow-up inspection")


class FindingKind(models.TextChoices):
    PEST = "pest", _("pest detected")
    DIARY_MISSING = "diary_missing", _("production diary missing")
    BANNED_SUBSTANCE = "banned_substance", _("banned substance")
    OVER_YIELD = "over_yield", _("over declared yield")
    BOUNDARY = "boundary", _("boundary differs from the record")
    HYGIENE = "hygiene", _("packing hygiene")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    MINOR = "minor", _("minor")
    MAJOR = "major", _("major")
    CRITICAL = "critical", _("critical")


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "InspectionQuerySet":
        return self.filter(
            Q(area__in=GrowingArea.objects.visible_to(user))
            | Q(facility__in=PackingFacility.objects.visible_to(user))
        )


class Inspection(OfOneCode, models.Model):
    area = models.ForeignKey(
        GrowingArea,
        verbose_name=_("growing area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    facility = models.ForeignKey(
        PackingFacility,
        verbose_name=_("packing facility"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=InspectionKind.choices, default=InspectionKind.SUPERVISION
    )
    on = models.DateField(_("date"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    accuracy_m = models.FloatField(_("position accuracy (m)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_visit = models.DateField(_("next visit due"), null=True, blank=True)
    sample = models.BooleanField(_("sample data"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-on", "-pk"]
        constraints = [of_one_code("inspection_of_one_code")]

    def __str__(self) -> str:
        return f"{self.holder} {self.on}"

    @property
    def has_critical(self) -> bool:
        return self.findings.filter(severity=Severity.CRITICAL).exists()


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("finding"), max_length=20, choices=FindingKind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    market = models.ForeignKey(
        Market,
        verbose_name=_("market concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: every market the code is approved for."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_severity_display()})"


# Production diary ----------------------------------------------------------------------


class SeasonQuerySet(ScopedQuerySet):
    owner_path = "area__producer__accounts"
    commune_path = "area__commune"

    def editable_by(self, user: Any) -> "SeasonQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.scoped_to(user, territory=is_compliance_official(user))


class Season(models.Model):
    area = models.ForeignKey(GrowingArea, on_delete=models.CASCADE, related_name="seasons")
    name = models.CharField(_("season"), max_length=60)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    declared_yield_kg = models.DecimalField(
        _("declared yield (kg)"), max_digits=12, decimal_places=1
    )
    sample = models.BooleanField(_("sample data"), default=False)

    objects = SeasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["area", "-starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="season_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.name}"

    def clean(self) -> None:
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": _("A season cannot end before it starts.")})


class Substance(models.Model):
    """An active ingredient, under its common (ISO) name."""

    name = models.CharField(_("active ingredient"), max_length=120, unique=True)
    cas = models.CharField(_("CAS number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("active ingredient")
        verbose_name_plural = _("active ingredients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def normalise(name: str) -> str:
        return " ".join(name.strip().lower().split())


class ListKind(models.TextChoices):
    PERMITTED = "permitted", _("permitted")
    BANNED = "banned", _("banned")


class SubstanceList(models.Model):
    """A dated list of permitted or banned active ingredients: Vietnam's (no market) or
    an importing market's. Shipped lists are samples until the office imports the
    official ones."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    market = models.ForeignKey(
        Market,
        verbose_name=_("market"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: Vietnam's own list."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ListKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    sample = models.BooleanField(_("sample data"), default=True)

    class Meta:
        verbose_name = _("substance list")
        verbose_name_plural = _("substance lists")
        ordering = ["market__code", "kind", "-valid_from"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_force(cls, day: datetime.date) -> models.QuerySet:
        return cls.objects.filter(
            Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class ListEntry(models.Model):
    substance_list = models.ForeignKey(
        SubstanceList, on_delete=models.CASCADE, related_name="entries"
    )
    substance = models.ForeignKey(Substance, on_delete=models.PROTECT, related_name="entries")
    # Pre-harvest interval: days between the last application and harvest.
    phi_days = models.PositiveIntegerField(_("pre-harvest interval (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        constraints = [
            models.UniqueConstraint(fields=["substance_list", "substance"], name="list_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.substance_list}: {self.substance}"


class Application(models.Model):
    """An input applied in a season: a plant protection product or a fertiliser."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="applications")
    product_name = models.CharField(_("product applied"), max_length=200)
    substances = models.ManyToManyField(
        Substance, verbose_name=_("active ingredients"), blank=True, related_name="applications"
    )
    dose = models.CharField(_("dose"), max_length=100, blank=True)
    applied_on = models.DateField(_("applied on"))
    applied_by = models.CharField(_("applied by"), max_length=120)
    # The label's pre-harvest interval, when longer than the list's.
    phi_days = models.PositiveIntegerField(
        _("pre-harvest interval on the label (days)"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("input applied")
        verbose_name_plural = _("inputs applied")
        ordering = ["applied_on", "pk"]

    def __str__(self) -> str:
        return f"{self.product_name} {self.applied_on}"


class Harvest(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="harvests")
    harvested_on = models.DateField(_("harvested on"))
    quantity_kg = models.DecimalField(_("quantity (kg)"), max_digits=12, decimal_places=1)
    batches = models.ManyToManyField(
        Batch,
        verbose_name=_("batches"),
        blank=True,
        related_name="harvests",
        help_text=_("The batches this harvest fed: a batch so knows its area and season."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("harvest")
        verbose_name_plural = _("harvests")
        ordering = ["harvested_on", "pk"]

    def __str__(self) -> str:
        return f"{self.season} {self.harvested_on}"

    def clean(self) -> None:
        if self.quantity_kg is not None and self.quantity_kg <= 0:
            raise ValidationError({"quantity_kg": _("The quantity must be more than zero.")})
