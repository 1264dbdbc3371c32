"""The figures the union files, by unit (either era) and period, for the page, the
XLSX/CSV export and the API. Participations (lượt người) and participants (distinct
people) are always named as such. Reported totals are shown beside, never added in."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.core.tabular import table_response
from ocophub.core.text import fold
from ocophub.places.models import Commune, District, Era, Province
from ocophub.places.units import unit_q

from . import progress
from .models import Course, Field, ReportedFigure, SupportCase
from .pdf import union_report_pdf
from .views import union_only

LEVELS = {"province": Province, "district": District, "commune": Commune}

LABELS = {
    "cooperatives_founded": gettext_lazy("Cooperatives founded"),
    "cooperative_members": gettext_lazy("Members of those cooperatives"),
    "groups_founded": gettext_lazy("Cooperative groups founded"),
    "group_members": gettext_lazy("Members of those groups"),
    "organisations_founded": gettext_lazy("Cooperatives and groups founded (total)"),
    "organisation_members": gettext_lazy("Members of those cooperatives and groups (total)"),
    "courses": gettext_lazy("Courses held"),
    "participations": gettext_lazy("Participations (lượt người: a person once per course)"),
    "participants": gettext_lazy("Participants (distinct people)"),
    "products_listed": gettext_lazy("Products listed on e-commerce"),
}


# Reported figures name their indicator by these keys where they can (demo.py); any
# other text is shown as it was entered.
REPORTED_LABELS = {
    **LABELS,
    "members_trained": gettext_lazy("Members trained (as reported, people or participations)"),
    "cooperatives_in_province": gettext_lazy("Cooperatives in the province (all)"),
    "groups_in_province": gettext_lazy("Cooperative groups in the province (all)"),
    "products_listed": gettext_lazy("Products listed on e-commerce"),
}


def indicator_label(indicator: str) -> str:
    return str(REPORTED_LABELS.get(indicator, indicator))


class ReportError(ValueError):
    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param, self.message = param, message


def resolve_unit(code: str, era: str = Era.CURRENT, level: str = "") -> Any:
    """A unit from its code in `era`: a province first, then a district (legacy era
    only), then a commune; `level` or a "level:code" value picks one. '' is everywhere."""
    code = (code or "").strip()
    if not code:
        return None
    if era not in Era.values:
        raise ReportError("era", _("era must be legacy or current."))
    if ":" in code:
        level, _sep, code = code.partition(":")
    if not code.isdigit():
        raise ReportError("unit", _("unit must be a unit code (digits), got “%s”.") % code)
    if level and level not in LEVELS:
        raise ReportError("level", _("level must be province, district or commune."))
    for name in [level] if level else list(LEVELS):
        unit = LEVELS[name].objects.filter(era=era, code=int(code)).first()
        if unit is not None:
            return unit
    raise ReportError(
        "unit",
        _("unit: no unit with code %(code)s in the era “%(era)s”.") % {"code": code, "era": era},
    )


def parse_day(value: str, param: str, default: datetime.date) -> datetime.date:
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ReportError(param, _("%(p)s must be a date YYYY-MM-DD.") % {"p": param}) from exc


@dataclass
class Scope:
    unit: Any
    era: str
    start: datetime.date
    end: datetime.date


def scope_from(
    params: Any, since: datetime.date | None = None, until: datetime.date | None = None
) -> Scope:
    """The unit and period asked in `params` (unit, level, era, from, to); an unasked
    period runs from `since` (1 January) to `until` (today)."""
    today = timezone.localdate()
    era = params.get("era") or Era.CURRENT
    unit = resolve_unit(params.get("unit", ""), era, params.get("level", ""))
    start = parse_day(params.get("from", ""), "from", since or datetime.date(today.year, 1, 1))
    end = parse_day(params.get("to", ""), "to", until or today)
    if end < start:
        raise ReportError("to", _("to must not come before from."))
    return Scope(unit, era, start, end)


def reported(scope: Scope) -> list[ReportedFigure]:
    """Reported totals for this very unit whose period overlaps the asked one, each with
    the `label` of its indicator."""
    qs = ReportedFigure.objects.filter(period_from__lte=scope.end, period_to__gte=scope.start)
    figures = list(qs.filter(unit_ref=scope.unit.ref if scope.unit else ""))
    for figure in figures:
        figure.label = indicator_label(figure.indicator)
    return figures


def courses_in(scope: Scope, user: Any):
    return Course.objects.visible_to(user).filter(
        unit_q(scope.unit, "commune"), starts_on__range=(scope.start, scope.end)
    )


def breakdowns(scope: Scope, user: Any) -> list[tuple[str, list[dict]]]:
    courses = courses_in(scope, user)
    fields = dict(Field.choices)
    genders = {"female": _("Female"), "male": _("Male"), "other": _("Other")}
    out = []
    for title, by, names in (
        (_("By field"), "session__course__field", fields),
        (_("By gender"), "person__gender", genders),
        (_("By ethnicity"), "person__ethnicity", {}),
    ):
        rows = progress.breakdown(courses, by)
        for row in rows:
            row["label"] = names.get(row["value"], row["value"]) or _("not stated")
        out.append((title, rows))
    return out


def figures(scope: Scope, user: Any) -> dict[str, int]:
    return progress.figures(scope.unit, scope.start, scope.end, user)


def sub_units(scope: Scope, user: Any) -> list[Any]:
    """The units one tier below the asked one, in its era, that hold any of the period's
    records: a current province's communes, a legacy province's districts, a district's
    communes, every province when none is asked; none below a commune. Candidates come
    from the records' communes and those they became or were formed from; unit_q then
    decides what counts where (a commune merged from several districts counts in none)."""
    unit = scope.unit
    if isinstance(unit, Commune):
        return []
    cases = SupportCase.objects.visible_to(user).filter(
        unit_q(unit, "commune"), registered_on__range=(scope.start, scope.end)
    )
    ids = set(cases.values_list("commune_id", flat=True))
    ids |= set(courses_in(scope, user).values_list("commune_id", flat=True))
    listings = progress.live_listings(unit, scope.start, scope.end)
    ids |= set(listings.values_list("product__producer__commune_id", flat=True))
    related = Commune.objects.filter(
        Q(pk__in=ids) | Q(predecessors__in=ids) | Q(successor__in=ids), era=scope.era
    )
    if unit is None:
        return list(Province.objects.filter(pk__in=related.values("province_id")))
    if isinstance(unit, Province) and unit.era == Era.LEGACY:
        return list(District.objects.filter(pk__in=related.values("district_id"), province=unit))
    within = {"province": unit} if isinstance(unit, Province) else {"district": unit}
    return list(related.filter(**within).distinct())


def by_unit(scope: Scope, user: Any) -> list[tuple[str, dict[str, int]]]:
    """The computed figures of each sub-unit with any, by name."""
    rows = []
    for sub in sub_units(scope, user):
        got = progress.figures(sub, scope.start, scope.end, user)
        if any(got.values()):
            rows.append((sub.name, got))
    return sorted(rows, key=lambda row: fold(row[0]))


def unit_name(unit: Any) -> str:
    if unit is None:
        return _("All your units")
    return unit.full_name() if isinstance(unit, Commune) else unit.name


def bad_request(request, exc: ReportError):
    """The report page with the message of what to fix, for the page and its exports."""
    return render(
        request, "support/report.html", {"error": exc.message, "f": request.GET}, status=400
    )


def report_data(scope: Scope, user: Any) -> dict[str, Any]:
    """What the page, the exports and the PDF show, in the active language."""
    computed = figures(scope, user)
    return {
        "scope": scope,
        "unit_name": unit_name(scope.unit),
        "era_label": str(Era(scope.era).label),
        "computed": [(k, str(LABELS[k]), v) for k, v in computed.items()],
        "totals": computed,
        "breakdowns": breakdowns(scope, user),
        "by_unit": by_unit(scope, user),
        "reported": reported(scope),
    }


@union_only
def report(request):
    try:
        scope = scope_from(request.GET)
    except ReportError as exc:
        return bad_request(request, exc)
    data = report_data(scope, request.user)
    unit_rows = [(n, [(LABELS[k], v) for k, v in got.items()]) for n, got in data["by_unit"]]
    return render(
        request,
        "support/report.html",
        {
            **data,
            "unit_rows": unit_rows,
            "f": request.GET,
            "query": request.GET.urlencode(),
            "eras": Era.choices,
        },
    )


@union_only
def export(request, fmt):
    if fmt not in ("xlsx", "csv", "pdf"):
        raise Http404
    try:
        scope = scope_from(request.GET)
    except ReportError as exc:
        return bad_request(request, exc)
    name = f"hoi-nong-dan-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"
    if fmt == "pdf":
        # The union files its report in Vietnamese, whatever the page's language.
        with translation.override("vi"):
            data = union_report_pdf(report_data(scope, request.user))
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    data = report_data(scope, request.user)
    computed = _("computed")
    # A filed spreadsheet travels alone: each computed row says its period and area, as
    # each reported row says its own.
    period = f"{scope.start.isoformat()}/{scope.end.isoformat()}"
    area = f"{data['unit_name']} · {data['era_label']}"
    rows = [[computed, label, v, period, area] for _k, label, v in data["computed"]]
    for title, items in data["breakdowns"]:
        for item in items:
            for key in ("participations", "participants"):
                label = f"{title}: {item['label']} — {LABELS[key]}"
                rows.append([computed, label, item[key], period, area])
    for sub, got in data["by_unit"]:
        for key, value in got.items():
            rows.append([computed, f"{sub}: {LABELS[key]}", value, period, area])
    for r in data["reported"]:
        rows.append([_("reported"), r.label, r.value, r.period, r.source])
    headers = [_("Kind"), _("Indicator"), _("Value"), _("Period"), _("Source")]
    return table_response(name, headers, rows, fmt)
