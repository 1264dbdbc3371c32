"""The codes a user may read as GeoJSON for the map: each growing area's boundary
valid on the day (a Feature with its polygon) and each packing facility with a position
(a Point), coloured by the code's standing that day."""

import datetime
import json
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from ocophub.core.i18n import page_name

from .codes import standings
from .models import Approval, Boundary, CodeStatus, GrowingArea, PackingFacility

# What the map colours: a code not in use shows its status; one in use is approved
# (some market's approval in force that day) or pending (none yet).
APPROVED, PENDING = "approved", "pending"


def state(holder: GrowingArea | PackingFacility, day: datetime.date) -> str | None:
    status = holder.status_on(day)
    if status is None:  # not granted yet
        return None
    if status != CodeStatus.ACTIVE:
        return status
    return APPROVED if any(s.in_force for s in standings(holder, day)) else PENDING


def _prefetch(boundaries: bool) -> list[Any]:
    wanted: list[Any] = [
        Prefetch(
            "approvals",
            queryset=Approval.objects.select_related("market").prefetch_related("events"),
        ),
        "code_events",
    ]
    if boundaries:
        wanted.append(Prefetch("boundaries", queryset=Boundary.objects.order_by("valid_from")))
    return wanted


def _properties(holder: Any, kind: str, holder_state: str, day: datetime.date) -> dict:
    markets = sorted({s.approval.market.code for s in standings(holder, day) if s.in_force})
    return {
        "code": holder.code,
        "kind": kind,
        "state": holder_state,
        "status_label": str(CodeStatus(holder.status_on(day)).label),
        "holder": (holder.producer if kind == "area" else holder.operator).name,
        "markets": markets,
        "url": reverse("compliance:code", args=[holder.code]),
        "public_url": reverse("codes:code", args=[holder.code]),
        "sample": holder.sample,
    }


def feature_collection(user: Any, day: datetime.date) -> dict:
    features = []
    areas = (
        GrowingArea.objects.visible_to(user)
        .select_related("producer", "crop")
        .prefetch_related(*_prefetch(boundaries=True))
    )
    for area in areas:
        boundary = next(
            (
                b
                for b in area.boundaries.all()
                if b.valid_from <= day and (b.valid_until is None or b.valid_until >= day)
            ),
            None,
        )
        area_state = state(area, day)
        if boundary is None or area_state is None:
            continue
        properties = _properties(area, "area", area_state, day)
        properties["crop"] = page_name(area.crop)
        properties["area_ha"] = float(boundary.area_ha)
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(boundary.geojson),
                "properties": properties,
            }
        )
    facilities = (
        PackingFacility.objects.visible_to(user)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("operator")
        .prefetch_related(*_prefetch(boundaries=False))
    )
    for facility in facilities:
        facility_state = state(facility, day)
        if facility_state is None:
            continue
        properties = _properties(facility, "facility", facility_state, day)
        properties["name"] = facility.name
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [facility.longitude, facility.latitude],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "day": day.isoformat(), "features": features}
