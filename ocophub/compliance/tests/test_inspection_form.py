"""An inspection recorded in the field on the inspector's phone, with the position it
was made at: the server takes a position inside Vietnam and near the code's place
(the growing area's boundary, the packing house's location), refuses a swapped or far
one with a clear message, and a critical finding suspends the approvals at once."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ocophub.accounts.models import ApiToken
from ocophub.compliance.models import ApprovalStatus, Inspection
from ocophub.compliance.position import NEAR_M, position_errors

from . import consignment
from .shapes import LAT0, LON0, METRES_PER_DEG_LAT

D = datetime.date


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


def north(metres):
    """A latitude `metres` north of the test squares' south-west corner."""
    return LAT0 + metres / METRES_PER_DEG_LAT


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def form(**extra):
    data = {
        "kind": "supervision",
        "on": timezone.localdate().isoformat(),
        "notes": "",
        "finding-TOTAL_FORMS": "2",
        "finding-INITIAL_FORMS": "0",
        "finding-MIN_NUM_FORMS": "0",
        "finding-MAX_NUM_FORMS": "10",
        "finding-0-severity": "minor",
        "finding-1-severity": "minor",
    }
    data.update(extra)
    return data


def test_a_position_in_or_near_the_area_is_taken(shipment):
    area, today = shipment.area, timezone.localdate()
    assert position_errors(area, LAT0 + 0.0005, LON0 + 0.0005, 10, today) == {}  # inside
    assert position_errors(area, north(150 + NEAR_M - 100), LON0, 10, today) == {}
    assert position_errors(area, None, None, None, today) == {}  # no position to check


def test_a_far_swapped_or_foreign_position_is_refused(shipment):
    area, today = shipment.area, timezone.localdate()
    far = position_errors(area, north(150 + 5_000), LON0, 10, today)
    assert "5.0 km from VN-HBOR-0100" in far["latitude"]
    # The phone's own accuracy widens the margin, within reason.
    assert position_errors(area, north(150 + NEAR_M + 500), LON0, 800, today) == {}
    assert position_errors(area, north(150 + NEAR_M + 1_500), LON0, 5_000, today) != {}
    swapped = position_errors(area, LON0, LAT0, 10, today)
    assert "outside Vietnam" in swapped["latitude"] and "swapped" in swapped["latitude"]
    assert "outside Vietnam" in position_errors(area, 13.75, 100.5, 10, today)["latitude"]
    assert "both" in position_errors(area, LAT0, None, None, today)["latitude"]
    assert "negative" in position_errors(area, LAT0, LON0, -1, today)["accuracy_m"]
    # A packing house without a recorded location: only Vietnam's extent is checked.
    assert position_errors(shipment.facility, 21.0, 105.8, 10, today) == {}


def test_the_inspector_records_an_inspection_with_its_position(client, shipment, inspector):
    client.force_login(inspector)
    english(client)
    code_page = reverse("compliance:code", args=["VN-HBOR-0100"])
    url = reverse("compliance:inspect", args=["VN-HBOR-0100"])
    assert url in client.get(code_page).content.decode()
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-form="inspection"' in html
    assert "compliance/inspect.js" in html and "<script>" not in html
    answer = client.post(
        url,
        form(
            latitude=str(LAT0 + 0.0005),
            longitude=str(LON0 + 0.0005),
            accuracy_m="12",
            notes="Vườn sạch",
            next_visit="2099-01-01",
            **{"finding-0-kind": "diary_missing", "finding-0-note": "sổ tháng 5"},
        ),
    )
    assert answer.status_code == 302 and answer["Location"] == code_page
    inspection = Inspection.objects.get(area=shipment.area, notes="Vườn sạch")
    assert (inspection.latitude, inspection.longitude) == (LAT0 + 0.0005, LON0 + 0.0005)
    assert inspection.accuracy_m == 12 and inspection.inspector == inspector
    assert [(f.kind, f.severity, f.note) for f in inspection.findings.all()] == [
        ("diary_missing", "minor", "sổ tháng 5")
    ]
    assert "Inspection recorded." in client.get(code_page).content.decode()


def test_a_critical_finding_from_the_phone_suspends_the_approvals(client, shipment, inspector):
    client.force_login(inspector)
    english(client)
    url = reverse("compliance:inspect", args=["VNHBPH-0001"])
    answer = client.post(
        url,
        form(
            no_position="on",
            **{"finding-0-kind": "hygiene", "finding-0-severity": "critical"},
        ),
        follow=True,
    )
    assert "Approvals suspended: CN." in answer.content.decode()
    shipment.facility_approval.refresh_from_db()
    assert shipment.facility_approval.status == ApprovalStatus.SUSPENDED
    inspection = Inspection.objects.get(facility=shipment.facility)
    assert inspection.latitude is None  # the inspector said the phone gave none


def test_without_a_position_or_far_from_the_area_nothing_is_recorded(client, shipment, inspector):
    client.force_login(inspector)
    english(client)
    url = reverse("compliance:inspect", args=["VN-HBOR-0100"])
    missing = client.post(url, form())
    assert missing.status_code == 400 and "Record your position" in missing.content.decode()
    far = client.post(url, form(latitude=str(north(10_000)), longitude=str(LON0), accuracy_m="5"))
    assert far.status_code == 400 and "km from VN-HBOR-0100" in far.content.decode()
    ahead = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    future = client.post(url, form(on=ahead, no_position="on"))
    assert future.status_code == 400 and "once it is made" in future.content.decode()
    assert not Inspection.objects.exists()


def test_the_form_speaks_vietnamese(client, shipment, inspector):
    client.force_login(inspector)
    url = reverse("compliance:inspect", args=["VN-HBOR-0100"])
    html = client.get(url).content.decode()
    assert "Ghi vị trí của tôi" in html
    swapped = client.post(url, form(latitude=str(LON0), longitude=str(LAT0)))
    assert "ngoài lãnh thổ Việt Nam" in swapped.content.decode()


def test_only_the_officials_of_the_codes_province_inspect_it(
    client, shipment, producer_account, other_inspector
):
    url = reverse("compliance:inspect", args=["VN-HBOR-0100"])
    client.force_login(producer_account)  # reads its code, does not inspect it
    assert client.get(url).status_code == 403
    assert client.post(url, form(no_position="on")).status_code == 403
    assert (
        'data-action="inspect"'
        not in client.get(reverse("compliance:code", args=["VN-HBOR-0100"])).content.decode()
    )
    client.force_login(other_inspector)
    assert client.get(url).status_code == 404
    assert not Inspection.objects.exists()


def test_the_api_checks_the_position_too(client, shipment, inspector):
    answer = client.post(
        "/api/v1/compliance/inspections",
        {"code": "VN-HBOR-0100", "on": "2025-06-10", "latitude": LON0, "longitude": LAT0},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(inspector)}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400 and "outside Vietnam" in answer.json()["errors"]["latitude"]
    assert not Inspection.objects.exists()
