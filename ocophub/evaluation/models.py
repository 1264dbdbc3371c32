"""OCOP evaluation: criteria sets, rounds, dossiers, councils, score sheets, decisions.

Criteria sets are versioned data (a national decision per product group); each dossier
keeps the set it was scored with. Once a decision is issued, the score sheets of the
dossiers it covers and the decision itself are frozen: `save()` and `delete()` refuse,
and a correction is a new decision pointing to the one it corrects.
"""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from ocophub.accounts.models import Role
from ocophub.core.i18n import in_page_language, page_name
from ocophub.core.media import private_storage
from ocophub.places.models import Era, Province
from ocophub.producers.models import Producer
from ocophub.products.models import Classification, Product, ProductGroup

from .procedures import BodyLevel, procedure_on


class Frozen(ValidationError):
    """A change to a record that an issued decision has frozen."""


# --- criteria sets -------------------------------------------------------------------


class CriteriaSet(models.Model):
    code = models.SlugField(gettext_lazy("code"), max_length=60, unique=True)
    name = models.CharField(gettext_lazy("name"), max_length=255)
    name_en = models.CharField(gettext_lazy("English name"), max_length=255, blank=True)
    decision_number = models.CharField(gettext_lazy("decision number"), max_length=60)
    decision_date = models.DateField(gettext_lazy("decision date"))
    in_force_from = models.DateField(gettext_lazy("in force from"))
    in_force_until = models.DateField(gettext_lazy("in force until"), null=True, blank=True)
    classification = models.CharField(
        gettext_lazy("classification"), max_length=4, choices=Classification.choices
    )
    product_groups = models.ManyToManyField(
        ProductGroup, verbose_name=gettext_lazy("product groups"), related_name="criteria_sets"
    )
    # [{"stars": 1, "min": 0}, {"stars": 2, "min": 30}, ...]: a total belongs to the
    # band with the highest minimum it reaches.
    bands = models.JSONField(gettext_lazy("star bands"))
    wording_confirmed = models.BooleanField(gettext_lazy("wording confirmed"), default=False)
    note = models.TextField(gettext_lazy("source note"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("criteria set")
        verbose_name_plural = gettext_lazy("criteria sets")
        ordering = ["-in_force_from", "code"]

    def __str__(self):
        return page_name(self)

    def criteria(self):
        return Criterion.objects.filter(part__criteria_set=self).select_related("part")

    def criteria_by_code(self):
        return {c.code: c for c in self.criteria()}

    @classmethod
    def for_product(cls, product, day):
        """The set in force on `day` for the product's group (or its parent group)."""
        groups = [g for g in (product.group_2023, product.group_2019) if g is not None]
        ids = {g.pk for g in groups} | {g.parent_id for g in groups if g.parent_id}
        candidates = (
            cls.objects.filter(product_groups__in=ids, in_force_from__lte=day)
            .filter(Q(in_force_until__isnull=True) | Q(in_force_until__gte=day))
            .distinct()
            .order_by("-in_force_from")
        )
        return candidates.first()


class Part(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(gettext_lazy("part"), max_length=4)
    title = models.CharField(gettext_lazy("title"), max_length=200)
    title_en = models.CharField(gettext_lazy("English title"), max_length=200, blank=True)
    total = models.DecimalField(gettext_lazy("stated total"), max_digits=5, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["criteria_set", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="part_code_in_set")
        ]

    def __str__(self):
        title = in_page_language(self.title, self.title_en)
        return f"{self.code}. {title}"


class Criterion(models.Model):
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(gettext_lazy("code"), max_length=20)
    section = models.CharField(gettext_lazy("section"), max_length=200, blank=True)
    text = models.TextField(gettext_lazy("criterion"))
    max_points = models.DecimalField(gettext_lazy("maximum"), max_digits=5, decimal_places=2)
    # [{"points": 1, "description": "Dưới 50% ..."}, ...] in ascending points.
    levels = models.JSONField(gettext_lazy("allowed levels"))
    minimum_requirement = models.BooleanField(gettext_lazy("minimum requirement"), default=False)
    # For a minimum requirement: the fewest points that meet it (default: the lowest
    # level above zero).
    minimum_points = models.DecimalField(
        gettext_lazy("minimum points"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["part__code", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["part", "code"], name="criterion_in_part")]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def allowed_points(self):
        return [Decimal(str(level["points"])) for level in self.levels]

    @property
    def required_points(self):
        """The fewest points that meet this minimum requirement (None if it is not one)."""
        if not self.minimum_requirement:
            return None
        if self.minimum_points is not None:
            return self.minimum_points
        positive = [p for p in self.allowed_points if p > 0]
        return min(positive) if positive else None

    def level_description(self, points):
        for level in self.levels:
            if Decimal(str(level["points"])) == Decimal(str(points)):
                return level.get("description", "")
        return ""


# --- rounds and dossiers -------------------------------------------------------------


class RoundStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    CLOSED = "closed", gettext_lazy("Closed")


class Round(models.Model):
    province = models.ForeignKey(
        Province,
        verbose_name=gettext_lazy("province"),
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
        limit_choices_to={"era": Era.CURRENT},
    )
    year = models.PositiveSmallIntegerField(gettext_lazy("year"))
    number = models.PositiveSmallIntegerField(gettext_lazy("round number"))
    title = models.CharField(gettext_lazy("title"), max_length=200, blank=True)
    opens_on = models.DateField(gettext_lazy("opens on"))
    closes_on = models.DateField(gettext_lazy("dossiers due by"))
    status = models.CharField(
        gettext_lazy("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("evaluation round")
        verbose_name_plural = gettext_lazy("evaluation rounds")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "number"], name="round_number"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_dates_in_order"
            ),
        ]

    def __str__(self):
        return _("Round %(number)s/%(year)s") % {"number": self.number, "year": self.year}

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The closing date is before the opening date.")})

    @property
    def procedure(self):
        return procedure_on(self.opens_on)


class DossierKind(models.TextChoices):
    NEW = "new", pgettext_lazy("dossier kind", "New product")
    UPGRADE = "upgrade", gettext_lazy("Upgrade")
    REEVALUATION = "reevaluation", gettext_lazy("Re-evaluation")


class DossierStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Being prepared")
    PROPOSED = "proposed", gettext_lazy("Proposed to the province")
    DECIDED = "decided", gettext_lazy("Decided")


class DocumentKind(models.TextChoices):
    BUSINESS_REGISTRATION = "registration", gettext_lazy("Business registration")
    STANDARD = "standard", gettext_lazy("Product standard or self-declaration")
    FOOD_SAFETY = "food_safety", gettext_lazy("Food-safety certificate")
    TEST_RESULTS = "tests", gettext_lazy("Test results")
    LABEL = "label", gettext_lazy("Product label")
    STORY = "story", gettext_lazy("Product story")


def required_documents():
    """The documents every dossier needs (setting EVALUATION_REQUIRED_DOCUMENTS; None: all)."""
    chosen = settings.EVALUATION_REQUIRED_DOCUMENTS
    return list(DocumentKind.values) if chosen is None else list(chosen)


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Producers their own; commune officers their communes; council members the
        dossiers of their councils; the province office its province's rounds."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        q = Q(product__producer__accounts=user) | Q(council__members__user=user)
        if user.role == Role.PROVINCE_OFFICE and user.province_id:
            q |= Q(round__province_id=user.province_id)
        elif user.role == Role.COMMUNE_OFFICER:
            q |= user.territory_q("product__commune")
        return self.filter(q).distinct()


class Dossier(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=gettext_lazy("round"), on_delete=models.PROTECT, related_name="dossiers"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=gettext_lazy("product"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    kind = models.CharField(
        pgettext_lazy("dossier", "kind"),
        max_length=12,
        choices=DossierKind.choices,
        default=DossierKind.NEW,
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=gettext_lazy("criteria set"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # {criterion code: points} as the producer assessed it.
    self_assessment = models.JSONField(gettext_lazy("self-assessment"), default=dict, blank=True)
    status = models.CharField(
        gettext_lazy("status"),
        max_length=10,
        choices=DossierStatus.choices,
        default=DossierStatus.DRAFT,
    )
    council = models.ForeignKey(
        "Council",
        verbose_name=gettext_lazy("council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("dossier")
        verbose_name_plural = gettext_lazy("dossiers")
        ordering = ["round", "product__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "product"], name="one_dossier_per_round")
        ]

    def __str__(self):
        return f"{self.product} ({self.round})"

    @property
    def producer(self):
        return self.product.producer

    @property
    def is_decided(self):
        return DecisionItem.objects.filter(dossier=self, decision__issued_at__isnull=False).exists()

    def missing_documents(self):
        have = set(self.documents.values_list("kind", flat=True))
        return [DocumentKind(k) for k in required_documents() if k not in have]

    def missing(self):
        """What the dossier still lacks, as sentences for the completeness check."""
        items = [
            _("Document: %(kind)s") % {"kind": kind.label} for kind in self.missing_documents()
        ]
        codes = set(self.criteria_set.criteria().values_list("code", flat=True))
        unscored = sorted(codes - set(self.self_assessment))
        if unscored:
            items.append(
                _("Self-assessment: criteria not scored: %(codes)s")
                % {"codes": ", ".join(unscored)}
            )
        return items

    @property
    def is_complete(self):
        return not self.missing()


def document_path(instance, filename):
    # Private storage (core.media): only the scoped download view serves these.
    return (
        f"evaluation/{instance.dossier_id}/{uuid.uuid4().hex}/{instance.kind}-{Path(filename).name}"
    )


class DossierDocument(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(gettext_lazy("document"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(gettext_lazy("file"), upload_to=document_path, storage=private_storage)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dossier", "kind", "-uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def filename(self):
        return Path(self.file.name).name


class LocalAssessment(models.Model):
    """The step before the provincial council: the commune (from 6 July 2025) or the
    district (before) checks origin, local labour and identity and proposes the dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="local_step")
    level = models.CharField(gettext_lazy("level"), max_length=10, choices=BodyLevel.choices)
    origin_confirmed = models.BooleanField(gettext_lazy("origin in the locality confirmed"))
    origin_note = models.TextField(gettext_lazy("origin"), blank=True)
    local_workers = models.PositiveIntegerField(
        gettext_lazy("local workers"), null=True, blank=True
    )
    total_workers = models.PositiveIntegerField(gettext_lazy("all workers"), null=True, blank=True)
    labour_note = models.TextField(gettext_lazy("local labour"), blank=True)
    identity_note = models.TextField(gettext_lazy("local identity"), blank=True)
    proposed = models.BooleanField(gettext_lazy("proposed to the province"), default=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_on = models.DateField(gettext_lazy("assessed on"), default=timezone.localdate)

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.get_level_display()}: {self.dossier}"

    def clean(self):
        if (
            self.local_workers is not None
            and self.total_workers is not None
            and self.local_workers > self.total_workers
        ):
            raise ValidationError(
                {"local_workers": _("Local workers cannot outnumber all workers.")}
            )
        if self.proposed and not self.origin_confirmed:
            raise ValidationError(
                {"proposed": _("A dossier whose local origin is not confirmed cannot be proposed.")}
            )


# --- councils and score sheets -------------------------------------------------------


class Council(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="councils")
    level = models.CharField(
        gettext_lazy("level"), max_length=10, choices=BodyLevel.choices, default=BodyLevel.PROVINCE
    )
    name = models.CharField(gettext_lazy("name"), max_length=200)
    scoring_closed_at = models.DateTimeField(gettext_lazy("scoring closed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("council")
        verbose_name_plural = gettext_lazy("councils")
        constraints = [
            models.UniqueConstraint(fields=["round", "level"], name="one_council_per_level")
        ]

    def __str__(self):
        return self.name

    @property
    def chair(self):
        member = self.members.filter(is_chair=True).select_related("user").first()
        return member.user if member else None

    def member_for(self, user):
        if not user.is_authenticated:
            return None
        return self.members.filter(user=user).first()

    def ties(self):
        """{member pk: {producer pk: "account" | "declared"}} in two queries, so pages
        listing many dossiers need not ask per member and dossier."""
        seats = dict(self.members.values_list("user_id", "pk"))
        ties = {pk: {} for pk in seats.values()}
        for producer_id, user_id in Producer.accounts.through.objects.filter(
            user_id__in=list(seats)
        ).values_list("producer_id", "user_id"):
            ties[seats[user_id]][producer_id] = "account"
        for member_id, producer_id in CouncilMember.declared_conflicts.through.objects.filter(
            councilmember__council=self
        ).values_list("councilmember_id", "producer_id"):
            ties[member_id].setdefault(producer_id, "declared")
        return ties


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats"
    )
    is_chair = models.BooleanField(gettext_lazy("chair"), default=False)
    # Producers the member declared a tie to (family, employment, shares...).
    declared_conflicts = models.ManyToManyField(
        "producers.Producer", verbose_name=gettext_lazy("declared conflicts"), blank=True
    )

    # Declarations of conflict are part of the audit trail too.
    history = HistoricalRecords(m2m_fields=[declared_conflicts])

    class Meta:
        ordering = ["-is_chair", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="one_seat_per_member"),
            models.UniqueConstraint(
                fields=["council"], condition=Q(is_chair=True), name="one_chair_per_council"
            ),
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.username

    def conflict_with(self, dossier, ties=None):
        """Why this member may not score `dossier`, or "" if they may. `ties` is
        `Council.ties()` when the caller checks many dossiers."""
        producer = dossier.product.producer
        if ties is not None:
            kind = ties.get(self.pk, {}).get(producer.pk)
            if kind is None:
                return ""
            own_account = kind == "account"
        else:
            own_account = producer.accounts.filter(pk=self.user_id).exists()
        if own_account:
            return _("%(member)s holds an account of the producer %(producer)s.") % {
                "member": self,
                "producer": producer,
            }
        if ties is not None or self.declared_conflicts.filter(pk=producer.pk).exists():
            return _("%(member)s declared a conflict of interest with %(producer)s.") % {
                "member": self,
                "producer": producer,
            }
        return ""


class ScoreSheet(models.Model):
    """One member's independent scores for one dossier. A submitted sheet is final: a
    member who could revise after reading the others' sheets would no longer be scoring
    independently."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="score_sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="sheets")
    scores = models.JSONField(gettext_lazy("scores"), default=dict)
    comment = models.TextField(gettext_lazy("comment"), blank=True)
    submitted_at = models.DateTimeField(gettext_lazy("submitted"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dossier", "member"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "member"], name="one_sheet_per_member")
        ]

    def __str__(self):
        return f"{self.member} · {self.dossier}"

    def _stored(self):
        return ScoreSheet.objects.filter(pk=self.pk).first() if self.pk else None

    def save(self, *args, **kwargs):
        if self.dossier.is_decided:
            raise Frozen(_("The decision on this dossier is issued; its scores cannot change."))
        stored = self._stored()
        if stored is not None and stored.submitted_at is not None:
            raise Frozen(_("This score sheet was submitted and cannot change."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.submitted_at is not None or self.dossier.is_decided:
            raise Frozen(_("A submitted score sheet cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def total(self):
        return sum((Decimal(str(v)) for v in self.scores.values()), Decimal(0))


# --- decisions -----------------------------------------------------------------------


class Decision(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="decisions")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(gettext_lazy("decision number"), max_length=60)
    date = models.DateField(gettext_lazy("decision date"))
    issuing_body = models.CharField(gettext_lazy("issuing body"), max_length=200)
    body_level = models.CharField(
        gettext_lazy("level of the issuing body"), max_length=10, choices=BodyLevel.choices
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("corrects decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    note = models.TextField(gettext_lazy("note"), blank=True)
    issued_at = models.DateTimeField(gettext_lazy("issued"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("decision")
        verbose_name_plural = gettext_lazy("decisions")
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuing_body", "number"], name="decision_number")
        ]

    def __str__(self):
        return _("Decision %(number)s of %(date)s") % {
            "number": self.number,
            "date": date_format(self.date),
        }

    def save(self, *args, **kwargs):
        if self.pk and Decision.objects.filter(pk=self.pk, issued_at__isnull=False).exists():
            raise Frozen(_("An issued decision cannot change; issue a correcting decision."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.issued_at is not None:
            raise Frozen(_("An issued decision cannot be deleted."))
        return super().delete(*args, **kwargs)


class DecisionItem(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="items")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="decision_items")
    total = models.DecimalField(gettext_lazy("total"), max_digits=6, decimal_places=2)
    stars = models.PositiveSmallIntegerField(gettext_lazy("stars"), null=True, blank=True)
    achieved = models.BooleanField(gettext_lazy("achieved"))
    reason = models.TextField(gettext_lazy("reason"), blank=True)
    certificate = models.ForeignKey(
        "certificates.Certificate",
        verbose_name=gettext_lazy("certificate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_items",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "dossier__product__name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "dossier"], name="one_item_per_dossier")
        ]

    def __str__(self):
        return f"{self.decision}: {self.dossier.product}"

    def save(self, *args, **kwargs):
        if Decision.objects.filter(pk=self.decision_id, issued_at__isnull=False).exists():
            raise Frozen(_("An issued decision cannot change; issue a correcting decision."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.decision.issued_at is not None:
            raise Frozen(_("An issued decision cannot be deleted."))
        return super().delete(*args, **kwargs)
