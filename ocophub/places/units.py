"""Which records fall within an administrative unit of either era.

A record keeps the commune it was made under. A current unit takes legacy communes
through their successor (communes) or their province's successor (provinces). A legacy
unit (a pre-2025 province, district or commune) takes the records made under it, and a
record made under a current commune when every legacy commune that commune was formed
from lay in that unit; a commune merged from several units cannot be split back, so its
records stay out of those units' figures.
"""

from django.db.models import F, Max, Min, Q, QuerySet

from .models import Commune, District, Era, Province

LEGACY_FIELD = {"province": "province_id", "district": "district_id", "commune": "id"}


def formed_from(field: str) -> QuerySet:
    """Current communes with the one legacy unit they were formed from, by `field` of
    their predecessors ('province_id', 'district_id', or 'id' for the commune itself):
    rows (current commune id, legacy unit id), only where all predecessors agree."""
    return (
        Commune.objects.filter(era=Era.LEGACY, successor__isnull=False)
        .values("successor_id")
        .annotate(lo=Min(field), hi=Max(field))
        .filter(lo=F("hi"))
        .order_by()
    )


def unit_q(unit: Province | District | Commune | None, prefix: str = "product__commune") -> Q:
    """Records (through the commune field `prefix`) that fall within `unit`; None is the
    whole country."""
    if unit is None:
        return Q()

    def f(name):
        return f"{prefix}__{name}"

    if unit.era == Era.CURRENT:
        if isinstance(unit, Province):
            return Q(**{f("era"): Era.CURRENT, f("province_id"): unit.pk}) | Q(
                **{f("era"): Era.LEGACY, f("province__successor_id"): unit.pk}
            )
        return Q(**{prefix: unit.pk}) | Q(**{f("successor_id"): unit.pk})
    level = "province" if isinstance(unit, Province) else "district"
    if isinstance(unit, Commune):
        level = "commune"
    own = Q(**{prefix: unit.pk}) if level == "commune" else Q(**{f(LEGACY_FIELD[level]): unit.pk})
    later = formed_from(LEGACY_FIELD[level]).filter(lo=unit.pk).values("successor_id")
    return own | Q(**{f("in"): later})
