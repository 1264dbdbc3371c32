"""Programme targets, as the resolutions that set them word them.

A target names a unit (a province, a pre-2025 district or a commune, in either era),
a kind, a threshold, a minimum star rating and a deadline. Its progress on any day is
computed from certificates (progress.py), never stored.
"""

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ocophub.places.models import Commune, District, Era, Province


class TargetKind(models.TextChoices):
    COVERAGE = "coverage", _("Coverage: every commune of the unit has N products")
    COUNT = "count", _("Count: the unit has N products")
    GROWTH = "growth", _("Growth: N% more products than the baseline")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District (before July 2025)")
    COMMUNE = "commune", _("Commune")


UNIT_MODELS = {
    UnitLevel.PROVINCE: Province,
    UnitLevel.DISTRICT: District,
    UnitLevel.COMMUNE: Commune,
}


def find_unit(level, era, code):
    """The unit at `level` with `code` in `era`, or None."""
    model = UNIT_MODELS.get(level)
    if model is None or era not in Era.values:
        return None
    qs = model.objects.filter(era=era, code=code)
    if model is not Province:
        qs = qs.select_related("province")
    return qs.first()


def owning_province(unit):
    """The current province a unit belongs to today (what scopes who may edit it)."""
    province = unit if isinstance(unit, Province) else unit.province
    if province.era == Era.CURRENT:
        return province
    return province.successor


class TargetQuerySet(models.QuerySet):
    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_province_office and user.province_id:
            return self.filter(province_id=user.province_id)
        return self.none()


class Target(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=TargetKind.choices)
    title = models.CharField(_("title"), max_length=300)
    # A unit is referred to by era, level and code: districts exist only in the legacy
    # era, and codes repeat across levels and eras.
    unit_era = models.CharField(_("era of the unit"), max_length=8, choices=Era.choices)
    unit_level = models.CharField(_("level of the unit"), max_length=10, choices=UnitLevel.choices)
    unit_code = models.PositiveIntegerField(_("unit code"))
    unit_name = models.CharField(_("unit"), max_length=200, editable=False)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province (today)"),
        on_delete=models.PROTECT,
        related_name="targets",
        editable=False,
    )
    threshold = models.PositiveIntegerField(
        _("threshold N"),
        help_text=_(
            "Products per commune (coverage), products in the unit (count), or percent "
            "growth over the baseline (growth)."
        ),
    )
    min_stars = models.PositiveSmallIntegerField(
        _("minimum stars"),
        default=3,
        choices=[(3, "3 ★"), (4, "4 ★"), (5, "5 ★")],
    )
    deadline = models.DateField(_("deadline"))
    baseline = models.PositiveIntegerField(
        _("baseline (products)"),
        null=True,
        blank=True,
        help_text=_("Growth targets: the product count the growth is measured from."),
    )
    baseline_date = models.DateField(
        _("baseline date"),
        null=True,
        blank=True,
        help_text=_(
            "Growth targets: the day the baseline was counted; if the baseline is left "
            "empty it is counted from the certificates valid on this day."
        ),
    )
    source_document = models.CharField(
        _("source document"),
        max_length=300,
        blank=True,
        help_text=_("e.g. Nghị quyết 12-NQ/HU ngày 07/04/2023"),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated"])
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["deadline", "title"]

    def __str__(self):
        return self.title

    @property
    def unit(self):
        if not hasattr(self, "_unit") or self._unit_key != self._key():
            self._unit = find_unit(self.unit_level, self.unit_era, self.unit_code)
            self._unit_key = self._key()
        return self._unit

    def _key(self):
        return (self.unit_level, self.unit_era, self.unit_code)

    @property
    def unit_ref(self):
        return f"{self.unit_era}:{self.unit_level}:{self.unit_code}"

    def clean(self):
        errors = {}
        if self.unit_level == UnitLevel.DISTRICT and self.unit_era == Era.CURRENT:
            errors["unit_level"] = _(
                "Districts were abolished on 1 July 2025: choose the era before July 2025, "
                "or a province or commune."
            )
        elif self.unit_level and self.unit_era and self.unit_code is not None:
            unit = self.unit
            if unit is None:
                errors["unit_code"] = _(
                    "No %(level)s with code %(code)s in this era; check the code on the "
                    "Places page."
                ) % {"level": UnitLevel(self.unit_level).label.lower(), "code": self.unit_code}
            elif owning_province(unit) is None:
                errors["unit_code"] = _(
                    "%(unit)s is not mapped to a current province yet; map it first."
                ) % {"unit": unit.name}
        if self.kind == TargetKind.COVERAGE and self.unit_level == UnitLevel.COMMUNE:
            errors["kind"] = _(
                "A coverage target needs a province or district; for one commune use a "
                "count target."
            )
        if self.kind == TargetKind.GROWTH and self.baseline is None and not self.baseline_date:
            errors["baseline"] = _("A growth target needs a baseline count or a baseline date.")
        if self.threshold is not None and self.threshold < 1:
            errors["threshold"] = _("The threshold must be at least 1.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        unit = self.unit
        if unit is None:
            raise ValidationError(_("Unknown unit %(ref)s.") % {"ref": self.unit_ref})
        self.unit_name = unit.name
        self.province = owning_province(unit)
        super().save(*args, **kwargs)

    def required_increase(self, baseline):
        """Growth targets: how many products above the baseline meet the target."""
        return math.ceil(baseline * self.threshold / 100)
