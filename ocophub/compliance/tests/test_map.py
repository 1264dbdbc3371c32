"""The map of codes: a page for officials and producers whose GeoJSON holds the areas'
boundaries valid on the day and the packing facilities' positions in the user's scope,
each coloured by the code's standing then, with links to the code's pages."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from ocophub.compliance import areas
from ocophub.compliance.models import CodeStatus

from . import consignment
from .shapes import square

D = datetime.date
DATA = reverse("compliance:map_data")


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    shipment = consignment.build(inspector, make_producer, make_product, producer_account)
    shipment.facility.latitude, shipment.facility.longitude = 20.45, 105.45
    shipment.facility.save()
    return shipment


def features(client, **query):
    response = client.get(DATA, query)
    assert response.status_code == 200
    return {f["properties"]["code"]: f for f in response.json()["features"]}


def test_the_map_data_holds_the_area_polygon_and_the_facility_point(client, shipment, inspector):
    client.force_login(inspector)
    found = features(client)
    area, facility = found["VN-HBOR-0100"], found["VNHBPH-0001"]
    assert area["geometry"]["type"] == "MultiPolygon"
    ring = area["geometry"]["coordinates"][0][0]
    assert all(105.44 < lon < 105.46 and 20.44 < lat < 20.46 for lon, lat in ring)
    assert area["properties"]["state"] == "approved" and area["properties"]["markets"] == ["CN"]
    assert area["properties"]["url"] == "/compliance/codes/VN-HBOR-0100/"
    assert area["properties"]["public_url"] == "/codes/VN-HBOR-0100/"
    assert facility["geometry"] == {"type": "Point", "coordinates": [105.45, 20.45]}


def test_the_colour_follows_the_code_and_its_approvals_on_the_day(client, shipment, inspector):
    shipment.area.change_status(CodeStatus.SUSPENDED, inspector, "Fruit fly", on=D(2025, 9, 1))
    client.force_login(inspector)
    assert features(client)["VN-HBOR-0100"]["properties"]["state"] == "suspended"
    then = features(client, on="2025-08-01")["VN-HBOR-0100"]["properties"]
    assert then["state"] == "approved"
    before_approval = features(client, on="2024-02-01")["VN-HBOR-0100"]["properties"]
    assert before_approval["state"] == "pending" and before_approval["markets"] == []
    assert "VN-HBOR-0100" not in features(client, on="2023-12-01")  # not granted yet


def test_a_redrawn_area_shows_the_boundary_of_the_day(client, shipment, inspector):
    areas.redraw(shipment.area, square(200), inspector, valid_from=D(2025, 1, 1))
    client.force_login(inspector)
    old = features(client, on="2024-06-01")["VN-HBOR-0100"]["properties"]["area_ha"]
    new = features(client, on="2025-06-01")["VN-HBOR-0100"]["properties"]["area_ha"]
    assert new > old * 1.5


def test_the_map_is_scoped_like_the_codes_list(
    client, shipment, other_inspector, producer_account, commune_officer
):
    client.force_login(other_inspector)
    assert features(client) == {}
    client.force_login(producer_account)
    assert set(features(client)) == {"VN-HBOR-0100", "VNHBPH-0001"}
    client.force_login(commune_officer)
    assert client.get(DATA).status_code == 403
    assert client.get(reverse("compliance:map")).status_code == 403
    client.logout()
    assert client.get(DATA).status_code == 302


def test_the_map_page_loads_leaflet_from_the_site_and_no_inline_script(client, shipment, inspector):
    client.force_login(inspector)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("compliance:map"), {"on": "2025-08-01"}).content.decode()
    assert 'data-geojson="/compliance/map/codes.geojson?on=2025-08-01"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/compliance/map.js" in html
    assert "<script>" not in html and "unpkg" not in html and "cdn" not in html.lower()
    assert "Open the code page" in html
