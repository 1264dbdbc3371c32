"""The farmers' union's work: founding support, member rosters, training, programmes.

Rules live here: a case moves forward through its stages (a registered case carries its
registration number and date), a roster is asked as of a day, a course is completed at
a share of its sessions, a person merged into another counts as that one until the
merge is undone.
"""

import datetime
import secrets
from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ocophub.accounts.scoping import union_territory_q
from ocophub.core.text import fold
from ocophub.market.models import Platform
from ocophub.places.models import Commune
from ocophub.producers.choices import Gender
from ocophub.producers.models import Producer

# --------------------------------------------------------------------------- scope


def may_work(user: Any) -> bool:
    """Union officers (and the province office, which oversees them) keep these records."""
    return user.is_authenticated and (user.is_superuser or user.role in ("union", "province"))


class UnionScopedQuerySet(models.QuerySet):
    commune_path = "commune"

    def visible_to(self, user: Any) -> Self:
        if not may_work(user):
            return self.none()
        q = union_territory_q(user, self.commune_path)
        return self if q is None else self.filter(q).distinct()


# --------------------------------------------------------------------------- people


class Person(models.Model):
    """Someone the union works with. Only what the reports need is kept (Decree
    13/2023): name, gender, ethnicity, a phone or citizen ID to tell people apart."""

    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    citizen_id = models.CharField(_("citizen ID"), max_length=12, blank=True, db_index=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A confirmed duplicate points at the person it was merged into; undoing clears it.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    # Set when the person's data was erased on request: the record stays, anonymous.
    erased_on = models.DateField(_("data erased on"), null=True, blank=True)

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        self.phone = "".join(c for c in self.phone if c.isdigit())
        if self.citizen_id and not (self.citizen_id.isdigit() and len(self.citizen_id) == 12):
            raise ValidationError({"citizen_id": _("A citizen ID has 12 digits.")})

    @property
    def canonical(self) -> "Person":
        return self.merged_into or self

    def citizen_id_for(self, viewer: Any) -> str:
        """The citizen ID in full only for the officer who entered it, masked for others."""
        if not self.citizen_id or (viewer.pk and viewer.pk == self.entered_by_id):
            return self.citizen_id
        return "*" * 8 + self.citizen_id[-4:]

    @property
    def is_ethnic_minority(self) -> bool:
        return bool(self.ethnicity) and fold(self.ethnicity) != "kinh"

    def records(self) -> models.QuerySet:
        """Every record of this human: the one others were merged into and those merged
        into it. A request to export or erase covers them all."""
        one = self.canonical
        return Person.objects.filter(Q(pk=one.pk) | Q(merged_into=one))

    @transaction.atomic
    def erase(self, user: Any) -> None:
        """Erase the person's data on their request (Decree 13/2023): name, gender,
        ethnicity, phone, citizen ID and who entered them, in every record of theirs.
        The records stay as an anonymous participant so that figures already filed
        (members, participations) do not change; open duplicate proposals go."""
        people = list(self.records())
        for person in people:
            person.full_name, person.gender, person.ethnicity = ERASED_NAME, "", ""
            person.phone, person.citizen_id, person.entered_by = "", "", None
            person.erased_on = timezone.localdate()
            person.save()
        DuplicateProposal.objects.filter(
            Q(keep__in=people) | Q(duplicate__in=people), status=ProposalStatus.PROPOSED
        ).delete()
        DataRequest.objects.create(person=self.canonical, kind=RequestKind.ERASE, handled_by=user)


# What an erased person's name reads: no language, no trace of the name.
ERASED_NAME = "—"


def may_handle_requests(user: Any) -> bool:
    """The provincial office answers a person's requests about their data."""
    return user.is_authenticated and (user.is_superuser or user.role == "province")


class RequestKind(models.TextChoices):
    EXPORT = "export", _("Export of their data")
    ERASE = "erase", _("Erasure of their data")


class DataRequest(models.Model):
    """A person's request about their data, handled by the office: the trail keeps
    who handled what and when, and no personal data."""

    person = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="data_requests"
    )
    kind = models.CharField(_("request"), max_length=8, choices=RequestKind.choices)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d}"


def canonical_id(prefix: str = "person") -> Any:
    """The id a person counts under: the one they were merged into, else their own."""
    return Coalesce(f"{prefix}__merged_into_id", f"{prefix}_id")


class MatchReason(models.TextChoices):
    PHONE = "phone", _("Same phone number")
    CITIZEN_ID = "citizen_id", _("Same citizen ID")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Not the same person")
    UNDONE = "undone", _("Merge undone")


class DuplicateProposal(models.Model):
    """Two records that may be one person. Never merged until an officer confirms."""

    keep = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    duplicate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=MatchReason.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["keep", "duplicate"], name="support_duplicate_pair")
        ]

    def __str__(self) -> str:
        return f"{self.duplicate} → {self.keep}"

    @classmethod
    def propose_for(cls, person: Person) -> list["DuplicateProposal"]:
        """Propose the earlier records sharing this person's citizen ID or phone."""
        found: list[DuplicateProposal] = []
        for reason, value in (
            (MatchReason.CITIZEN_ID, person.citizen_id),
            (MatchReason.PHONE, person.phone),
        ):
            if not value:
                continue
            others = Person.objects.filter(
                **{reason.value: value}, merged_into__isnull=True, pk__lt=person.pk
            )
            for other in others:
                pair = {"keep": other, "duplicate": person}
                if cls.objects.filter(**pair).exists() or any(p.keep == other for p in found):
                    continue
                found.append(cls.objects.create(reason=reason, **pair))
        return found

    def _decide(self, status: str, user: Any) -> None:
        self.status, self.decided_by, self.decided_at = status, user, timezone.now()
        self.save()

    @transaction.atomic
    def confirm(self, user: Any) -> None:
        if self.status != ProposalStatus.PROPOSED:
            raise ValidationError(_("Only a proposed duplicate can be merged."))
        self.duplicate.merged_into = self.keep.canonical
        self.duplicate.save(update_fields=["merged_into"])
        # Those already merged into the duplicate follow it.
        Person.objects.filter(merged_into=self.duplicate).update(merged_into=self.keep.canonical)
        self._decide(ProposalStatus.MERGED, user)

    def reject(self, user: Any) -> None:
        if self.status != ProposalStatus.PROPOSED:
            raise ValidationError(_("Only a proposed duplicate can be set aside."))
        self._decide(ProposalStatus.REJECTED, user)

    @transaction.atomic
    def undo(self, user: Any) -> None:
        if self.status != ProposalStatus.MERGED:
            raise ValidationError(_("Only a merge can be undone."))
        self.duplicate.merged_into = None
        self.duplicate.save(update_fields=["merged_into"])
        self._decide(ProposalStatus.UNDONE, user)


# --------------------------------------------------------------------------- founding


class OrgType(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    COOP_GROUP = "coop_group", _("Cooperative group")
    UNION = "coop_union", _("Union of cooperatives")


class MinimumMembers(models.Model):
    """The least number of members an organisation type needs to register. Data, since
    the figures of the Cooperative Law 2023 are not confirmed yet: check before relying."""

    org_type = models.CharField(_("type"), max_length=16, choices=OrgType.choices, unique=True)
    minimum = models.PositiveIntegerField(_("minimum members"))
    source = models.CharField(_("source"), max_length=200)
    confirmed = models.BooleanField(_("confirmed"), default=False)

    class Meta:
        verbose_name = _("minimum members")
        verbose_name_plural = _("minimum members")

    def __str__(self) -> str:
        return f"{self.get_org_type_display()}: {self.minimum}"


class Stage(models.TextChoices):
    FOUNDING_GROUP = "founding_group", _("Founding group")
    CONFERENCE = "conference", _("Founding conference")
    REGISTERED = "registered", _("Registered")
    OPERATING = "operating", _("Operating")
    DISSOLVED = "dissolved", _("Dissolved")


STAGE_ORDER = list(Stage.values)
# The date field each stage records.
STAGE_DATE: dict[str, str] = {
    Stage.FOUNDING_GROUP: "founding_group_on",
    Stage.CONFERENCE: "conference_on",
    Stage.REGISTERED: "registered_on",
    Stage.OPERATING: "operating_on",
    Stage.DISSOLVED: "dissolved_on",
}


class CaseQuerySet(UnionScopedQuerySet):
    def readable_by(self, user: Any) -> "CaseQuerySet":
        """The union's view, plus a producer account's own organisation: the case
        linked to a registry record it speaks for (its roster is its own business)."""
        if may_work(user):
            return self.visible_to(user)
        if user.is_authenticated and user.role == "producer":
            return self.filter(producer__accounts=user).distinct()
        return self.none()


class SupportCase(models.Model):
    """A group the union helps to organise, and then keeps the roster of."""

    name = models.CharField(_("name"), max_length=200)
    org_type = models.CharField(_("type"), max_length=16, choices=OrgType.choices)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_cases",
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.FOUNDING_GROUP
    )
    founding_group_on = models.DateField(_("founding group formed on"))
    conference_on = models.DateField(_("founding conference on"), null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=30, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    producer = models.OneToOneField(
        Producer,
        verbose_name=_("registry record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_case",
    )
    operating_on = models.DateField(_("operating since"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("founding case")
        verbose_name_plural = _("founding cases")
        ordering = ["-founding_group_on", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        days = [getattr(self, STAGE_DATE[s]) for s in STAGE_ORDER]
        # Dissolution may come at any stage; the others follow one another.
        reached = [d for d in days[:-1] if d]
        if reached != sorted(reached):
            raise ValidationError(_("The stages' dates must follow one another."))
        if self.dissolved_on and reached and self.dissolved_on < reached[-1]:
            raise ValidationError(
                {"dissolved_on": _("Dissolution cannot come before the last stage.")}
            )
        if self.registered_on and not self.registration_number:
            raise ValidationError(
                {"registration_number": _("A registered case needs its registration number.")}
            )
        if self.producer_id and not self.registered_on:
            raise ValidationError(
                {"producer": _("Only a registered case links to a registry record.")}
            )

    def advance(self, stage: str, day: datetime.date, **fields: Any) -> None:
        """Move to `stage` on `day` (one step forward, or dissolved from any stage)."""
        current = STAGE_ORDER.index(self.stage)
        target = STAGE_ORDER.index(stage)
        if self.stage == Stage.DISSOLVED or (stage != Stage.DISSOLVED and target != current + 1):
            raise ValidationError(
                _("A case at “%(now)s” cannot move to “%(to)s”.")
                % {"now": self.get_stage_display(), "to": Stage(stage).label}
            )
        for name, value in fields.items():
            setattr(self, name, value)
        setattr(self, STAGE_DATE[Stage(stage)], day)
        self.stage = stage
        self.full_clean()
        self.save()

    def members_on(self, day: datetime.date) -> models.QuerySet:
        return self.memberships.filter(active_on_q(day))

    def minimum_members(self) -> MinimumMembers | None:
        return MinimumMembers.objects.filter(org_type=self.org_type).first()

    def below_minimum(self, day: datetime.date) -> bool:
        """Fewer members on `day` than the (unconfirmed) minimum: a warning, not a block."""
        rule = self.minimum_members()
        return rule is not None and self.members_on(day).count() < rule.minimum


class HelpKind(models.TextChoices):
    ADVICE = "advice", _("Advice")
    DOSSIER = "dossier", _("Dossier preparation")
    CAPITAL = "capital", _("Capital linkage")
    OTHER = "other", _("Other")


class Help(models.Model):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="help")
    kind = models.CharField(_("help given"), max_length=16, choices=HelpKind.choices)
    given_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("help given")
        verbose_name_plural = _("help given")
        ordering = ["given_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.given_on})"


def active_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Memberships running on `day`: joined by then and not left (left_on is the first
    day no longer a member). `prefix` reaches them from a case ("memberships__")."""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


class Membership(models.Model):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["joined_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} ∈ {self.case}"

    def clean(self) -> None:
        if self.left_on and self.left_on <= self.joined_on:
            raise ValidationError({"left_on": _("A member leaves after joining.")})
        if self.case_id and self.person_id:
            overlap = Membership.objects.filter(case_id=self.case_id, person_id=self.person_id)
            overlap = overlap.exclude(pk=self.pk).filter(
                Q(left_on__isnull=True) | Q(left_on__gt=self.joined_on)
            )
            if self.left_on:
                overlap = overlap.filter(joined_on__lt=self.left_on)
            if overlap.exists():
                raise ValidationError(_("This person is already a member over those dates."))


class RosterView(models.Model):
    """Who looked at a roster, and when (Decree 13/2023 asks for the trail)."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.case} · {self.at:%Y-%m-%d}"


# --------------------------------------------------------------------------- training


class Field(models.TextChoices):
    FARMING = "farming", _("Farming")
    HUSBANDRY = "husbandry", _("Animal husbandry")
    AQUACULTURE = "aquaculture", _("Aquaculture")
    OTHER = "other", _("Other")


def default_share() -> Decimal:
    return Decimal(str(settings.SUPPORT_COMPLETION_SHARE))


class Course(models.Model):
    topic = models.CharField(_("topic"), max_length=200)
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    trainer = models.CharField(_("trainer"), max_length=120, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    budget = models.DecimalField(
        _("budget (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    completion_share = models.DecimalField(
        _("share of sessions to complete"),
        max_digits=3,
        decimal_places=2,
        default=default_share,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-starts_on", "topic"]

    def __str__(self) -> str:
        return self.topic

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A course ends on or after its first day.")})

    def attended_counts(self) -> dict[int, int]:
        """Sessions attended (present or late) per person, merged people counted as one."""
        rows = (
            Attendance.objects.filter(session__course=self, status__in=ATTENDED)
            .annotate(who=canonical_id())
            .values("who")
            .annotate(n=models.Count("session", distinct=True))
        )
        return {r["who"]: r["n"] for r in rows}

    def completers(self) -> list[int]:
        """Ids of the people who attended at least the completion share of sessions."""
        total = self.sessions.count()
        if not total:
            return []
        return sorted(
            who
            for who, n in self.attended_counts().items()
            if n >= Decimal(str(self.completion_share)) * total
        )

    def has_completed(self, person: Person) -> bool:
        return person.canonical.pk in self.completers()


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Session(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    # Participants scan the session's QR code, which carries this token, to sign in.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.course} · {date_format(self.held_on)}"

    def clean(self) -> None:
        if self.course_id and not (self.course.starts_on <= self.held_on <= self.course.ends_on):
            raise ValidationError({"held_on": _("A session falls within its course's dates.")})


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


ATTENDED = (Presence.PRESENT, Presence.LATE)


class Via(models.TextChoices):
    OFFICER = "officer", _("Ticked by the officer")
    QR = "qr", _("QR code")
    IMPORT = "import", _("Imported roster")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=Presence.choices)
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.OFFICER)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="support_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"


# --------------------------------------------------------------------------- programmes


class ProgrammeKind(models.TextChoices):
    PROGRAMME = "programme", _("Support programme")
    AGREEMENT = "agreement", _("Partner agreement")


class Area(models.TextChoices):
    COMMUNE = "commune", _("The signing union's commune")
    DISTRICT = "district", _("Its district (before July 2025)")
    PROVINCE = "province", _("Its province")


class Programme(models.Model):
    """A support programme or an agreement with a partner (the post office, Viettel, a
    province's union). Its progress counts the records linked to it, never typed in:
    products listed are the market's live listings in its area, platforms and period
    (progress.listed_products)."""

    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeKind.choices)
    name = models.CharField(_("name"), max_length=200)
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune of the signing union"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.CharField(
        _("area covered"), max_length=8, choices=Area.choices, default=Area.PROVINCE
    )
    # Platform codes of market.Platform; empty: any platform.
    platforms = models.JSONField(_("e-commerce platforms"), default=list, blank=True)
    cases = models.ManyToManyField(SupportCase, blank=True, related_name="programmes")
    courses = models.ManyToManyField(Course, blank=True, related_name="programmes")
    # Named products narrow "products listed" to them; none named: every product in the area.
    products = models.ManyToManyField("products.Product", blank=True, related_name="+")
    is_sample = models.BooleanField(_("sample data"), default=False)

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme or agreement")
        verbose_name_plural = _("programmes and agreements")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A programme ends on or after it starts.")})
        if self.area == Area.DISTRICT and self.commune_id and not self.commune.district_id:
            raise ValidationError(
                {"area": _("Districts ended on 1 July 2025: this commune has none.")}
            )
        unknown = set(self.platforms or []) - set(Platform.values)
        if unknown:
            raise ValidationError(
                {"platforms": _("Unknown platform: %s.") % ", ".join(sorted(unknown))}
            )

    def area_unit(self) -> Any:
        """The unit the programme covers: its commune, that commune's district or province."""
        if self.area == Area.DISTRICT:
            return self.commune.district
        if self.area == Area.PROVINCE:
            return self.commune.province
        return self.commune


class Indicator(models.TextChoices):
    COOPERATIVES_FOUNDED = "cooperatives_founded", _("Cooperatives founded")
    GROUPS_FOUNDED = "groups_founded", _("Cooperative groups founded")
    COURSES_HELD = "courses_held", _("Courses held")
    MEMBERS_TRAINED = "members_trained", _("Members trained")
    PRODUCTS_LISTED = "products_listed", _("Products listed on e-commerce")


class Target(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "indicator"], name="support_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.target}"

    def achieved(self) -> int | None:
        """Computed from linked records; None when no source can count it (yet)."""
        # Inside the method: progress.py imports this module's models, a loop at import time.
        from .progress import achieved

        return achieved(self.programme, self.indicator)


class ReportedFigure(models.Model):
    """A figure that exists only as a reported total (an article, a union report):
    shown beside the computed figures, never added into them."""

    label: str  # not stored: reports.reported sets the indicator's label for the page

    indicator = models.CharField(_("indicator"), max_length=60)
    value = models.PositiveIntegerField(_("value"))
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    unit_ref = models.CharField(_("unit"), max_length=24, help_text=_("era:code, e.g. legacy:17"))
    source = models.CharField(_("source"), max_length=300)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["period_from", "indicator"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"

    @property
    def period(self) -> str:
        return f"{self.period_from:%Y-%m-%d}/{self.period_to:%Y-%m-%d}"
