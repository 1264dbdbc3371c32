"""Programme figures for other systems. Counts of certified products are published
data, so these reads need no token."""

import datetime

from ninja import Router, Schema

from ocophub.core.api_errors import api_error, error_responses
from ocophub.places.models import Era, Province

from . import dashboard as d
from . import progress as p
from .models import Target

router = Router(tags=["programme"])


class TargetOut(Schema):
    id: int
    title: str
    kind: str
    unit: str
    unit_era: str
    unit_level: str
    unit_code: int
    threshold: int
    min_stars: int
    deadline: datetime.date
    source_document: str
    as_of: datetime.date
    met: bool
    done: int
    total: int
    missing: list[str]


class TargetList(Schema):
    count: int
    items: list[TargetOut]


def _bad(exc):
    raise api_error(400, exc.message)


@router.get("/targets", response={200: TargetList, **error_responses(400)})
def list_targets(request, province: str = "", as_of: str = ""):
    """Every target with its progress on `as_of` (today by default): `met`, `done` of
    `total`, and `missing`, the names of the units still short. `province` (a current
    province code) keeps one province's targets."""
    try:
        day = d.parse_day(as_of)
    except d.FilterError as exc:
        _bad(exc)
    qs = Target.objects.all()
    if province:
        if (
            not province.isdigit()
            or not Province.objects.filter(era=Era.CURRENT, code=int(province)).exists()
        ):
            raise api_error(400, f"province: no current province with code “{province}”.")
        qs = qs.filter(province__code=int(province), province__era=Era.CURRENT)
    items = []
    for target in qs:
        result = p.progress(target, day)
        items.append(
            {
                "id": target.pk,
                "title": target.title,
                "kind": target.kind,
                "unit": target.unit_name,
                "unit_era": target.unit_era,
                "unit_level": target.unit_level,
                "unit_code": target.unit_code,
                "threshold": target.threshold,
                "min_stars": target.min_stars,
                "deadline": target.deadline,
                "source_document": target.source_document,
                "as_of": day,
                "met": result.met,
                "done": result.done,
                "total": result.total,
                "missing": result.missing,
            }
        )
    return {"count": len(items), "items": items}


class SummaryOut(Schema):
    unit: str
    era: str
    as_of: datetime.date
    total: int
    by_stars: dict[str, int]
    by_group: dict[str, int]


@router.get("/programme/summary", response={200: SummaryOut, **error_responses(400)})
def summary(request, unit: str = "", era: str = "current", as_of: str = "", level: str = ""):
    """Certified products in force on `as_of` (today by default) in `unit`, a code in
    `era` (`current` or `legacy`): a province first, then a pre-2025 district, then a
    commune; `level` (province, district, commune) settles a code used at two levels.
    No unit: the whole country. `by_group` is keyed by the top product-group code
    (148/2023 codes bare, 1048/2019 codes as `2019:CODE`)."""
    try:
        scope = d.scope_from({"unit": unit, "era": era, "as_of": as_of, "level": level})
    except d.FilterError as exc:
        _bad(exc)
    return {
        "unit": p.unit_label(scope.unit),
        "era": scope.era,
        "as_of": scope.day,
        **d.summary(scope),
    }
