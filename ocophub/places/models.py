"""Vietnam's administrative units in both eras.

Until 30 June 2025: provinces, districts, communes (three tiers). From 1 July 2025:
provinces and communes (two tiers). Codes are reused across eras (5266 was the town of
Vụ Bản and is now the commune of Lạc Sơn), so a unit is identified by era and code.
Records keep the unit they were made under; a legacy commune may point to the current
commune it became.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocophub.core.text import fold


class Era(models.TextChoices):
    LEGACY = "legacy", _("Before 1 July 2025 (three tiers)")
    CURRENT = "current", _("From 1 July 2025 (two tiers)")


# The reform date (Resolution 202/2025/QH15); data, but one fixed in law.
REFORM_DATE = datetime.date(2025, 7, 1)
ERA_DATES = {
    Era.LEGACY: (None, REFORM_DATE - datetime.timedelta(days=1)),
    Era.CURRENT: (REFORM_DATE, None),
}


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
        )


class Unit(models.Model):
    era = models.CharField(_("era"), max_length=8, choices=Era.choices, db_index=True)
    code = models.PositiveIntegerField(_("code"))
    name = models.CharField(_("name"), max_length=120)
    division_type = models.CharField(_("type"), max_length=40)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["era", "code"]

    def __str__(self):
        return self.name

    @property
    def ref(self):
        """Era-qualified code, unique across eras: 'current:25', 'legacy:17'."""
        return f"{self.era}:{self.code}"

    def save(self, *args, **kwargs):
        self.search_text = fold(self.name)
        super().save(*args, **kwargs)


class Province(Unit):
    successor = models.ForeignKey(
        "self",
        verbose_name=_("became"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        limit_choices_to={"era": Era.CURRENT},
    )

    class Meta(Unit.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [models.UniqueConstraint(fields=["era", "code"], name="province_era_code")]


class District(Unit):
    """Only in the legacy era: districts were abolished on 1 July 2025."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta(Unit.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [models.UniqueConstraint(fields=["era", "code"], name="district_era_code")]


class MappingSource(models.TextChoices):
    CODE_CARRIED = "code", _("Code carried over to the new commune")
    IMPORTED = "import", _("Imported mapping")
    MANUAL = "manual", _("Entered by hand")


class Commune(Unit):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="communes"
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("became"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        limit_choices_to={"era": Era.CURRENT},
    )
    mapping_source = models.CharField(
        _("mapping source"), max_length=8, choices=MappingSource.choices, blank=True
    )

    class Meta(Unit.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [models.UniqueConstraint(fields=["era", "code"], name="commune_era_code")]

    @property
    def current(self):
        """The commune as it is today: itself, or what it became, or None if unmapped."""
        return self if self.era == Era.CURRENT else self.successor

    @property
    def is_unmapped(self):
        return self.era == Era.LEGACY and self.successor_id is None

    def full_name(self):
        parts = [self.name]
        if self.district_id:
            parts.append(self.district.name)
        parts.append(self.province.name)
        return ", ".join(parts)

    def display_name(self):
        """The commune as people know it today first and, for a record made under the
        old units, the unit it was made under second."""
        if self.era == Era.LEGACY and self.successor_id:
            return _("%(today)s (before 1 July 2025: %(then)s)") % {
                "today": self.successor.full_name(),
                "then": self.full_name(),
            }
        if self.era == Era.LEGACY:
            return _("%(then)s (before 1 July 2025)") % {"then": self.full_name()}
        return self.full_name()


def resolve_ref(model, ref, default_era=Era.CURRENT):
    """Find a unit by 'era:code' or a bare code in `default_era`; None if unknown."""
    ref = str(ref).strip()
    era, _sep, code = ref.rpartition(":")
    era = era or default_era
    if era not in Era.values or not code.isdigit():
        return None
    return model.objects.filter(era=era, code=int(code)).first()
