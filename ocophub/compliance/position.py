"""Where an inspection was made: the inspector's phone gives a position (browser
Geolocation), and the server checks it is plausible before it is recorded: inside
Vietnam's extent (the mainland and the islands, as a box: the check that catches a
swapped latitude and longitude or a phone reporting from abroad), and within `NEAR_M`
of the growing area's boundary on the inspection's date, or of the packing facility's
recorded location; a position's own accuracy widens the margin, up to `MAX_SLACK_M`."""

import datetime
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import Point
from shapely.ops import nearest_points

from .geometry import GEOD
from .models import GrowingArea

# (south, west, north, east) in degrees, WGS84: Lũng Cú to Cà Mau and the Trường Sa
# islands, A Pa Chải to the Hoàng Sa and Trường Sa islands.
VIETNAM_EXTENT = (6.0, 102.1, 23.4, 117.9)
NEAR_M = 2_000
MAX_SLACK_M = 1_000


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def distance_to(holder: Any, latitude: float, longitude: float, day: datetime.date) -> float | None:
    """Metres from the position to the area's boundary (0 inside it) or to the
    facility's location; None when the record has neither to compare with."""
    if isinstance(holder, GrowingArea):
        boundary = holder.boundary_on(day) or holder.current_boundary
        if boundary is None:
            return None
        shape, point = boundary.shape, Point(longitude, latitude)
        if shape.covers(point):
            return 0.0
        nearest = nearest_points(shape, point)[0]
        return metres_between(latitude, longitude, nearest.y, nearest.x)
    if holder.latitude is None or holder.longitude is None:
        return None
    return metres_between(latitude, longitude, holder.latitude, holder.longitude)


def position_errors(
    holder: Any,
    latitude: float | None,
    longitude: float | None,
    accuracy_m: float | None,
    day: datetime.date,
) -> dict[str, str]:
    """The problems with a position, by field ({} when it may be recorded; no position
    at all is no problem here: whether one is required is the caller's rule)."""
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        return {"latitude": _("Give both latitude and longitude, or neither.")}
    if accuracy_m is not None and accuracy_m < 0:
        return {"accuracy_m": _("The accuracy of a position cannot be negative.")}
    south, west, north, east = VIETNAM_EXTENT
    if not (south <= latitude <= north and west <= longitude <= east):
        return {
            "latitude": _(
                "The position %(lat).5f, %(lon).5f is outside Vietnam: check that latitude "
                "and longitude are not swapped."
            )
            % {"lat": latitude, "lon": longitude}
        }
    metres = distance_to(holder, latitude, longitude, day)
    slack = min(accuracy_m or 0.0, MAX_SLACK_M)
    if metres is not None and metres > NEAR_M + slack:
        return {
            "latitude": _(
                "The position is %(km).1f km from %(code)s: an inspection is recorded "
                "where it is made, within %(near).1f km of the code's place."
            )
            % {"km": metres / 1000, "code": holder.code, "near": (NEAR_M + slack) / 1000}
        }
    return {}
