"""POST /api/v1/compliance/eligibility answers whether a consignment may go to a market
on a date, with its reasons; bad input is a 400 naming the field, and a caller can ask
only about batches in its scope."""

import datetime

import pytest

from ocophub.accounts.models import ApiToken, Role
from ocophub.compliance.inspections import FindingIn, record_inspection
from ocophub.conftest import make_user

from . import consignment

URL = "/api/v1/compliance/eligibility"
D = datetime.date


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


def post(client, user, language="en", **payload):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user)}"
    return client.post(URL, payload, content_type="application/json", **headers)


def test_an_eligible_consignment_answers_true_with_what_it_came_through(
    client, shipment, producer_account
):
    response = post(
        client, producer_account, batches=[shipment.salt.pk], market="cn", date="2025-08-01"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["eligible"] is True
    assert body["reasons"] == []
    assert (body["market"], body["date"]) == ("CN", "2025-08-01")
    (trail,) = body["batches"]
    assert trail["uri"] == shipment.salt.digital_link
    assert trail["inputs"] == [shipment.seeds.digital_link]
    assert trail["areas"] == ["VN-HBOR-0100"]
    assert trail["facilities"] == ["VNHBPH-0001"]


def test_a_suspended_code_answers_false_with_the_reason(client, shipment, inspector):
    record_inspection(shipment.area, inspector, D(2025, 7, 20), [FindingIn("pest", "critical")])
    response = post(
        client,
        inspector,
        batches=[shipment.salt.label_uri],
        market="CN",
        date="2025-08-01",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["eligible"] is False
    assert body["reasons"] == [
        {
            "code": "approval_suspended",
            "batch": shipment.salt.digital_link,
            "record": f"approval:{shipment.area_approval.pk}",
            "message": body["reasons"][0]["message"],
        }
    ]
    assert body["reasons"][0]["message"].startswith("VN-HBOR-0100: its approval for CN")


def test_reasons_come_in_the_callers_language(client, shipment, producer_account):
    response = post(
        client, producer_account, "vi", batches=[shipment.salt.pk], market="JP", date="2025-08-01"
    )
    message = response.json()["reasons"][0]["message"]
    assert "không có phê duyệt của thị trường JP" in message


def test_an_unknown_market_or_batch_answers_400_naming_the_field(
    client, shipment, producer_account
):
    response = post(client, producer_account, batches=[shipment.salt.pk], market="XX")
    assert response.status_code == 400
    assert "CN" in response.json()["errors"]["market"]
    response = post(client, producer_account, batches=[999999, "not a link"], market="CN")
    assert response.status_code == 400
    assert response.json()["errors"]["batches"] == "No batch you may see is 999999, not a link."
    response = post(client, producer_account, batches=[], market="CN")
    assert response.status_code == 400
    assert "at least one batch" in response.json()["errors"]["batches"]
    response = post(client, producer_account, batches=[shipment.salt.pk], market="CN", date="1/8")
    assert response.status_code == 400


def test_a_caller_asks_only_about_batches_in_its_scope(client, shipment, other_inspector):
    stranger = make_user("other-producer", Role.PRODUCER)
    for user in (stranger, other_inspector):
        response = post(client, user, batches=[shipment.salt.pk], market="CN")
        assert response.status_code == 400, user
        assert "batches" in response.json()["errors"]
    assert post(client, None, batches=[shipment.salt.pk], market="CN").status_code == 401
