"""Codes with their status: inspectors list the codes of their province with each market
approval's status today; anyone checks one code at /codes/<code>/ and learns its
status, holder and validity, in Vietnamese or English, with no personal data."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from ocophub.compliance.inspections import FindingIn, record_inspection
from ocophub.compliance.models import CodeStatus, Household

from . import consignment

LIST = reverse("compliance:codes")


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_an_inspector_lists_the_codes_of_the_province_with_their_status(
    client, shipment, inspector
):
    record_inspection(
        shipment.area, inspector, datetime.date.today(), [FindingIn("pest", "critical")]
    )
    client.force_login(inspector)
    english(client)
    html = client.get(LIST).content.decode()
    assert 'data-code="VN-HBOR-0100"' in html and 'data-code="VNHBPH-0001"' in html
    assert "CN: suspended" in html
    assert "CN: approved" in html
    suspended = client.get(LIST, {"status": "suspended"}).content.decode()
    assert 'data-code="VN-HBOR-0100"' in suspended
    assert 'data-code="VNHBPH-0001"' not in suspended
    facilities = client.get(LIST, {"kind": "facility", "market": "cn"}).content.decode()
    assert 'data-code="VNHBPH-0001"' in facilities and "VN-HBOR-0100" not in facilities
    assert "data-code" not in client.get(LIST, {"market": "JP"}).content.decode()


def test_an_inspector_of_another_province_lists_none_of_them(client, shipment, other_inspector):
    client.force_login(other_inspector)
    html = client.get(LIST).content.decode()
    assert "VN-HBOR-0100" not in html and "VNHBPH-0001" not in html


def test_a_producer_lists_its_own_codes_and_others_get_403(
    client, shipment, producer_account, commune_officer
):
    client.force_login(producer_account)
    assert 'data-code="VN-HBOR-0100"' in client.get(LIST).content.decode()
    client.force_login(commune_officer)
    assert client.get(LIST).status_code == 403


def test_the_public_check_shows_status_holder_and_validity_without_personal_data(client, shipment):
    Household.objects.create(area=shipment.area, name="Bùi Thị Hộ")
    response = client.get("/en/codes/VN-HBOR-0100/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="approved"' in html
    assert "China (CN)" in html
    assert "HTX Dổi Chí Đạo" in html
    assert "01/03/2027" in html or "March 1, 2027" in html
    boundary = shipment.area.boundaries.get()
    assert f"{boundary.area_ha:.2f} ha" in html  # geodesic, about 150 m x 150 m
    assert "Bùi Thị Hộ" not in html  # households are personal data
    assert "inspector" not in html
    assert 'href="/codes/VN-HBOR-0100/"' in html  # the same page in Vietnamese


def test_the_public_check_speaks_vietnamese_by_default(client, shipment, inspector):
    record_inspection(
        shipment.area, inspector, datetime.date.today(), [FindingIn("pest", "critical", note="x")]
    )
    html = client.get("/codes/VN-HBOR-0100/").content.decode()
    assert 'data-status="none"' in html
    assert "Không có phê duyệt còn hiệu lực" in html
    assert "Trung Quốc (CN)" in html
    assert 'href="/en/codes/VN-HBOR-0100/"' in html
    # Findings and their notes are the office's, not the public's.
    assert "sâu" not in html and "Critical finding" not in html


def test_a_retired_or_unknown_code_says_so(client, shipment, inspector):
    shipment.facility.change_status(CodeStatus.RETIRED, inspector, "Packing house closed")
    html = client.get("/en/codes/VNHBPH-0001/").content.decode()
    assert 'data-status="retired"' in html and "no longer in use" in html
    response = client.get("/en/codes/VN-XXOR-9999/")
    assert response.status_code == 404
    assert "No growing area or packing facility has the code" in response.content.decode()


def test_a_codes_qr_opens_its_public_check(client, shipment, settings):
    from ocophub.trace.qr import qr_svg

    html = client.get("/codes/VN-HBOR-0100/").content.decode()
    assert 'src="/codes/VN-HBOR-0100/qr.svg"' in html
    svg = client.get("/codes/VN-HBOR-0100/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content == qr_svg(settings.SITE_URL + "/codes/VN-HBOR-0100/")
    assert client.get("/codes/VNHBPH-0001/qr.png")["Content-Type"] == "image/png"
    assert client.get("/codes/VN-XXOR-9999/qr.svg").status_code == 404
