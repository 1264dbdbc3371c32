"""Boundaries of growing areas: reading GeoJSON, KML and zipped shapefiles into one
shapely MultiPolygon (longitude, latitude on WGS84), checking it, measuring it.

Area is geodesic (pyproj's Geod on the WGS84 ellipsoid), never planar degrees and never
typed in. Every refusal is a `GeometryError` whose message says what to fix.
"""

import io
import json
import re
import zipfile
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree

import shapefile
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS, Geod, Transformer
from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

GEOD = Geod(ellps="WGS84")
SQUARE_METRES_PER_HECTARE = 10_000
# Two areas that share an edge touch; only a shared surface larger than this counts as
# an overlap (drawing by hand on a phone leaves slivers of a few square metres).
OVERLAP_TOLERANCE_M2 = 1.0


class GeometryError(ValueError):
    """A boundary we refuse, with the message for the person who sent it."""


def area_ha(geometry: Polygon | MultiPolygon) -> float:
    """Geodesic area in hectares on WGS84, whatever the ring orientation: pyproj sums
    signed ring areas, so each part is oriented first (shell counter-clockwise, holes
    clockwise) for its holes to subtract."""
    parts = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    area = sum(GEOD.geometry_area_perimeter(orient(part, sign=1.0))[0] for part in parts)
    return abs(area) / SQUARE_METRES_PER_HECTARE


def area_m2(geometry: Polygon | MultiPolygon) -> float:
    return area_ha(geometry) * SQUARE_METRES_PER_HECTARE


def _explain(geometry: Polygon | MultiPolygon) -> str:
    """explain_validity's reason ("Self-intersection[106.1 20.5]") as a sentence."""
    reason = explain_validity(geometry)
    match = re.match(r"(?P<what>[^\[]+)\[(?P<x>[-\d.eE]+) (?P<y>[-\d.eE]+)\]", reason)
    where = ""
    if match:
        where = _(" near longitude %(lon).6f, latitude %(lat).6f") % {
            "lon": float(match["x"]),
            "lat": float(match["y"]),
        }
        reason = match["what"].strip()
    if reason.lower().startswith(("self-intersection", "ring self-intersection")):
        return _(
            "The boundary crosses itself%(where)s: redraw it so that its edges do not cross."
        ) % {"where": where}
    if reason.lower().startswith("too few points"):
        return _("A boundary needs at least three distinct corners.")
    if reason.lower().startswith("hole lies outside shell"):
        return _("A hole of the boundary lies outside it%(where)s.") % {"where": where}
    return _("The boundary is not a valid shape%(where)s (%(reason)s).") % {
        "where": where,
        "reason": reason,
    }


def _check_coordinates(rings: Iterable[Iterable[Any]]) -> None:
    for ring in rings:
        for point in ring:
            lon, lat = point[0], point[1]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise GeometryError(
                    _(
                        "Coordinates must be longitude then latitude in degrees (WGS84); "
                        "%(lon)s, %(lat)s is outside the earth's range."
                    )
                    % {"lon": lon, "lat": lat}
                )


def _polygons(geometry: Any) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    raise GeometryError(
        _("A boundary must be a Polygon or MultiPolygon, not %(kind)s.")
        % {"kind": geometry.geom_type}
    )


def checked(polygons: list[Polygon]) -> MultiPolygon:
    """One valid MultiPolygon of the parts, or a GeometryError saying what is wrong."""
    if not polygons:
        raise GeometryError(_("The file or drawing holds no polygon."))
    for polygon in polygons:
        _check_coordinates([polygon.exterior.coords, *[r.coords for r in polygon.interiors]])
        if len(set(polygon.exterior.coords)) < 3:
            raise GeometryError(_("A boundary needs at least three distinct corners."))
        if not polygon.is_valid:
            raise GeometryError(_explain(polygon))
    result = MultiPolygon(polygons)
    if not result.is_valid:
        # Each part is valid on its own, so two of them share surface.
        raise GeometryError(_("Two parts of the boundary overlap: join them or draw them apart."))
    if area_m2(result) <= 0:
        raise GeometryError(_("The boundary encloses no surface."))
    return result


def from_geojson(data: Any) -> MultiPolygon:
    """A GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (of polygons), as a
    dict or as text."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise GeometryError(
                _("The file is not valid GeoJSON (%(error)s).") % {"error": exc}
            ) from exc
    if not isinstance(data, dict) or "type" not in data:
        raise GeometryError(_('GeoJSON must be an object with a "type".'))
    kind = data["type"]
    if kind == "FeatureCollection":
        polygons: list[Polygon] = []
        for feature in data.get("features") or []:
            polygons.extend(_polygons(_shape((feature or {}).get("geometry"))))
        return checked(polygons)
    if kind == "Feature":
        return checked(_polygons(_shape(data.get("geometry"))))
    return checked(_polygons(_shape(data)))


def _shape(geometry: Any) -> Any:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise GeometryError(
            _("A boundary must be a Polygon or MultiPolygon, not %(kind)s.") % {"kind": kind}
        )
    try:
        _check_coordinates(_rings_of(geometry))
        return shape(geometry)
    except GeometryError:
        raise
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise GeometryError(
            _(
                "The polygon's coordinates cannot be read (%(error)s): each ring is a list of "
                "[longitude, latitude] pairs, first and last the same."
            )
            % {"error": exc}
        ) from exc


def _rings_of(geometry: dict[str, Any]) -> list[Any]:
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list):
        raise ValueError("no coordinates")
    if geometry["type"] == "Polygon":
        return list(coordinates)
    return [ring for polygon in coordinates for ring in polygon]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kml_ring(element: ElementTree.Element) -> list[tuple[float, float]]:
    for child in element.iter():
        if _local(child.tag) == "coordinates":
            points = []
            for token in (child.text or "").split():
                parts = token.split(",")
                try:
                    points.append((float(parts[0]), float(parts[1])))
                except (ValueError, IndexError) as exc:
                    raise GeometryError(
                        _(
                            "KML coordinates must read longitude,latitude[,altitude]; "
                            "%(token)s does not."
                        )
                        % {"token": token}
                    ) from exc
            return points
    raise GeometryError(_("A KML ring has no coordinates."))


def from_kml(data: bytes) -> MultiPolygon:
    """Every Polygon in a KML document (Google Earth, phone GPS apps), any namespace."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise GeometryError(_("The file is not valid KML (%(error)s).") % {"error": exc}) from exc
    polygons = []
    for element in root.iter():
        if _local(element.tag) != "Polygon":
            continue
        outer, holes = None, []
        for child in element:
            if _local(child.tag) == "outerBoundaryIs":
                outer = _kml_ring(child)
            elif _local(child.tag) == "innerBoundaryIs":
                holes.append(_kml_ring(child))
        if not outer or len(outer) < 3:
            raise GeometryError(_("A boundary needs at least three distinct corners."))
        _check_coordinates([outer, *holes])
        polygons.append(Polygon(outer, holes))
    return checked(polygons)


def from_shapefile_zip(data: bytes) -> MultiPolygon:
    """The polygons of a zipped ESRI shapefile (.shp, .shx, .dbf, and .prj if the
    coordinates are not longitude/latitude: they are reprojected to WGS84)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise GeometryError(_("The file is not a ZIP archive of a shapefile.")) from exc
    names = {name.lower().rsplit(".", 1)[-1]: name for name in archive.namelist()}
    if "shp" not in names:
        raise GeometryError(_("The ZIP archive holds no .shp file."))
    parts = {
        ext: io.BytesIO(archive.read(names[ext])) for ext in ("shp", "shx", "dbf") if ext in names
    }
    try:
        reader = shapefile.Reader(**parts)
        shapes = reader.shapes()
    except Exception as exc:  # pyshp raises bare errors of several kinds on bad bytes
        raise GeometryError(
            _("The shapefile cannot be read (%(error)s).") % {"error": exc}
        ) from exc
    polygons: list[Polygon] = []
    for item in shapes:
        if item.shapeType == shapefile.NULL:
            continue
        geo = item.__geo_interface__
        if geo["type"] not in ("Polygon", "MultiPolygon"):
            raise GeometryError(
                _("A boundary must be a Polygon or MultiPolygon, not %(kind)s.")
                % {"kind": geo["type"]}
            )
        polygons.extend(_polygons(shape(geo)))
    if "prj" in names:
        polygons = _to_wgs84(polygons, archive.read(names["prj"]).decode("utf-8", "replace"))
    return checked(polygons)


def _to_wgs84(polygons: list[Polygon], wkt: str) -> list[Polygon]:
    try:
        crs = CRS.from_wkt(wkt)
    except Exception as exc:  # pyproj.exceptions.CRSError and friends
        raise GeometryError(
            _("The shapefile's .prj does not describe a coordinate system (%(error)s).")
            % {"error": exc}
        ) from exc
    if crs.is_geographic and crs.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return polygons
    project = Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True).transform
    # interleaved=False passes x and y apart, a form shapely's stubs do not type.
    return [
        shapely.transform(polygon, project, interleaved=False)  # type: ignore[arg-type]
        for polygon in polygons
    ]


def from_upload(name: str, data: bytes) -> MultiPolygon:
    """The boundary in an uploaded file, chosen by its suffix."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix in ("geojson", "json"):
        return from_geojson(data)
    if suffix == "kml":
        return from_kml(data)
    if suffix == "zip":
        return from_shapefile_zip(data)
    raise GeometryError(_("Send a GeoJSON (.geojson), KML (.kml) or zipped shapefile (.zip) file."))


def to_geojson(geometry: MultiPolygon) -> str:
    return json.dumps(mapping(geometry), separators=(",", ":"))


def load(text: str) -> MultiPolygon:
    """A stored boundary (GeoJSON text written by `to_geojson`)."""
    return MultiPolygon(_polygons(shape(json.loads(text)))) if text else MultiPolygon()


def shared_m2(a: MultiPolygon, b: MultiPolygon) -> float:
    """The geodesic area two boundaries share (0 when they only touch)."""
    if not a.intersects(b):
        return 0.0
    common = make_valid(a.intersection(b))
    parts = [g for g in getattr(common, "geoms", [common]) if isinstance(g, Polygon | MultiPolygon)]
    return sum(area_m2(p) for p in parts)
