"""Boundaries are measured geodesically and read from GeoJSON, KML and zipped
shapefiles; broken shapes and files are refused saying what is wrong."""

import io
import json
import math
import zipfile

import pytest
import shapefile
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Polygon

from ocophub.compliance import geometry
from ocophub.compliance.geometry import GeometryError

from .shapes import BOWTIE, square

# WGS84
A = 6_378_137.0
F = 1 / 298.257223563
B = A * (1 - F)
E = math.sqrt(F * (2 - F))


def zone_area(lat1: float, lat2: float, dlon: float) -> float:
    """Area on the WGS84 ellipsoid between two parallels over `dlon` degrees of
    longitude (the closed formula for an ellipsoidal zone), in m²."""

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (1 - E**2 * s**2) + math.log((1 + E * s) / (1 - E * s)) / (2 * E)

    return math.pi * B**2 * (q(lat2) - q(lat1)) * dlon / 360


def test_area_of_a_small_cell_matches_the_ellipsoid_and_pyproj():
    # A 0.002° cell at 20.5°N: geodesic edges and parallels differ by far less than 1e-5.
    cell = Polygon([(105.5, 20.5), (105.502, 20.5), (105.502, 20.502), (105.5, 20.502)])
    expected = zone_area(20.5, 20.502, 0.002)
    assert geometry.area_m2(cell) == pytest.approx(expected, rel=1e-5)
    pyproj_area, _perimeter = Geod(ellps="WGS84").geometry_area_perimeter(cell)
    assert geometry.area_m2(cell) == pytest.approx(abs(pyproj_area), rel=1e-12)
    # About 221 m by 209 m: a degree of longitude is shorter than one of latitude there.
    assert geometry.area_ha(cell) == pytest.approx(4.62, abs=0.01)


def test_area_does_not_depend_on_ring_orientation():
    ring = square(100)["coordinates"][0]
    clockwise = Polygon(list(reversed(ring)))
    assert geometry.area_m2(clockwise) == pytest.approx(geometry.area_m2(Polygon(ring)))
    assert geometry.area_m2(Polygon(ring)) == pytest.approx(10_000, rel=0.01)


def test_a_self_intersecting_polygon_is_refused_naming_where():
    with pytest.raises(GeometryError) as refused:
        geometry.from_geojson(BOWTIE)
    message = str(refused.value)
    assert "crosses itself" in message
    assert "105.455000" in message and "20.455000" in message


@pytest.mark.parametrize(
    "data, words",
    [
        ({"type": "Point", "coordinates": [105.4, 20.4]}, "not Point"),
        ({"type": "Polygon", "coordinates": [[[105, 20], [105.1, 20]]]}, "coordinates"),
        (
            {"type": "Polygon", "coordinates": [[[20.4, 105.4], [20.5, 105.4], [20.5, 105.5]]]},
            "longitude then latitude",
        ),
        ({"type": "FeatureCollection", "features": []}, "no polygon"),
        ("{not json", "not valid GeoJSON"),
    ],
)
def test_malformed_geojson_is_refused_with_a_reason(data, words):
    with pytest.raises(GeometryError, match=words):
        geometry.from_geojson(data)


def test_a_feature_collection_of_polygons_becomes_one_multipolygon():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": square(100)},
            {"type": "Feature", "properties": {}, "geometry": square(100, east_m=300)},
        ],
    }
    shape = geometry.from_geojson(json.dumps(collection))
    assert len(shape.geoms) == 2
    assert geometry.area_m2(shape) == pytest.approx(20_000, rel=0.01)


def test_two_parts_that_overlap_are_refused():
    both = {
        "type": "MultiPolygon",
        "coordinates": [square(100)["coordinates"], square(100, east_m=50)["coordinates"]],
    }
    with pytest.raises(GeometryError, match="overlap"):
        geometry.from_geojson(both)


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Vùng trồng</name>
<Polygon><outerBoundaryIs><LinearRing><coordinates>
{outer}
</coordinates></LinearRing></outerBoundaryIs>
<innerBoundaryIs><LinearRing><coordinates>{inner}</coordinates></LinearRing></innerBoundaryIs>
</Polygon></Placemark></Document></kml>"""


def kml_ring(ring):
    return " ".join(f"{x},{y},0" for x, y in ring)


def test_kml_polygons_are_read_with_their_holes():
    outer = square(200)["coordinates"][0]
    inner = square(50, east_m=50, north_m=50)["coordinates"][0]
    shape = geometry.from_upload(
        "vung.kml", KML.format(outer=kml_ring(outer), inner=kml_ring(inner)).encode()
    )
    assert geometry.area_m2(shape) == pytest.approx(40_000 - 2_500, rel=0.01)


@pytest.mark.parametrize(
    "text, words",
    [
        ("<kml><Document>", "not valid KML"),
        (KML.format(outer="105.4;20.4 105.5;20.4", inner=""), "longitude,latitude"),
        ('<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark/></kml>', "no polygon"),
    ],
)
def test_malformed_kml_is_refused(text, words):
    with pytest.raises(GeometryError, match=words):
        geometry.from_kml(text.encode())


def shapefile_zip(rings, prj: str | None = None, drop: str | None = None) -> bytes:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON) as writer:
        writer.field("name", "C")
        for ring in rings:
            writer.poly([ring])
            writer.record("vung")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for ext, buffer in (("shp", shp), ("shx", shx), ("dbf", dbf)):
            if ext != drop:
                archive.writestr(f"vung.{ext}", buffer.getvalue())
        if prj:
            archive.writestr("vung.prj", prj)
    return out.getvalue()


def test_a_zipped_shapefile_in_longitude_latitude_is_read():
    rings = [square(100)["coordinates"][0], square(100, east_m=500)["coordinates"][0]]
    shape = geometry.from_upload("vung.zip", shapefile_zip(rings))
    assert len(shape.geoms) == 2
    assert geometry.area_m2(shape) == pytest.approx(20_000, rel=0.01)


def test_a_zipped_shapefile_in_utm_is_reprojected_by_its_prj():
    utm = CRS.from_epsg(32648)  # UTM zone 48N, where Hòa Bình lies
    to_utm = Transformer.from_crs(CRS.from_epsg(4326), utm, always_xy=True)
    ring = [to_utm.transform(x, y) for x, y in square(150)["coordinates"][0]]
    shape = geometry.from_upload("vung.zip", shapefile_zip([ring], prj=utm.to_wkt("WKT1_ESRI")))
    west, south, _east, _north = shape.bounds
    assert west == pytest.approx(105.45, abs=1e-6) and south == pytest.approx(20.45, abs=1e-6)
    assert geometry.area_m2(shape) == pytest.approx(22_500, rel=0.01)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"not a zip", "not a ZIP"),
        (shapefile_zip([square(100)["coordinates"][0]], drop="shp"), "no .shp"),
        (shapefile_zip([square(100)["coordinates"][0]], prj="GARBAGE"), "coordinate system"),
    ],
)
def test_malformed_shapefiles_are_refused(data, words):
    with pytest.raises(GeometryError, match=words):
        geometry.from_shapefile_zip(data)


def test_a_truncated_shapefile_is_refused():
    whole = shapefile_zip([square(100)["coordinates"][0]])
    archive = zipfile.ZipFile(io.BytesIO(whole))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for name in archive.namelist():
            data = archive.read(name)
            broken.writestr(name, data[:60] if name.endswith(".shp") else data)
    with pytest.raises(GeometryError, match="cannot be read|no polygon"):
        geometry.from_shapefile_zip(out.getvalue())


def test_an_unknown_file_kind_is_refused():
    with pytest.raises(GeometryError, match="GeoJSON"):
        geometry.from_upload("vung.gpx", b"<gpx/>")


def test_a_hole_subtracts_whichever_way_its_ring_runs():
    outer = square(200)["coordinates"][0]
    inner = square(50, east_m=50, north_m=50)["coordinates"][0]
    for hole in (inner, list(reversed(inner))):
        assert geometry.area_m2(Polygon(outer, [hole])) == pytest.approx(37_500, rel=0.01)
