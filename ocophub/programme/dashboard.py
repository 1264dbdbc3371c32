"""The programme dashboard's figures: every table the page, the XLSX exports, the PDF
report and the API show, from one place.

A table is (title, headers, rows); the page draws a chart beside most of them.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.accounts.models import Role
from ocophub.certificates.models import Certificate, expiry_warning_days
from ocophub.certificates.validity import valid_q
from ocophub.evaluation.models import Dossier, DossierKind
from ocophub.places.models import Commune, District, Era, Province
from ocophub.producers.models import Producer, ProducerKind
from ocophub.products.models import ProductGroup

from . import progress as p
from .models import Target, UnitLevel, find_unit, owning_province

FIRST_YEAR = 2019  # the first national OCOP certificates under 1048/QĐ-TTg
MAX_LISTED = 50


class FilterError(ValueError):
    def __init__(self, param, message):
        super().__init__(message)
        self.param = param
        self.message = message


# ---------------------------------------------------------------------------- filters


def resolve_unit(code, era, level=None):
    """A unit from a bare code in `era`: a province first, then a pre-2025 district, then
    a commune (codes repeat across levels; `level` picks one). '' is None (everywhere)."""
    code = (code or "").strip()
    if not code:
        return None
    if ":" in code:  # "district:157" from the web form
        level, _sep, code = code.partition(":")
    if not code.isdigit():
        raise FilterError("unit", _("unit must be a unit code (digits), got “%s”.") % code)
    levels = [level] if level else [UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]
    for lv in levels:
        if lv not in UnitLevel.values:
            raise FilterError("level", _("level must be province, district or commune."))
        unit = find_unit(lv, era, int(code))
        if unit is not None:
            return unit
    raise FilterError(
        "unit",
        _("unit: no unit with code %(code)s in the era “%(era)s”.") % {"code": code, "era": era},
    )


def parse_day(value, param="as_of"):
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise FilterError(
            param,
            _("%(param)s must be a date as YYYY-MM-DD, got “%(value)s”.")
            % {"param": param, "value": value},
        ) from exc


def parse_era(value):
    value = value or Era.CURRENT
    if value not in Era.values:
        raise FilterError("era", _("era must be “legacy” or “current”, got “%s”.") % value)
    return value


def level_of(unit):
    if isinstance(unit, Province):
        return UnitLevel.PROVINCE
    if isinstance(unit, District):
        return UnitLevel.DISTRICT
    return UnitLevel.COMMUNE


@dataclass
class Scope:
    """Which figures: inside `unit` (None: the country), broken down by the units of
    `era`, counted on `day`."""

    unit: object
    era: str
    day: datetime.date
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def label(self):
        return p.unit_label(self.unit)

    @property
    def unit_param(self):
        if self.unit is None:
            return ""
        return f"{level_of(self.unit)}:{self.unit.code}"

    @property
    def unit_era(self):
        return self.unit.era if self.unit is not None else self.era


def home_province(user):
    """The province whose figures a user may see; None for the whole country."""
    if user.is_superuser:
        return None
    return user.province


def may_view(user):
    return user.is_authenticated and (
        user.is_superuser
        or (
            user.province_id
            and user.role
            in (Role.PROVINCE_OFFICE, Role.COMMUNE_OFFICER, Role.INSPECTOR, Role.UNION_OFFICER)
        )
    )


def scope_from(params, user=None):
    """A Scope from query parameters (unit, unit_era, era, as_of), checked against the
    user's province. Raises FilterError naming the parameter."""
    era = parse_era(params.get("era"))
    unit_era = parse_era(params.get("unit_era") or era)
    day = parse_day(params.get("as_of"))
    unit = resolve_unit(params.get("unit"), unit_era, params.get("level") or None)
    if user is not None:
        home = home_province(user)
        if home is not None:
            if unit is None:
                unit = home
            elif owning_province(unit) != home:
                raise FilterError(
                    "unit", _("unit: %(unit)s is outside your province.") % {"unit": unit.name}
                )
    return Scope(unit, era, day)


def _options(qs, prefix):
    return [(f"{prefix}:{code}", name) for code, name in qs.values_list("code", "name")]


def unit_choices(home):
    """(label, [(value, name)]) groups for the unit filter within `home` (None: all
    provinces). Values are 'era|level:code'."""
    provinces = Province.objects.order_by("name")
    if home is None:
        return [
            (
                _("Provinces (current)"),
                _options(provinces.filter(era=Era.CURRENT), "current|province"),
            ),
            (
                _("Provinces before July 2025"),
                _options(provinces.filter(era=Era.LEGACY), "legacy|province"),
            ),
        ]
    districts = District.objects.filter(province__successor=home).order_by("province__name", "name")
    communes = Commune.objects.filter(era=Era.CURRENT, province=home).order_by("name")
    return [
        (_("Province"), [(f"current|province:{home.code}", home.name)]),
        (
            _("Provinces before July 2025"),
            _options(provinces.filter(era=Era.LEGACY, successor=home), "legacy|province"),
        ),
        (
            _("Districts before July 2025"),
            [
                (f"legacy|district:{code}", f"{name} ({province})")
                for code, name, province in districts.values_list("code", "name", "province__name")
            ],
        ),
        (_("Communes (current)"), _options(communes, "current|commune")),
    ]


def split_unit_value(params):
    """The web form sends unit as 'era|level:code'; the API sends unit and era apart."""
    params = params.copy()
    unit = params.get("unit", "")
    if "|" in unit:
        unit_era, _sep, rest = unit.partition("|")
        params["unit_era"], params["unit"] = unit_era, rest
    return params


# ---------------------------------------------------------------------------- tables


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list
    chart: str = ""  # "bars", "columns" or ""
    # A province has ~150 communes, most with no product yet: the page lists those by
    # name under the table rather than as rows and bars of zero (exports keep them all).
    fold_zeros: bool = False

    def __post_init__(self):
        # Lazy translations (choice labels) become text, for the templates and for XLSX.
        self.headers = [str(h) for h in self.headers]
        self.rows = [tuple(str(v) if isinstance(v, Promise) else v for v in r) for r in self.rows]

    @property
    def shown_rows(self):
        return [r for r in self.rows if r[-1]] if self.fold_zeros else self.rows

    @property
    def zero_rows(self):
        return [r for r in self.rows if not r[-1]] if self.fold_zeros else []

    def chart_rows(self):
        """(label, value) pairs drawn in the chart: the first and last columns."""
        return [(str(r[0]), r[-1] or 0) for r in self.shown_rows]


# A product's group under 148/2023, else under 1048/2019; rolled up to the top group in
# Python from the small group table, which saves two joins on every certificate.
PRODUCT_GROUP = Coalesce("product__group_2023_id", "product__group_2019_id")


def top_groups():
    return {pk: parent or pk for pk, parent in ProductGroup.objects.values_list("pk", "parent")}


UNMAPPED = gettext_lazy("(not mapped to a unit of this era)")


def crosstab(scope):
    """Products in force on the scope's day, counted once per (product group, producer
    type, unit) cell and by rating: one scan of the certificates for four tables.

    A product sits in exactly one cell, so sums over cells count each product once; its
    rating is the highest among its valid certificates (see progress.by_stars)."""
    if "crosstab" not in scope.cache:
        level = p.child_level(scope.unit, scope.era)
        # Per product first (its best rating among its valid certificates), then per cell:
        # cheaper than counting distinct products in every cell.
        keys = {
            "g": Min(PRODUCT_GROUP),
            "k": Min("product__producer__kind"),
            "u": Min(p.child_key(level)),
            "best": Max("stars"),
        }
        legacy = level[0] == Era.LEGACY
        if legacy:  # records made under current communes, to map back
            keys["c"] = Min(p.other_era_commune(level))
        per_product = (
            p.certificates_in(scope.unit)
            .filter(valid_q(scope.day))
            .values("product_id")
            .annotate(**keys)
            .order_by()
        )
        sql, params = per_product.query.sql_with_params()
        c = ", c" if legacy else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT g, k, u, best, COUNT(*){c} FROM ({sql}) per_product"
                f" GROUP BY g, k, u, best{c}",
                params,
            )
            found = cursor.fetchall()
        top = top_groups()
        back = p.back_map(level)
        cells = {}
        for g, k, u, best, n, *rest in found:
            if rest and rest[0] is not None:
                u = back.get(rest[0])  # a record made after the reform, mapped back
            key = (top.get(g, g), k, u)
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = dict.fromkeys(p.STARS, 0)
            cell[best] += n
        cells = [(g, k, u, by) for (g, k, u), by in cells.items()]
        scope.cache["crosstab"] = (level, cells)
    return scope.cache["crosstab"]


def _sum_by(cells, index):
    out = {}
    for cell in cells:
        key = cell[index]
        out[key] = out.get(key, 0) + sum(cell[3].values())
    return out


def stars_table(scope):
    _level, cells = crosstab(scope)
    counts = {s: sum(c[3][s] for c in cells) for s in p.STARS}
    return Table(
        "stars",
        _("Products by stars"),
        [_("Stars"), _("Products")],
        [(f"{s} ★", counts[s]) for s in reversed(p.STARS)],
        "bars",
    )


def groups_table(scope):
    counts = _sum_by(crosstab(scope)[1], 0)
    groups = {g.pk: g for g in ProductGroup.objects.filter(pk__in=[k for k in counts if k])}
    rows = sorted(
        ((str(groups[k]) if k in groups else _("(no group)"), n) for k, n in counts.items()),
        key=lambda r: (-r[1], r[0]),
    )
    return Table(
        "groups", _("Products by product group"), [_("Group"), _("Products")], rows, "bars"
    )


def kinds_table(scope):
    counts = _sum_by(crosstab(scope)[1], 1)
    rows = [(kind.label, counts.get(kind.value, 0)) for kind in ProducerKind]
    return Table(
        "kinds", _("Products by producer type"), [_("Producer type"), _("Products")], rows, "bars"
    )


def units_table(scope):
    level, cells = crosstab(scope)
    counts = _sum_by(cells, 2)
    units = p.children(scope.unit, level)
    if level[1] is Commune and scope.unit is None:
        units = units.none()  # ~3,300 communes: the country is shown by province
    rows = [(u.name, u.code, counts.get(u.pk, 0)) for u in units.only("name", "code")]
    rows.sort(key=lambda r: (-r[2], r[0]))
    if counts.get(None):
        rows.append((str(UNMAPPED), "", counts[None]))
    era, model = level
    level_name = {Province: _("Province"), District: _("District"), Commune: _("Commune")}[model]
    if era == Era.LEGACY:
        level_name = _("%s (before July 2025)") % level_name
    return Table(
        "units",
        _("Products by unit"),
        [level_name, _("Code"), _("Products")],
        rows,
        "bars",
        fold_zeros=True,
    )


def years_table(scope):
    """Products in force at each year end, and certificates issued in each year: one
    query, which in a province starts from its communes."""
    ends = [datetime.date(y, 12, 31) for y in range(FIRST_YEAR, scope.day.year)] + [scope.day]
    counts = {}
    for i, end in enumerate(ends):
        if end != scope.day:  # the as-of day's figure is the cross-tab's total
            counts[f"f{i}"] = Count("product", distinct=True, filter=valid_q(end))
        counts[f"i{i}"] = Count(
            "id", filter=Q(valid_from__gte=datetime.date(end.year, 1, 1), valid_from__lte=end)
        )
    row = p.certificates_in(scope.unit).aggregate(**counts)
    row[f"f{len(ends) - 1}"] = sum(sum(cell[3].values()) for cell in crosstab(scope)[1])
    rows = [(end.year, row[f"i{i}"], row[f"f{i}"]) for i, end in enumerate(ends)]
    return Table(
        "years",
        _("By year"),
        [_("Year"), _("Certificates issued"), _("Products in force at year end")],
        rows,
        "columns",
    )


ROUND_YEARS = 3  # rounds shown: those opened in the as-of year and the two before


def rounds_table(scope):
    """Dossiers per evaluation round by kind (new product, upgrade, re-evaluation), and
    how many the council's decision passed."""
    kinds = list(DossierKind)
    rows = (
        Dossier.objects.filter(
            p.unit_q(scope.unit, "product__commune"),
            round__opens_on__lte=scope.day,
            round__year__gt=scope.day.year - ROUND_YEARS,
        )
        .values("round_id", "round__year", "round__number", "round__province__name")
        .annotate(
            **{
                f"k_{kind.value}": Count("id", filter=Q(kind=kind.value), distinct=True)
                for kind in kinds
            },
            passed=Count("id", filter=Q(decision_items__achieved=True), distinct=True),
        )
        .order_by("-round__year", "-round__number", "round__province__name")
    )
    out = [
        (
            _("Round %(number)s/%(year)s")
            % {"number": r["round__number"], "year": r["round__year"]},
            r["round__province__name"],
            *(r[f"k_{kind.value}"] for kind in kinds),
            r["passed"],
        )
        for r in rows
    ]
    return Table(
        "rounds",
        _("Dossiers per evaluation round"),
        [_("Round"), _("Province"), *(kind.label for kind in kinds), _("Passed")],
        out,
    )


def expiring_table(scope, days=None):
    days = days or expiry_warning_days()
    qs = (
        p.certificates_in(scope.unit)
        .filter(valid_q(scope.day), valid_until__lte=scope.day + datetime.timedelta(days=days))
        .order_by("valid_until", "number")
    )
    rows = list(
        qs.values_list(
            "number",
            "product__name",
            "product__producer__name",
            "product__commune__name",
            "stars",
            "valid_until",
        )[:MAX_LISTED]
    )
    total = qs.count() if len(rows) == MAX_LISTED else len(rows)
    table = Table(
        "expiring",
        _("Certificates expiring within %(days)s days (%(n)s)") % {"days": days, "n": total},
        [_("Certificate"), _("Product"), _("Producer"), _("Commune"), _("Stars"), _("Valid until")],
        rows,
    )
    table.total = total
    return table


COOP_KINDS = (ProducerKind.COOPERATIVE, ProducerKind.COOP_GROUP)


def _producers_in(scope):
    return Producer.objects.filter(p.unit_q(scope.unit, "commune"), kind__in=COOP_KINDS)


def cooperatives_table(scope):
    # One pass over the cooperatives; each probes its products' certificates by index.
    in_force = Exists(
        Certificate.objects.filter(valid_q(scope.day), product__producer=OuterRef("pk"))
    )
    totals = {
        r["kind"]: r
        for r in _producers_in(scope)
        .annotate(has_ocop=in_force)
        .values("kind")
        .annotate(
            n=Count("id"),
            n_members=Coalesce(Sum("member_count"), 0),
            n_ocop=Count("id", filter=Q(has_ocop=True)),
        )
        .order_by()
    }
    out = [
        (
            kind.label,
            totals.get(kind.value, {}).get("n", 0),
            totals.get(kind.value, {}).get("n_ocop", 0),
            totals.get(kind.value, {}).get("n_members", 0),
        )
        for kind in COOP_KINDS
    ]
    return Table(
        "cooperatives",
        _("Cooperatives and cooperative groups"),
        [_("Type"), _("Producers"), _("With an OCOP product in force"), _("Members")],
        out,
    )


def top_cooperatives_table(scope):
    qs = (
        _producers_in(scope)
        .annotate(n_members=Coalesce("member_count", 0))
        .select_related("commune")
        .order_by("-n_members", "name")[:20]
    )
    rows = [(c.name, ProducerKind(c.kind).label, c.commune.name, c.n_members) for c in qs]
    return Table(
        "top_cooperatives",
        _("Largest cooperatives by members"),
        [_("Producer"), _("Type"), _("Commune"), _("Members")],
        rows,
    )


def targets_in(scope):
    qs = Target.objects.all()
    if scope.unit is not None:
        province = owning_province(scope.unit)
        qs = qs.filter(province=province)
    return qs


def targets_table(scope, targets=None):
    targets = targets if targets is not None else list(targets_in(scope))
    rows = []
    for target in targets:
        result = p.progress(target, scope.day)
        rows.append(
            (
                target.title,
                target.unit_name,
                target.deadline,
                result.done,
                result.total,
                _("met") if result.met else (_("overdue") if result.overdue else _("not yet")),
                ", ".join(result.missing),
            )
        )
    return Table(
        "targets",
        _("Targets"),
        [
            _("Target"),
            _("Unit"),
            _("Deadline"),
            _("Done"),
            _("Of"),
            _("Status"),
            _("Units still short"),
        ],
        rows,
    )


TABLES = {
    "stars": stars_table,
    "groups": groups_table,
    "kinds": kinds_table,
    "units": units_table,
    "years": years_table,
    "rounds": rounds_table,
    "expiring": expiring_table,
    "cooperatives": cooperatives_table,
    "top_cooperatives": top_cooperatives_table,
    "targets": targets_table,
}


def summary(scope):
    """The API's summary: total, by stars and by top product group (148/2023 codes bare,
    1048/2019 codes as '2019:CODE')."""
    _level, cells = crosstab(scope)
    stars = {s: sum(c[3][s] for c in cells) for s in p.STARS}
    counts = _sum_by(cells, 0)
    codes = {
        pk: code if classification == "2023" else f"{classification}:{code}"
        for pk, classification, code in ProductGroup.objects.filter(
            pk__in=[k for k in counts if k]
        ).values_list("pk", "classification", "code")
    }
    by_group = {}
    for k, n in counts.items():
        code = codes.get(k, "none")
        by_group[code] = by_group.get(code, 0) + n
    return {
        "total": sum(stars.values()),
        "by_stars": {str(s): stars[s] for s in p.STARS},
        "by_group": by_group,
    }
