"""Programme figures as of any day, computed from certificates.

A product counts on a day only if one of its certificates was valid on that day
(started, not expired, not revoked or superseded by then). A superseded certificate
hands over to the one that replaced it, and products are counted distinct, so a product
counts once whatever its history. Its stars that day are the highest among its valid
certificates.

Both eras: a record keeps the commune it was made under. Figures for a current unit
take legacy communes through their successor (communes) or their province's successor
(provinces). Figures for a legacy unit (a pre-2025 province, district or commune) count
the records made under it, and a record made under a current commune when every legacy
commune that commune was formed from lay in that unit (for a legacy commune: when it is
the only one); a commune merged from several units cannot be split back, so its records
stay out of those units' figures.

Every figure is aggregated in the database: one query per table.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocophub.certificates.models import Certificate
from ocophub.certificates.validity import valid_q
from ocophub.places import units
from ocophub.places.models import Commune, District, Era, Province

from .models import TargetKind

STARS = (3, 4, 5)


# ---------------------------------------------------------------------------- units


# Which records fall within a unit of either era: places.units (support reuses it too).
LEGACY_FIELD, formed_from, unit_q = units.LEGACY_FIELD, units.formed_from, units.unit_q


# Levels a breakdown can go down to: (era, model).
CURRENT_PROVINCES = (Era.CURRENT, Province)
CURRENT_COMMUNES = (Era.CURRENT, Commune)
LEGACY_PROVINCES = (Era.LEGACY, Province)
LEGACY_DISTRICTS = (Era.LEGACY, District)
LEGACY_COMMUNES = (Era.LEGACY, Commune)


def child_level(unit, era):
    """The units one level below `unit` (None: the country) in `era`."""
    if unit is None:
        return CURRENT_PROVINCES if era == Era.CURRENT else LEGACY_PROVINCES
    if isinstance(unit, Province):
        return CURRENT_COMMUNES if era == Era.CURRENT else LEGACY_DISTRICTS
    if isinstance(unit, District):
        return CURRENT_COMMUNES if era == Era.CURRENT else LEGACY_COMMUNES
    return LEGACY_COMMUNES if era == Era.LEGACY else CURRENT_COMMUNES


def children(unit, level):
    """The units of `level` inside `unit`, with the names to show."""
    era, model = level
    qs = model.objects.filter(era=era)
    if unit is None:
        return qs.order_by("name")
    if isinstance(unit, Province):
        if unit.era == era:
            return qs.filter(province=unit).order_by("name")
        if era == Era.LEGACY:
            return qs.filter(province__successor=unit).order_by("name")
        return qs.filter(predecessors__province=unit).distinct().order_by("name")
    if isinstance(unit, District):
        if era == Era.LEGACY:
            return qs.filter(district=unit).order_by("name")
        return qs.filter(predecessors__district=unit).distinct().order_by("name")
    # A commune
    if unit.era == era:
        return qs.filter(pk=unit.pk)
    if era == Era.LEGACY:
        return qs.filter(successor=unit).order_by("name")
    return qs.filter(pk=unit.successor_id) if unit.successor_id else qs.none()


def child_key(level, prefix="product__commune"):
    """An expression giving, for a record's commune, the id of the unit of `level` it
    rolls up to (NULL where it does not: unmapped, or made in the other era)."""
    era, model = level

    def f(name):
        return F(f"{prefix}__{name}")

    own_era = Q(**{f"{prefix}__era": era})
    if level == CURRENT_PROVINCES:
        return Case(
            When(own_era, then=f("province_id")),
            default=f("province__successor_id"),
            output_field=IntegerField(),
        )
    if level == CURRENT_COMMUNES:
        return Case(
            When(own_era, then=F(f"{prefix}_id")),
            default=f("successor_id"),
            output_field=IntegerField(),
        )
    target = {LEGACY_PROVINCES: "province_id", LEGACY_DISTRICTS: "district_id"}.get(level)
    then = f(target) if target else F(f"{prefix}_id")
    return Case(When(own_era, then=then), default=Value(None), output_field=IntegerField())


def other_era_commune(level, prefix="product__commune"):
    """For a legacy level: the record's commune where it is a current one (to be mapped
    back through formed_from), else NULL. Always NULL for a current level."""
    if level[0] == Era.CURRENT:
        return Value(None, output_field=IntegerField())
    return Case(
        When(**{f"{prefix}__era": Era.CURRENT}, then=F(f"{prefix}_id")),
        default=Value(None),
        output_field=IntegerField(),
    )


def back_map(level):
    """{current commune id: unit id of the legacy `level`} (see formed_from)."""
    if level[0] == Era.CURRENT:
        return {}
    field = {LEGACY_PROVINCES: "province_id", LEGACY_DISTRICTS: "district_id"}.get(level, "id")
    return {row["successor_id"]: row["lo"] for row in formed_from(field)}


def unit_label(unit):
    if unit is None:
        return str(_("Vietnam"))
    if isinstance(unit, Commune) and unit.district_id:
        return f"{unit.name}, {unit.district.name}"
    return unit.name


# ---------------------------------------------------------------------------- figures


def certificates_in(unit):
    return Certificate.objects.filter(unit_q(unit))


def count_on(day, unit=None, min_stars=3):
    """Products of `min_stars` or more in `unit` on `day`."""
    return (
        certificates_in(unit)
        .filter(valid_q(day), stars__gte=min_stars)
        .aggregate(n=Count("product", distinct=True))["n"]
    )


def by_stars(day, unit=None):
    """{3: n, 4: n, 5: n}: each product under its highest valid rating on `day`.

    Counting products with a valid certificate of at least s stars, for each s, and
    differencing, puts a product with two overlapping certificates in one bucket only."""
    at_least = certificates_in(unit).aggregate(
        **{
            f"s{s}": Count("product", distinct=True, filter=valid_q(day) & Q(stars__gte=s))
            for s in STARS
        }
    )
    out = {}
    for s in STARS:
        above = at_least.get(f"s{s + 1}", 0) if s < 5 else 0
        out[s] = at_least[f"s{s}"] - above
    return out


def grouped(day, unit, key, min_stars=3):
    """{key value: products} for products in force on `day`."""
    rows = (
        certificates_in(unit)
        .filter(valid_q(day), stars__gte=min_stars)
        .annotate(k=key)
        .values("k")
        .annotate(n=Count("product", distinct=True))
        .order_by()
    )
    return {r["k"]: r["n"] for r in rows}


def by_unit(day, unit, level, min_stars=3):
    """{id of the unit of `level`: products in force on `day`} inside `unit`; None
    gathers the records that map to no unit of that level."""
    if level[0] == Era.CURRENT:
        return grouped(day, unit, child_key(level), min_stars)
    rows = (
        certificates_in(unit)
        .filter(valid_q(day), stars__gte=min_stars)
        .annotate(k=child_key(level), c=other_era_commune(level))
        .values("k", "c")
        .annotate(n=Count("product", distinct=True))
        .order_by()
    )
    back = back_map(level)
    out = {}
    for r in rows:
        # A product has one commune, so it sits in one (k, c) row: the sums are exact.
        k = r["k"] if r["c"] is None else back.get(r["c"])
        out[k] = out.get(k, 0) + r["n"]
    return out


def counts_on_days(days, unit=None, min_stars=3):
    """{day: products} for many days in one query (the trajectory)."""
    if not days:
        return {}
    row = certificates_in(unit).aggregate(
        **{
            f"d{i}": Count("product", distinct=True, filter=valid_q(d) & Q(stars__gte=min_stars))
            for i, d in enumerate(days)
        }
    )
    return {d: row[f"d{i}"] for i, d in enumerate(days)}


def period_ends(start, end, step="year"):
    """Year or quarter ends from `start` to `end`, ending with `end` itself."""
    days = []
    year = start.year
    while True:
        if step == "quarter":
            for month in (3, 6, 9, 12):
                days.append(_month_end(year, month))
        else:
            days.append(datetime.date(year, 12, 31))
        year += 1
        if year > end.year:
            break
    days = [d for d in days if start <= d < end]
    days.append(end)
    return days


def _month_end(year, month):
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


# ---------------------------------------------------------------------------- targets


@dataclass
class Progress:
    target: object
    day: datetime.date
    done: int
    total: int
    met: bool
    missing: list = field(default_factory=list)
    baseline: int | None = None
    count: int | None = None

    @property
    def percent(self):
        if not self.total:
            return 100
        return min(100, round(100 * self.done / self.total))

    @property
    def overdue(self):
        return not self.met and self.day > self.target.deadline


def coverage_level(unit):
    """The communes a coverage target counts: the unit's own era."""
    return CURRENT_COMMUNES if unit.era == Era.CURRENT else LEGACY_COMMUNES


def coverage_on(day, unit, threshold, min_stars):
    """(covered communes, all communes) of `unit` on `day`."""
    level = coverage_level(unit)
    units = list(children(unit, level).select_related("district"))
    counts = by_unit(day, unit, level, min_stars)
    covered = [u for u in units if counts.get(u.pk, 0) >= threshold]
    return covered, units


def progress(target, day=None):
    """Where `target` stands on `day` (today by default)."""
    day = day or timezone.localdate()
    unit = target.unit
    if target.kind == TargetKind.COVERAGE:
        covered, units = coverage_on(day, unit, target.threshold, target.min_stars)
        ids = {u.pk for u in covered}
        missing = [u.name for u in units if u.pk not in ids]
        return Progress(target, day, len(covered), len(units), not missing, missing)
    count = count_on(day, unit, target.min_stars)
    if target.kind == TargetKind.COUNT:
        missing = [] if count >= target.threshold else [unit.name]
        return Progress(
            target, day, count, target.threshold, count >= target.threshold, missing, count=count
        )
    baseline = target.baseline
    if baseline is None:
        baseline = count_on(target.baseline_date, unit, target.min_stars)
    needed = target.required_increase(baseline)
    done = max(0, count - baseline)
    missing = [] if done >= needed else [unit.name]
    return Progress(
        target, day, done, needed, done >= needed, missing, baseline=baseline, count=count
    )


def trajectory(target, day=None, step="year", start=None):
    """[(day, done)] at each period end up to `day`: the target's path over time."""
    day = day or timezone.localdate()
    start = start or datetime.date(min(day.year, target.deadline.year) - 4, 1, 1)
    days = period_ends(start, day, step)
    if target.kind == TargetKind.COVERAGE:
        return [
            (d, len(coverage_on(d, target.unit, target.threshold, target.min_stars)[0]))
            for d in days
        ]
    counts = counts_on_days(days, target.unit, target.min_stars)
    if target.kind == TargetKind.GROWTH:
        baseline = target.baseline
        if baseline is None:
            baseline = count_on(target.baseline_date, target.unit, target.min_stars)
        return [(d, max(0, counts[d] - baseline)) for d in days]
    return [(d, counts[d]) for d in days]
