"""Compliance over the API: growing areas (register, list, one as of a date), packing
facilities, approval moves and inspections, the production diary (an area's seasons,
inputs and harvests added to a season), and the eligibility of a consignment for a
market on a date."""

import datetime
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from ocophub.accounts.api_auth import WRITE_AUTH, caller
from ocophub.core.api_errors import (
    ApiError,
    api_error,
    error_responses,
    form_error,
    validation_error,
)
from ocophub.core.api_paging import Offset, RecordId
from ocophub.places.schemas import InCommuneOut
from ocophub.products.models import Product
from ocophub.trace.models import Batch

from . import diary, eligibility
from .areas import Refused, register_area
from .diary_forms import ApplicationForm, HarvestForm
from .inspections import FindingIn, record_inspection
from .models import (
    Application,
    Approval,
    ApprovalStatus,
    Boundary,
    GrowingArea,
    Harvest,
    Inspection,
    InspectionKind,
    Market,
    PackingFacility,
    Season,
    Substance,
    is_compliance_official,
)
from .position import position_errors

router = Router(tags=["compliance"])


def refused(exc: Refused) -> ApiError:
    return api_error(exc.status, exc.detail, exc.errors)


class ApprovalOut(Schema):
    id: int
    market: str
    product_id: int | None
    status: str
    reference: str
    approved_on: datetime.date | None
    expires_on: datetime.date | None
    suspended_on: datetime.date | None
    reason: str

    @staticmethod
    def resolve_market(obj: Approval) -> str:
        return obj.market.code


class AreaIn(Schema):
    code: str
    producer: int
    crop: str
    commune: str
    geometry: dict[str, Any]
    variety: str = ""
    standard: str = ""
    expected_yield_kg: Decimal | None = None
    valid_from: datetime.date | None = None
    households: list[str] = []


class AreaCreated(Schema):
    id: int
    code: str
    area_ha: float


class AreaOut(InCommuneOut):
    id: int
    code: str
    scheme: str
    crop: str
    variety: str
    producer_id: int
    producer: str
    commune: str
    commune_ref: str
    district: str | None
    province: str
    current_commune: str | None
    standard: str
    expected_yield_kg: Decimal | None
    status: str
    area_ha: float | None
    approvals: list[ApprovalOut]

    @staticmethod
    def resolve_scheme(obj: GrowingArea) -> str:
        return obj.scheme.key

    @staticmethod
    def resolve_crop(obj: GrowingArea) -> str:
        return obj.crop.key

    @staticmethod
    def resolve_producer(obj: GrowingArea) -> str:
        return obj.producer.name

    @staticmethod
    def resolve_current_commune(obj: GrowingArea) -> str | None:
        current = obj.commune.current
        return current.name if current else None

    @staticmethod
    def resolve_area_ha(obj: GrowingArea, context: Any) -> float | None:
        boundaries = getattr(obj, "on_day", None)
        if boundaries is None:
            return None
        return float(boundaries[0].area_ha) if boundaries else None


class AreaDetail(AreaOut):
    on: datetime.date
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    geometry: dict[str, Any] | None
    versions: int


class AreaPage(Schema):
    count: int
    items: list[AreaOut]


class AreaQuery(Schema):
    code: str = ""
    producer: RecordId | None = None
    market: str = ""
    status: str = ""
    on: datetime.date | None = None
    limit: int = 100
    offset: Offset = 0


def _areas(request: Any, on: datetime.date) -> Any:
    return (
        GrowingArea.objects.visible_to(caller(request))
        .select_related("scheme", "crop", "producer", "commune__province", "commune__district")
        .select_related("commune__successor")
        .prefetch_related(
            Prefetch("approvals", queryset=Approval.objects.select_related("market")),
            Prefetch("boundaries", queryset=Boundary.objects.valid_on(on), to_attr="on_day"),
        )
    )


@router.post(
    "/compliance/areas",
    response={201: AreaCreated, **error_responses(400, 401, 403, 409)},
    auth=WRITE_AUTH,
)
def create_area(request: Any, payload: AreaIn) -> Any:
    """Register a growing area with its boundary (provincial office or inspector, in
    their province). Area is geodesic on WGS84; 400 names what to fix, 409 the active
    area the boundary overlaps."""
    if not is_compliance_official(request.user):
        raise api_error(403, _("Only the provincial office and inspectors register growing areas."))
    try:
        area = register_area(payload.dict(), request.user)
    except Refused as exc:
        raise refused(exc) from exc
    boundary = area.boundaries.get()
    return Status(201, {"id": area.pk, "code": area.code, "area_ha": float(boundary.area_ha)})


@router.get("/compliance/areas", response=AreaPage)
def list_areas(request: Any, filters: Query[AreaQuery]) -> Any:
    """Growing areas you may read. `market` and `status` select areas holding an approval
    for that market (and in that status); `on` gives the area as of a date."""
    on = filters.on or timezone.localdate()
    rows = _areas(request, on)
    if filters.code:
        rows = rows.filter(code__icontains=filters.code.strip())
    if filters.producer:
        rows = rows.filter(producer_id=filters.producer)
    approval = Q()
    if filters.market:
        approval &= Q(approvals__market__code=filters.market.upper())
    if filters.status:
        approval &= Q(approvals__status=filters.status)
    if approval:
        rows = rows.filter(approval).distinct()
    limit = max(1, min(filters.limit, 500))
    return {"count": rows.count(), "items": list(rows[filters.offset : filters.offset + limit])}


@router.get("/compliance/areas/{area_id}", response={200: AreaDetail, **error_responses(404)})
def get_area(request: Any, area_id: int, on: datetime.date | None = None) -> Any:
    """One area as of `on` (today by default): its boundary then, and the version count."""
    day = on or timezone.localdate()
    area = get_object_or_404(_areas(request, day), pk=area_id)
    boundary = area.on_day[0] if area.on_day else None
    area.on = day
    area.valid_from = boundary.valid_from if boundary else None
    area.valid_until = boundary.valid_until if boundary else None
    area.geometry = json.loads(boundary.geojson) if boundary else None
    area.versions = area.boundaries.count()
    return area


class FacilityOut(InCommuneOut):
    id: int
    code: str
    scheme: str
    name: str
    operator_id: int
    operator: str
    address: str
    commune: str
    commune_ref: str
    province: str
    gln: str
    capacity_t_per_day: Decimal | None
    crops: list[str]
    latitude: float | None
    longitude: float | None
    status: str
    approvals: list[ApprovalOut]

    @staticmethod
    def resolve_scheme(obj: PackingFacility) -> str:
        return obj.scheme.key

    @staticmethod
    def resolve_operator(obj: PackingFacility) -> str:
        return obj.operator.name

    @staticmethod
    def resolve_crops(obj: PackingFacility) -> list[str]:
        return [c.key for c in obj.crops.all()]


class FacilityPage(Schema):
    count: int
    items: list[FacilityOut]


class FacilityQuery(Schema):
    code: str = ""
    market: str = ""
    status: str = ""
    limit: int = 100
    offset: Offset = 0


@router.get("/compliance/facilities", response=FacilityPage)
def list_facilities(request: Any, filters: Query[FacilityQuery]) -> Any:
    """Packing facilities you may read; `market`/`status` as for areas."""
    rows = (
        PackingFacility.objects.visible_to(caller(request))
        .select_related("scheme", "operator", "commune__province")
        .prefetch_related(
            "crops", Prefetch("approvals", queryset=Approval.objects.select_related("market"))
        )
    )
    if filters.code:
        rows = rows.filter(code__icontains=filters.code.strip())
    approval = Q()
    if filters.market:
        approval &= Q(approvals__market__code=filters.market.upper())
    if filters.status:
        approval &= Q(approvals__status=filters.status)
    if approval:
        rows = rows.filter(approval).distinct()
    limit = max(1, min(filters.limit, 500))
    return {"count": rows.count(), "items": list(rows[filters.offset : filters.offset + limit])}


# Approvals and inspections --------------------------------------------------------------


def _holder(request: Any, code: str) -> GrowingArea | PackingFacility:
    """The area or facility with this code that the caller may write, else 404/403."""
    for model in (GrowingArea, PackingFacility):
        row = model.objects.filter(code=code).first()
        if row is not None:
            if not model.objects.editable_by(request.user).filter(pk=row.pk).exists():
                raise api_error(403, _("You do not supervise %(code)s.") % {"code": code})
            return row
    raise api_error(
        404, _("No growing area or packing facility has code %(code)s.") % {"code": code}
    )


def _official(request: Any) -> None:
    if not is_compliance_official(request.user):
        raise api_error(403, _("Only the provincial office and inspectors do this."))


class ApprovalIn(Schema):
    code: str
    market: str
    product: int | None = None
    on: datetime.date | None = None


class MoveIn(Schema):
    status: str
    on: datetime.date | None = None
    note: str = ""
    reference: str = ""
    approved_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    reason: str = ""


class MoveOut(Schema):
    from_status: str
    to_status: str
    on: datetime.date
    at: datetime.datetime
    by: str | None
    note: str
    inspection_id: int | None

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return obj.by.username if obj.by_id else None


class ApprovalDetail(ApprovalOut):
    code: str
    history: list[MoveOut]

    @staticmethod
    def resolve_history(obj: Approval) -> list[Any]:
        return list(obj.events.select_related("by"))


@router.post(
    "/compliance/approvals",
    response={201: ApprovalDetail, **error_responses(400, 401, 403, 404)},
    auth=WRITE_AUTH,
)
def request_approval(request: Any, payload: ApprovalIn) -> Any:
    """Open an approval of a code for a market (and product): it starts as requested."""
    _official(request)
    holder = _holder(request, payload.code)
    market = Market.objects.filter(code=payload.market.upper()).first()
    if market is None:
        codes = ", ".join(Market.objects.values_list("code", flat=True))
        raise api_error(
            400, _("Unknown market; use one of: %(codes)s.") % {"codes": codes}, {"market": codes}
        )
    product = None
    if payload.product is not None:
        product = Product.objects.filter(pk=payload.product).first()
        if product is None:
            raise api_error(400, _("Unknown product."), {"product": _("Unknown product.")})
    try:
        approval = Approval.request(holder, market, request.user, product=product, on=payload.on)
    except ValidationError as exc:
        raise validation_error(exc) from exc
    return Status(201, approval)


@router.get(
    "/compliance/approvals/{approval_id}", response={200: ApprovalDetail, **error_responses(404)}
)
def get_approval(request: Any, approval_id: int) -> Any:
    return get_object_or_404(
        Approval.objects.visible_to(caller(request)).select_related("market", "area", "facility"),
        pk=approval_id,
    )


@router.post(
    "/compliance/approvals/{approval_id}/moves",
    response={200: ApprovalDetail, **error_responses(400, 401, 403, 404)},
    auth=WRITE_AUTH,
)
def move_approval(request: Any, approval_id: int, payload: MoveIn) -> Any:
    """Move an approval along its lifecycle; an illegal move answers 400 saying which
    moves are possible. Lifting a suspension needs a follow-up inspection."""
    _official(request)
    approval = get_object_or_404(Approval.objects.visible_to(request.user), pk=approval_id)
    if not Approval.objects.editable_by(request.user).filter(pk=approval.pk).exists():
        raise api_error(403, _("You do not supervise %(code)s.") % {"code": approval.code})
    if payload.status not in ApprovalStatus.values:
        raise api_error(400, _("Unknown status."), {"status": ", ".join(ApprovalStatus.values)})
    fields = payload.dict(exclude={"status", "on", "note"})
    try:
        approval.move(payload.status, request.user, on=payload.on, note=payload.note, **fields)
    except ValidationError as exc:
        raise validation_error(exc) from exc
    return approval


class FindingSchema(Schema):
    kind: str
    severity: str
    market: str | None = None
    note: str = ""


class InspectionIn(Schema):
    code: str
    on: datetime.date
    kind: str = InspectionKind.SUPERVISION
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    notes: str = ""
    next_visit: datetime.date | None = None
    findings: list[FindingSchema] = []


class InspectionOut(Schema):
    id: int
    code: str
    on: datetime.date
    kind: str
    inspector: str
    latitude: float | None
    longitude: float | None
    findings: list[FindingSchema]
    suspended: list[int]

    @staticmethod
    def resolve_code(obj: Inspection) -> str:
        return obj.holder.code

    @staticmethod
    def resolve_inspector(obj: Inspection) -> str:
        return obj.inspector.username

    @staticmethod
    def resolve_findings(obj: Inspection) -> list[dict[str, Any]]:
        return [
            {
                "kind": f.kind,
                "severity": f.severity,
                "market": f.market.code if f.market else None,
                "note": f.note,
            }
            for f in obj.findings.select_related("market")
        ]


@router.post(
    "/compliance/inspections",
    response={201: InspectionOut, **error_responses(400, 401, 403, 404)},
    auth=WRITE_AUTH,
)
def create_inspection(request: Any, payload: InspectionIn) -> Any:
    """Record an inspection with its findings; a critical finding suspends the code's
    approvals (of the finding's market, if named) in the same transaction."""
    _official(request)
    holder = _holder(request, payload.code)
    markets = {m.code: m for m in Market.objects.all()}
    findings = []
    for item in payload.findings:
        market = None
        if item.market:
            market = markets.get(item.market.upper())
            if market is None:
                raise api_error(
                    400, _("Unknown market; use one of: %(codes)s.") % {"codes": ", ".join(markets)}
                )
        findings.append(FindingIn(item.kind, item.severity, market, item.note))
    problems = position_errors(
        holder, payload.latitude, payload.longitude, payload.accuracy_m, payload.on
    )
    if problems:
        raise api_error(400, "; ".join(f"{k}: {v}" for k, v in problems.items()), problems)
    fields = payload.dict(include={"latitude", "longitude", "accuracy_m", "notes", "next_visit"})
    try:
        inspection, suspended = record_inspection(
            holder, request.user, payload.on, findings, kind=payload.kind, **fields
        )
    except ValidationError as exc:
        raise validation_error(exc) from exc
    inspection.suspended = [a.pk for a in suspended]  # type: ignore[attr-defined]  # for the schema
    return Status(201, inspection)


# A code's own status ----------------------------------------------------------------


class CodeStatusIn(Schema):
    status: str
    reason: str
    on: datetime.date | None = None


class CodeEventOut(Schema):
    from_status: str
    to_status: str
    move: str
    on: datetime.date
    at: datetime.datetime
    by: str | None
    reason: str
    inspection_id: int | None

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return obj.by.username if obj.by_id else None


class CodeStatusOut(Schema):
    code: str
    kind: str
    status: str
    next_statuses: list[str]
    history: list[CodeEventOut]

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return obj.holder_kind

    @staticmethod
    def resolve_next_statuses(obj: Any) -> list[str]:
        return list(obj.next_statuses())

    @staticmethod
    def resolve_history(obj: Any) -> list[Any]:
        return list(obj.code_events.select_related("by").order_by("on", "at", "pk"))


@router.get(
    "/compliance/codes/{code}/status", response={200: CodeStatusOut, **error_responses(404)}
)
def get_code_status(request: Any, code: str) -> Any:
    """A code's status, the moves its lifecycle allows now, and its history with who,
    when and why (for the officials who supervise it and the producer holding it)."""
    user = caller(request)
    for model in (GrowingArea, PackingFacility):
        row = model.objects.visible_to(user).filter(code=code).first()
        if row is not None:
            return row
    raise api_error(
        404, _("No growing area or packing facility has code %(code)s.") % {"code": code}
    )


@router.post(
    "/compliance/codes/{code}/status",
    response={200: CodeStatusOut, **error_responses(400, 401, 403, 404)},
    auth=WRITE_AUTH,
)
def change_code_status(request: Any, code: str, payload: CodeStatusIn) -> Any:
    """Change a code's own status (suspend, revoke, expire, retire, or put it back in
    use as `active`) with the reason, dated `on` (today if not given, never later):
    by the provincial office and inspectors of the code's province. An illegal move
    answers 400 saying which moves are possible; the change is in the history."""
    _official(request)
    holder = _holder(request, code)
    on = payload.on or timezone.localdate()
    if on > timezone.localdate():
        message = _("A change of status takes effect today or earlier.")
        raise api_error(400, f"on: {message}", {"on": message})
    try:
        holder.change_status(payload.status, request.user, payload.reason, on=on)
    except ValidationError as exc:
        raise validation_error(exc) from exc
    return holder


# Eligibility ---------------------------------------------------------------------------


class EligibilityIn(Schema):
    batches: list[int | str]
    market: str
    date: datetime.date | None = None


class ReasonOut(Schema):
    code: str
    batch: str
    record: str
    message: str


class TrailOut(Schema):
    id: int
    uri: str
    inputs: list[str]
    areas: list[str]
    seasons: list[str]
    facilities: list[str]


class EligibilityOut(Schema):
    eligible: bool
    market: str
    date: datetime.date
    reasons: list[ReasonOut]
    batches: list[TrailOut]


def eligibility_body(result: eligibility.Eligibility) -> dict[str, Any]:
    return {
        "eligible": result.eligible,
        "market": result.market.code,
        "date": result.day,
        "reasons": [
            {
                "code": r.code,
                "batch": r.batch.digital_link,
                "record": r.record,
                "message": r.message,
            }
            for r in result.reasons
        ],
        "batches": [
            {
                "id": t.batch.pk,
                "uri": t.batch.digital_link,
                "inputs": [b.digital_link for b in t.batches[1:]],
                "areas": [a.code for a in t.areas],
                "seasons": [str(s) for s in t.seasons],
                "facilities": [f.code for f in t.facilities],
            }
            for t in result.trails
        ],
    }


@router.post(
    "/compliance/eligibility",
    response={200: EligibilityOut, **error_responses(400, 401)},
    auth=WRITE_AUTH,
)
def check_eligibility(request: Any, payload: EligibilityIn) -> Any:
    """May these batches (ids or Digital Link URIs) go to `market` on `date` (today if
    not given)? Followed back through input batches, harvests and packing events; each
    problem is a reason. Only batches you may see can be asked about."""
    errors = {}
    market = Market.objects.filter(code=payload.market.strip().upper()).first()
    if market is None:
        codes = ", ".join(Market.objects.values_list("code", flat=True))
        errors["market"] = _("Unknown market; use one of: %(codes)s.") % {"codes": codes}
    batches: list[Batch] = []
    unknown = []
    scope = Batch.objects.visible_to(request.user).select_related("product")
    for ref in payload.batches:
        batch = eligibility.find_batch(ref, scope)
        if batch is None:
            unknown.append(str(ref))
        elif batch not in batches:
            batches.append(batch)
    if unknown:
        errors["batches"] = _("No batch you may see is %(refs)s.") % {"refs": ", ".join(unknown)}
    elif not batches:
        errors["batches"] = _("Name at least one batch, by id or Digital Link URI.")
    if errors:
        raise api_error(400, "; ".join(f"{k}: {v}" for k, v in errors.items()), errors)
    assert market is not None  # an unknown market put an error above
    result = eligibility.check(batches, market, payload.date or timezone.localdate())
    return eligibility_body(result)


# Production diary -----------------------------------------------------------------------


class FlagOut(Schema):
    kind: str
    message: str


class ApplicationOut(Schema):
    id: int
    product_name: str
    substances: list[str]
    dose: str
    applied_on: datetime.date
    applied_by: str
    phi_days: int | None
    flags: list[FlagOut]


class BatchRef(Schema):
    id: int
    uri: str


class HarvestOut(Schema):
    id: int
    harvested_on: datetime.date
    quantity_kg: Decimal
    batches: list[BatchRef]
    flags: list[FlagOut]


class SeasonOut(Schema):
    id: int
    area: str
    name: str
    starts: datetime.date
    ends: datetime.date
    declared_yield_kg: Decimal
    harvested_kg: Decimal
    applications: list[ApplicationOut]
    harvests: list[HarvestOut]


class SeasonPage(Schema):
    count: int
    items: list[SeasonOut]


class ApplicationIn(Schema):
    product_name: str
    substances: list[int | str] = []
    dose: str = ""
    applied_on: datetime.date | None = None
    applied_by: str = ""
    phi_days: int | None = None


class HarvestIn(Schema):
    harvested_on: datetime.date | None = None
    quantity_kg: Decimal
    batches: list[int | str] = []


def _flags(flags: list[diary.Flag]) -> list[dict[str, str]]:
    return [{"kind": f.kind, "message": f.message} for f in flags]


def _application_body(row: diary.Row) -> dict[str, Any]:
    a = row.record
    assert isinstance(a, Application)
    return {
        "id": a.pk,
        "product_name": a.product_name,
        "substances": [s.name for s in a.substances.all()],
        "dose": a.dose,
        "applied_on": a.applied_on,
        "applied_by": a.applied_by,
        "phi_days": a.phi_days,
        "flags": _flags(row.flags),
    }


def _harvest_body(row: diary.Row) -> dict[str, Any]:
    h = row.record
    assert isinstance(h, Harvest)
    return {
        "id": h.pk,
        "harvested_on": h.harvested_on,
        "quantity_kg": h.quantity_kg,
        "batches": [{"id": b.pk, "uri": b.digital_link} for b in h.batches.all()],
        "flags": _flags(row.flags),
    }


def _season_body(d: diary.SeasonDiary) -> dict[str, Any]:
    season = d.season
    return {
        "id": season.pk,
        "area": season.area.code,
        "name": season.name,
        "starts": season.starts,
        "ends": season.ends,
        "declared_yield_kg": season.declared_yield_kg,
        "harvested_kg": d.harvested_kg,
        "applications": [_application_body(r) for r in d.applications],
        "harvests": [_harvest_body(r) for r in d.harvests],
    }


@router.get(
    "/compliance/areas/{area_id}/seasons", response={200: SeasonPage, **error_responses(404)}
)
def list_seasons(request: Any, area_id: int) -> Any:
    """An area's production diary: its seasons newest first, each with its inputs and
    harvests in date order and their flags (`banned`: Vietnam's list in force on the
    day applied; `banned_market`: a market's; `phi`: harvested inside an input's
    pre-harvest interval)."""
    area = get_object_or_404(GrowingArea.objects.visible_to(caller(request)), pk=area_id)
    seasons = [_season_body(d) for d in diary.area_diary(area)]
    return {"count": len(seasons), "items": seasons}


def _diary_season(request: Any, season_id: int) -> Season:
    """The season the caller may write: 404 outside what it may read, 403 for a reader
    who may not write (a commune officer)."""
    season = (
        Season.objects.visible_to(request.user)
        .select_related("area__producer")
        .filter(pk=season_id)
        .first()
    )
    if season is None:
        raise api_error(404, _("No season you may see has id %(id)s.") % {"id": season_id})
    if not Season.objects.editable_by(request.user).filter(pk=season.pk).exists():
        raise api_error(
            403, _("You may read the diary of %(code)s but not write it.") % {"code": season.area}
        )
    return season


def _iso(day: datetime.date | None) -> str:
    return (day or timezone.localdate()).isoformat()


@router.post(
    "/compliance/seasons/{season_id}/applications",
    response={201: ApplicationOut, **error_responses(400, 401, 403, 404)},
    auth=WRITE_AUTH,
)
def add_application(request: Any, season_id: int, payload: ApplicationIn) -> Any:
    """Record an input applied in a season (`applied_on` today and `applied_by` your
    name if not given; `substances` by id or name). A banned ingredient is recorded
    and answered with its flags; 400 names the field to fix."""
    season = _diary_season(request, season_id)
    ids, unknown = [], []
    for ref in payload.substances:
        if isinstance(ref, int) or ref.strip().isdigit():
            ids.append(int(ref))
            continue
        substance = Substance.objects.filter(name=Substance.normalise(ref)).first()
        if substance is None:
            unknown.append(ref)
        else:
            ids.append(substance.pk)
    if unknown:
        message = _("Unknown active ingredient: %(names)s.") % {"names": ", ".join(unknown)}
        raise api_error(400, f"substances: {message}", {"substances": message})
    user = request.user
    form = ApplicationForm(
        {
            "product_name": payload.product_name,
            "substances": ids,
            "dose": payload.dose,
            "applied_on": _iso(payload.applied_on),
            "applied_by": payload.applied_by or user.get_full_name() or user.get_username(),
            "phi_days": "" if payload.phi_days is None else payload.phi_days,
        },
        instance=Application(season=season, recorded_by=user),
        season=season,
        user=user,
    )
    if not form.is_valid():
        raise form_error(form)
    with transaction.atomic():
        application = form.save()
    row = diary.Row(application, diary.application_flags(application))
    return Status(201, _application_body(row))


@router.post(
    "/compliance/seasons/{season_id}/harvests",
    response={201: HarvestOut, **error_responses(400, 401, 403, 404)},
    auth=WRITE_AUTH,
)
def add_harvest(request: Any, season_id: int, payload: HarvestIn) -> Any:
    """Record a harvest of a season (`harvested_on` today if not given, within the
    season) with the batches it fed (ids or Digital Link URIs, of the area's producer's
    products only). A harvest inside a pre-harvest interval is recorded and answered
    with its flags; 400 names the field to fix."""
    season = _diary_season(request, season_id)
    refs: list[Any] = []
    for ref in payload.batches:
        if isinstance(ref, int) or ref.strip().isdigit():
            refs.append(int(ref))
            continue
        batch = eligibility.find_batch(ref, Batch.objects.visible_to(request.user))
        # A link to no batch you may see goes to the form as it is: it names it refused.
        refs.append(batch.pk if batch is not None else ref)
    form = HarvestForm(
        {
            "harvested_on": _iso(payload.harvested_on),
            "quantity_kg": str(payload.quantity_kg),
            "batches": refs,
        },
        instance=Harvest(season=season, recorded_by=request.user),
        season=season,
        user=request.user,
        choices=None,
    )
    if not form.is_valid():
        raise form_error(form)
    with transaction.atomic():
        harvest = form.save()
    applications = list(season.applications.prefetch_related("substances"))
    row = diary.Row(harvest, diary.harvest_flags(harvest, applications))
    return Status(201, _harvest_body(row))
