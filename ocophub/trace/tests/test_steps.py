"""Supply-chain steps a producer records for a batch: stored as EPCIS events, shown on
the batch page and on the page a shopper's scan opens."""

import datetime
import json

import pytest
from django.conf import settings
from django.utils import timezone

from ocophub.accounts.models import ApiToken, Role
from ocophub.conftest import make_user
from ocophub.epcis.models import Event
from ocophub.epcis.store import events_for_epcs
from ocophub.trace.scan import timeline

pytestmark = pytest.mark.django_db

SHOP_GLN = "8930000000019"
WAREHOUSE_GLN = "8930000000026"


def steps_of(batch):
    return [
        (e["bizStep"].rsplit("/", 1)[-1], e.get("disposition", "").rsplit("/", 1)[-1])
        for e in events_for_epcs([batch.digital_link])
    ]


def test_a_shipment_is_recorded_and_shown_to_the_shopper(client, honey_batch, producer_account):
    client.force_login(producer_account)
    when = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(days=1)
    response = client.post(
        f"/trace/batches/{honey_batch.pk}/steps/",
        {
            "step": "shipping",
            "when": when.strftime("%Y-%m-%dT%H:%M"),
            "quantity": "120",
            "location": WAREHOUSE_GLN,
            "partner": SHOP_GLN,
        },
    )
    assert response.status_code == 302
    assert steps_of(honey_batch) == [("commissioning", "active"), ("shipping", "in_transit")]
    shipped = events_for_epcs([honey_batch.digital_link])[-1]
    assert shipped["quantityList"][0] == {
        "epcClass": honey_batch.digital_link,
        "quantity": 120.0,
        "uom": "LTR",
    }
    assert shipped["destinationList"][0]["destination"].endswith(f"/414/{SHOP_GLN}")
    assert shipped["readPoint"]["id"].endswith(f"/414/{WAREHOUSE_GLN}")
    assert datetime.datetime.fromisoformat(shipped["eventTime"]) == when

    page = client.get(f"/trace/batches/{honey_batch.pk}/")
    assert "Xuất hàng" in page.content.decode()  # the step, in Vietnamese by default
    client.logout()
    scan = client.get(f"/01/{honey_batch.product.gtin}/10/{honey_batch.lot}?lang=en")
    assert scan.status_code == 200
    assert "Shipped" in scan.content.decode()
    assert f"GLN {WAREHOUSE_GLN}" in scan.content.decode()


def test_an_inspection_records_its_verdict(client, honey_batch, producer_account):
    client.force_login(producer_account)
    when = timezone.localtime() - datetime.timedelta(hours=2)
    client.post(
        f"/trace/batches/{honey_batch.pk}/steps/",
        {"step": "inspecting", "when": when.strftime("%Y-%m-%dT%H:%M"), "conformant": "0"},
    )
    assert steps_of(honey_batch)[-1] == ("inspecting", "non_conformant")


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"location": "8930000000018"}, "location", "the last digit should be 9"),
        ({"partner": "12345"}, "partner", "13 digits"),
        ({"when": "2099-01-01T08:00"}, "when", "in the future"),
        ({"when": "2025-06-30T08:00"}, "when", "before the batch was produced (01/07/2025)"),
        ({"quantity": "501"}, "quantity", "holds only 500"),
        ({"step": "teleporting"}, "step", "teleporting"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    client, honey_batch, producer_account, change, field, message
):
    client.force_login(producer_account)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = Event.objects.count()
    data = {"step": "packing", "when": "2025-07-02T09:00"} | change
    response = client.post(f"/trace/batches/{honey_batch.pk}/steps/", data)
    assert response.status_code == 400
    errors = response.context["step_form"].errors
    assert message in " ".join(errors[field])
    assert Event.objects.count() == before


def test_error_is_in_vietnamese_by_default(client, honey_batch, producer_account):
    client.force_login(producer_account)
    response = client.post(
        f"/trace/batches/{honey_batch.pk}/steps/",
        {"step": "packing", "when": "2099-01-01T08:00"},
    )
    assert response.status_code == 400
    assert "tương lai" in " ".join(response.context["step_form"].errors["when"])


def test_only_the_batch_owner_records_steps(client, honey_batch, make_producer, phu_tho):
    stranger = make_user("stranger", Role.PRODUCER)
    make_producer(account=stranger)
    client.force_login(stranger)
    data = {"step": "packing", "when": "2025-07-02T09:00"}
    assert client.post(f"/trace/batches/{honey_batch.pk}/steps/", data).status_code == 404
    client.logout()
    response = client.post(f"/trace/batches/{honey_batch.pk}/steps/", data)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert steps_of(honey_batch) == [("commissioning", "active")]


def test_api_records_a_step_and_refuses_bad_ones(client, honey_batch, producer_account):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(producer_account)}"}
    url = f"/api/v1/batches/{honey_batch.pk}/steps"
    payload = {
        "step": "receiving",
        "time": "2025-07-03T10:00:00+07:00",
        "partner_gln": WAREHOUSE_GLN,
    }
    response = client.post(url, json.dumps(payload), content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    event_id = response.json()["event_id"]
    received = client.get("/api/v1/epcis/events", {"EQ_eventID": event_id}).json()
    [event] = received["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert event["sourceList"][0]["source"].endswith(f"/414/{WAREHOUSE_GLN}")

    payload["partner_gln"] = "8930000000020"  # should end in 6
    refused = client.post(url, json.dumps(payload), content_type="application/json", **auth)
    assert refused.status_code == 400
    assert "partner_gln" in refused.json()["detail"]

    stranger = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(make_user('x', Role.PRODUCER))}"}
    payload["partner_gln"] = ""
    other = client.post(url, json.dumps(payload), content_type="application/json", **stranger)
    assert other.status_code == 404
    assert len(steps_of(honey_batch)) == 2


def test_timeline_names_input_batches_whatever_host_their_events_were_captured_under(
    honey_batch, settings
):
    settings.SITE_URL = "https://ocop.example.vn"  # the events were captured under another
    rows = timeline([honey_batch.digital_link], {honey_batch.digital_link: "Mật ong · MO2025-07"})
    assert [(r["step"], r["about"]) for r in rows] == [
        ("Sản xuất và dán tem", "Mật ong · MO2025-07")
    ]
