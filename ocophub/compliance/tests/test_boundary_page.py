"""Redrawing a growing area's boundary from its page (the map writes GeoJSON into the
form): a check measures it in hectares (geodesic) without saving; saving makes a new
version from its date and keeps the old one; a crossed, too small, overlapping or
unreadable shape is refused with a clear message; only the officials of the area's
province redraw it."""

import datetime
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ocophub.compliance.areas import register_area
from ocophub.compliance.geometry import area_ha, from_geojson

from . import consignment
from .shapes import BOWTIE, square

D = datetime.date
URL = reverse("compliance:boundary", args=["VN-HBOR-0100"])


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


@pytest.fixture
def officer(client, inspector):
    client.force_login(inspector)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def send(client, shape, action="save", day=None):
    data = {"geometry": shape if isinstance(shape, str) else json.dumps(shape), "action": action}
    data["valid_from"] = (day or timezone.localdate()).isoformat()
    return client.post(URL, data)


def test_the_page_offers_the_current_boundary_to_edit(officer, shipment):
    code_page = officer.get(reverse("compliance:code", args=["VN-HBOR-0100"])).content.decode()
    assert URL in code_page
    html = officer.get(URL).content.decode()
    assert 'id="boundary-map"' in html and "vendor/leaflet-editable/Leaflet.Editable.js" in html
    assert "<script>" not in html
    assert "2.2" in html  # the current 150 m square, about 2.25 ha
    assert '"Polygon"' in html or "MultiPolygon" in html  # its GeoJSON in the field


def test_a_check_measures_without_saving(officer, shipment):
    bigger = square(200)
    answer = send(officer, bigger, action="check")
    assert answer.status_code == 200
    html = answer.content.decode()
    expected = area_ha(from_geojson(bigger))
    assert "passes the checks" in html and f"{expected:.2f} ha" in html
    assert shipment.area.boundaries.count() == 1


def test_saving_makes_a_new_version_and_keeps_the_old(officer, shipment):
    answer = send(officer, square(200), day=D(2025, 9, 1))
    assert answer.status_code == 302
    old, new = shipment.area.boundaries.order_by("valid_from")
    assert old.valid_until == D(2025, 8, 31) and new.valid_from == D(2025, 9, 1)
    assert float(new.area_ha) == pytest.approx(area_ha(from_geojson(square(200))), abs=1e-4)
    assert new.source == "drawn" and new.created_by.username == "inspector"
    page = officer.get(reverse("compliance:code", args=["VN-HBOR-0100"])).content.decode()
    assert "New boundary saved" in page
    assert float(shipment.area.boundary_on(D(2025, 1, 1)).area_ha) == float(old.area_ha)


def test_bad_shapes_are_refused_naming_the_problem(officer, shipment, inspector):
    crossed = send(officer, BOWTIE)
    assert crossed.status_code == 400 and "crosses itself" in crossed.content.decode()
    tiny = send(officer, square(20))
    assert tiny.status_code == 400 and "must be at least" in tiny.content.decode()
    garbled = send(officer, "{not json")
    assert garbled.status_code == 400 and "not GeoJSON" in garbled.content.decode()
    empty = send(officer, "")
    assert empty.status_code == 400 and "Draw the boundary" in empty.content.decode()
    early = send(officer, square(200), day=D(2023, 6, 1))
    assert early.status_code == 400 and "must start after" in early.content.decode()
    register_area(
        {
            "code": "VN-HBOR-0101",
            "producer": shipment.area.producer_id,
            "crop": "doi",
            "commune": "legacy:5323",
            "geometry": square(150, east_m=400),
            "valid_from": D(2024, 1, 1),
        },
        inspector,
    )
    overlap = send(officer, square(500))
    assert overlap.status_code == 400 and "VN-HBOR-0101" in overlap.content.decode()
    assert shipment.area.boundaries.count() == 1


def test_only_the_officials_of_the_province_redraw(
    client, shipment, producer_account, other_inspector
):
    client.force_login(producer_account)
    assert client.get(URL).status_code == 403
    assert send(client, square(200)).status_code == 403
    client.force_login(other_inspector)
    assert client.get(URL).status_code == 404
    assert shipment.area.boundaries.count() == 1


def test_a_packing_facility_has_no_boundary_to_draw(officer, shipment):
    assert officer.get(reverse("compliance:boundary", args=["VNHBPH-0001"])).status_code == 404
