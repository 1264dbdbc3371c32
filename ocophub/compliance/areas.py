"""Registering growing areas and redrawing their boundaries: every check before any
write, and each refusal names the field and the problem (400), or the area overlapped
(409)."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ocophub.core.i18n import page_name
from ocophub.places.models import Commune, Era, resolve_ref
from ocophub.producers.models import Producer

from . import geometry
from .models import (
    HOLDS_GROUND,
    Boundary,
    BoundarySource,
    CodeKind,
    CodeScheme,
    Crop,
    GrowingArea,
    Household,
    PackingFacility,
    is_compliance_official,
)


@dataclass
class Refused(Exception):
    """Why an area was not written: `status` 400 (field errors) or 409 (overlap)."""

    errors: dict[str, str]
    status: int = 400
    overlapping: list[str] = field(default_factory=list)

    @property
    def detail(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.errors.items())


def may_write_in(user: Any, commune: Commune) -> bool:
    """Compliance officials write in their province (legacy communes through what they
    became); superusers everywhere."""
    if not is_compliance_official(user):
        return False
    q = user.territory_q("")
    return q is None or Commune.objects.filter(q, pk=commune.pk).exists()


def check_code(code: str, kind: str) -> tuple[CodeScheme | None, str | None]:
    """(scheme, None) when the code matches a scheme of `kind` and what it embeds
    exists; (None, message) otherwise. The code is never rewritten."""
    scheme = CodeScheme.recognise(code, kind)
    if scheme is None:
        examples = ", ".join(CodeScheme.objects.filter(kind=kind).values_list("example", flat=True))
        return None, _("%(code)s matches no known code format (for example %(examples)s).") % {
            "code": code,
            "examples": examples,
        }
    problem = embedded_units_problem(scheme, code)
    return (None, problem) if problem else (scheme, None)


def embedded_units_problem(scheme: CodeScheme, code: str) -> str | None:
    """A code that embeds province, district and commune (units of before July 2025)
    must name units that existed and belong together."""
    match = re.fullmatch(scheme.pattern, code)
    groups = match.groupdict() if match else {}
    if "commune" not in groups:
        return None
    commune = (
        Commune.objects.filter(era=Era.LEGACY, code=int(groups["commune"]))
        .select_related("district", "province")
        .first()
    )
    if commune is None:
        return _("The code names commune %(commune)s, which did not exist.") % {
            "commune": groups["commune"]
        }
    if "district" in groups and (
        commune.district is None or commune.district.code != int(groups["district"])
    ):
        return (
            _(
                "The code names commune %(commune)s in district %(district)s, but that "
                "commune was in another district."
            )
            % groups
        )
    if "province" in groups and commune.province.code != int(groups["province"]):
        return (
            _(
                "The code names commune %(commune)s in province %(province)s, but that "
                "commune was in another province."
            )
            % groups
        )
    return None


def overlapping(
    shape: geometry.MultiPolygon, start: datetime.date, exclude: GrowingArea | None = None
) -> list[GrowingArea]:
    """Active areas whose boundary, valid on or after `start`, shares surface with
    `shape`; the bounding boxes pick the candidates, shapely measures the rest."""
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    candidates = (
        Boundary.objects.overlapping_period(start, None)
        .filter(
            area__status__in=HOLDS_GROUND,
            min_lon__lte=max_lon,
            max_lon__gte=min_lon,
            min_lat__lte=max_lat,
            max_lat__gte=min_lat,
        )
        .select_related("area")
    )
    if exclude is not None:
        candidates = candidates.exclude(area=exclude)
    found: dict[int, GrowingArea] = {}
    for boundary in candidates:
        if geometry.shared_m2(shape, boundary.shape) > geometry.OVERLAP_TOLERANCE_M2:
            found[boundary.area_id] = boundary.area
    return sorted(found.values(), key=lambda a: a.code)


def check_shape(
    raw: Any, crop: Crop | None, start: datetime.date, exclude: GrowingArea | None = None
) -> geometry.MultiPolygon:
    """The checked shape of `raw` (GeoJSON, or a shape already read from a file)."""
    try:
        shape = raw if isinstance(raw, geometry.MultiPolygon) else geometry.from_geojson(raw)
    except geometry.GeometryError as exc:
        raise Refused({"geometry": str(exc)}) from exc
    hectares = geometry.area_ha(shape)
    if crop is not None and Decimal(str(hectares)) < crop.min_area_ha:
        raise Refused(
            {
                "geometry": _(
                    "The area measures %(area).3f ha; a growing area of %(crop)s must be at "
                    "least %(minimum)s ha."
                )
                % {
                    "area": hectares,
                    "crop": page_name(crop),
                    "minimum": crop.min_area_ha.normalize(),
                }
            }
        )
    others = overlapping(shape, start, exclude)
    if others:
        codes = ", ".join(a.code for a in others)
        raise Refused(
            {
                "geometry": _("The boundary overlaps the active growing area %(codes)s.")
                % {"codes": codes}
            },
            status=409,
            overlapping=[a.code for a in others],
        )
    return shape


@dataclass
class CheckedArea:
    """A growing area that passed every check of `check_area`, not yet written."""

    code: str
    scheme: CodeScheme
    crop: Crop
    producer: Producer
    commune: Commune
    start: datetime.date
    shape: geometry.MultiPolygon

    @property
    def hectares(self) -> float:
        return geometry.area_ha(self.shape)


def check_area(data: dict[str, Any], user: Any) -> CheckedArea:
    """Every check of `register_area`, writing nothing: the code against the code
    schemes, the crop, the commune in the user's province, the producer in their scope,
    then the shape (valid, the crop's minimum size, no overlap). Field errors and a
    problem of the shape are told together, so a form can show them all at once."""
    errors: dict[str, str] = {}
    code, scheme = _new_code(
        data,
        CodeKind.GROWING_AREA,
        GrowingArea,
        _("A growing area with code %(code)s is already registered."),
        errors,
    )
    crop = Crop.objects.filter(key=data.get("crop") or "").first()
    if crop is None:
        keys = ", ".join(Crop.objects.values_list("key", flat=True))
        errors["crop"] = _("Unknown crop; use one of: %(keys)s.") % {"keys": keys}
    commune = _commune_to_write(data, user, errors)
    producer = data.get("producer")
    if not isinstance(producer, Producer):
        producer = (
            Producer.objects.filter(pk=str(producer)).first()
            if str(producer or "").isdigit()
            else None
        )
    if producer is None:
        errors["producer"] = _("Unknown producer.")
    elif not Producer.objects.visible_to(user).filter(pk=producer.pk).exists():
        errors["producer"] = _("This producer is outside your scope.")
    start = data.get("valid_from") or timezone.localdate()
    try:
        shape = check_shape(data.get("geometry"), crop, start)
    except Refused as exc:
        if not errors:
            raise
        errors.update(exc.errors)
    if errors:
        raise Refused(errors)
    # Each that could be missing put an error above (for mypy, which cannot see that).
    assert scheme is not None and crop is not None and commune is not None
    assert isinstance(producer, Producer)
    return CheckedArea(code, scheme, crop, producer, commune, start, shape)


def register_area(data: dict[str, Any], user: Any) -> GrowingArea:
    """Create an area from `data` (code, producer id, crop key, commune, geometry and
    optional variety, standard, expected_yield_kg, valid_from, households, source,
    granted_on: the first row of the code's status history, valid_from by default)."""
    checked = check_area(data, user)
    with transaction.atomic():
        area = GrowingArea.objects.create(
            code=checked.code,
            scheme=checked.scheme,
            crop=checked.crop,
            variety=data.get("variety") or "",
            producer=checked.producer,
            commune=checked.commune,
            standard=data.get("standard") or "",
            expected_yield_kg=data.get("expected_yield_kg"),
            sample=bool(data.get("sample")),
            created_by=user if user.is_authenticated else None,
        )
        boundary = Boundary(
            area=area,
            valid_from=checked.start,
            source=data.get("source") or BoundarySource.API,
            created_by=area.created_by,
        )
        boundary.set_shape(checked.shape)
        boundary.save()
        for name in data.get("households") or []:
            Household.objects.create(area=area, name=name)
        area.grant(user, on=data.get("granted_on") or checked.start)
    return area


def redraw(
    area: GrowingArea,
    raw: Any,
    user: Any,
    valid_from: datetime.date | None = None,
    source: str = BoundarySource.DRAWN,
) -> Boundary:
    """A new version of the boundary from `valid_from` (today by default); the current
    version ends the day before. Versions never overlap in time."""
    start = valid_from or timezone.localdate()
    current = area.boundaries.filter(valid_until__isnull=True).first()
    if current is not None and start <= current.valid_from:
        raise Refused(
            {
                "valid_from": _(
                    "The new boundary must start after %(day)s, when the current one started."
                )
                % {"day": date_format(current.valid_from)}
            }
        )
    shape = check_shape(raw, area.crop, start, exclude=area)
    with transaction.atomic():
        if current is not None:
            current.valid_until = start - datetime.timedelta(days=1)
            current.save(update_fields=["valid_until"])
        boundary = Boundary(
            area=area,
            valid_from=start,
            source=source,
            created_by=user if user.is_authenticated else None,
        )
        boundary.set_shape(shape)
        boundary.save()
    return boundary


def _commune(ref: Any) -> Commune | None:
    if ref is None or ref == "":
        return None
    return resolve_ref(Commune, ref)


def _new_code(
    data: dict[str, Any],
    kind: str,
    model: type[GrowingArea] | type[PackingFacility],
    taken: str,
    errors: dict[str, str],
) -> tuple[str, CodeScheme | None]:
    """The code as issued in `data` and its scheme, with an error under "code" when it
    is missing, not of a known scheme or already registered (`taken` says so)."""
    code = (data.get("code") or "").strip()
    if not code:
        errors["code"] = _("Give the code as issued.")
        return code, None
    scheme, problem = check_code(code, kind)
    if problem:
        errors["code"] = problem
    elif model.objects.filter(code=code).exists():
        errors["code"] = taken % {"code": code}
    return code, scheme


def _commune_to_write(data: dict[str, Any], user: Any, errors: dict[str, str]) -> Commune | None:
    """The commune in `data`, with an error under "commune" when it is unknown or
    outside what `user` supervises."""
    commune = data.get("commune")
    if not isinstance(commune, Commune):
        commune = _commune(commune)
    if commune is None:
        errors["commune"] = _(
            "Unknown commune: give its code, or legacy:CODE for one of before July 2025."
        )
    elif not may_write_in(user, commune):
        errors["commune"] = _("You do not supervise this commune.")
    return commune


def register_facility(data: dict[str, Any], user: Any) -> PackingFacility:
    errors: dict[str, str] = {}
    code, scheme = _new_code(
        data,
        CodeKind.PACKING_FACILITY,
        PackingFacility,
        _("A packing facility with code %(code)s is already registered."),
        errors,
    )
    commune = _commune_to_write(data, user, errors)
    operator = data.get("operator")
    if not isinstance(operator, Producer):
        errors["operator"] = _("Unknown operator.")
    if errors:
        raise Refused(errors)
    # Each that could be missing put an error above (for mypy, which cannot see that).
    assert scheme is not None and commune is not None and isinstance(operator, Producer)
    with transaction.atomic():
        facility = PackingFacility.objects.create(
            code=code,
            scheme=scheme,
            name=data.get("name") or code,
            operator=operator,
            address=data.get("address") or "",
            commune=commune,
            gln=data.get("gln") or "",
            capacity_t_per_day=data.get("capacity_t_per_day"),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            sample=bool(data.get("sample")),
        )
        facility.crops.set(data.get("crops") or [])
        facility.grant(user, on=data.get("granted_on"))
    return facility
