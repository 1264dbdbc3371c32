"""Boundaries for tests: squares of a chosen size near Lạc Sơn (Hòa Bình), a bow tie."""

import math
from typing import Any

LAT0, LON0 = 20.45, 105.45  # Lạc Sơn
METRES_PER_DEG_LAT = 110_574.0


def square(side_m: float, east_m: float = 0.0, north_m: float = 0.0) -> dict[str, Any]:
    """A GeoJSON Polygon, about `side_m` on a side, its south-west corner `east_m` and
    `north_m` from the reference point."""
    per_lon = METRES_PER_DEG_LAT * math.cos(math.radians(LAT0))
    x0, y0 = LON0 + east_m / per_lon, LAT0 + north_m / METRES_PER_DEG_LAT
    dx, dy = side_m / per_lon, side_m / METRES_PER_DEG_LAT
    ring = [[x0, y0], [x0 + dx, y0], [x0 + dx, y0 + dy], [x0, y0 + dy], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[105.45, 20.45], [105.46, 20.46], [105.46, 20.45], [105.45, 20.46], [105.45, 20.45]]
    ],
}
