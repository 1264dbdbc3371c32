"""An inspector or the provincial office changes a code's own status over the API with
a reason: the move is checked against the code's lifecycle, recorded in its history
with who, when and why, and refused with a clear message in the caller's language when
illegal, unexplained, dated ahead, or outside the caller's province."""

import datetime

import pytest
from django.utils import timezone

from ocophub.accounts.models import ApiToken
from ocophub.compliance.models import CodeEvent, CodeStatus

from . import consignment

D = datetime.date


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


def status_url(code):
    return f"/api/v1/compliance/codes/{code}/status"


def post(client, user, code, payload, language="en"):
    return client.post(
        status_url(code),
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def get(client, user, code):
    return client.get(
        status_url(code),
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_an_inspector_suspends_and_reinstates_a_code_with_reasons(client, shipment, inspector):
    code = shipment.area.code
    answer = post(client, inspector, code, {"status": "suspended", "reason": "Fruit fly found"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "suspended" and body["kind"] == "area"
    assert set(body["next_statuses"]) == {"active", "revoked", "retired"}
    last = body["history"][-1]
    assert (last["from_status"], last["to_status"], last["move"]) == (
        "active",
        "suspended",
        "suspended",
    )
    assert last["by"] == "inspector" and last["reason"] == "Fruit fly found"
    assert last["on"] == timezone.localdate().isoformat()
    back = post(client, inspector, code, {"status": "active", "reason": "Follow-up clean"})
    assert back.status_code == 200 and back.json()["history"][-1]["move"] == "reinstated"
    shipment.area.refresh_from_db()
    assert shipment.area.status == CodeStatus.ACTIVE
    assert [e.to_status for e in shipment.area.history()] == ["active", "suspended", "active"]


def test_the_provincial_office_revokes_a_packing_facility_dated_in_the_past(
    client, shipment, province_officer
):
    code = shipment.facility.code
    payload = {"status": "revoked", "reason": "Closed by order", "on": "2025-06-01"}
    answer = post(client, province_officer, code, payload)
    assert answer.status_code == 200, answer.content
    assert answer.json()["kind"] == "facility" and answer.json()["next_statuses"] == []
    event = shipment.facility.code_events.latest("at")
    assert (event.on, event.by, event.reason) == (
        D(2025, 6, 1),
        province_officer,
        "Closed by order",
    )
    got = get(client, province_officer, code)
    assert got.status_code == 200 and got.json()["status"] == "revoked"


def test_bad_changes_are_refused_naming_the_problem_and_nothing_is_written(
    client, shipment, inspector
):
    code = shipment.area.code
    before = CodeEvent.objects.count()
    illegal = post(client, inspector, code, {"status": "active", "reason": "Already is"})
    assert illegal.status_code == 400
    assert "active cannot become active" in illegal.json()["errors"]["status"]
    unknown = post(client, inspector, code, {"status": "paused", "reason": "x"})
    assert unknown.status_code == 400 and "it can become: suspended" in unknown.json()["detail"]
    silent = post(client, inspector, code, {"status": "suspended", "reason": "  "})
    assert silent.status_code == 400 and silent.json()["errors"] == {"reason": "Say why."}
    ahead = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = post(client, inspector, code, {"status": "suspended", "reason": "x", "on": ahead})
    assert future.status_code == 400 and "today or earlier" in future.json()["errors"]["on"]
    early = post(
        client, inspector, code, {"status": "suspended", "reason": "x", "on": "2023-01-01"}
    )
    assert early.status_code == 400 and "before the last one" in early.json()["errors"]["on"]
    missing = post(client, inspector, code, {"status": "suspended"})
    assert missing.status_code == 400  # the schema asks for a reason
    nowhere = post(client, inspector, "VN-XXOR-9999", {"status": "suspended", "reason": "x"})
    assert nowhere.status_code == 404 and "VN-XXOR-9999" in nowhere.json()["detail"]
    assert CodeEvent.objects.count() == before
    shipment.area.refresh_from_db()
    assert shipment.area.status == CodeStatus.ACTIVE


def test_refusals_speak_the_callers_language(client, shipment, inspector, producer_account):
    code = shipment.area.code
    answer = post(client, inspector, code, {"status": "suspended", "reason": ""}, "vi")
    assert answer.status_code == 400 and answer.json()["errors"] == {"reason": "Nêu lý do."}
    ahead = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    future = post(client, inspector, code, {"status": "revoked", "reason": "x", "on": ahead}, "vi")
    assert "hôm nay hoặc trước đó" in future.json()["errors"]["on"]
    payload = {"status": "suspended", "reason": "x"}
    refused = post(client, producer_account, code, payload, "vi")
    assert refused.json()["detail"] == "Chỉ văn phòng cấp tỉnh và thanh tra viên được làm việc này."


def test_only_officials_of_the_codes_province_change_it(
    client, shipment, producer_account, other_inspector, commune_officer
):
    code = shipment.area.code
    payload = {"status": "suspended", "reason": "Not mine to say"}
    holder = post(client, producer_account, code, payload)
    assert (
        holder.status_code == 403 and "provincial office and inspectors" in holder.json()["detail"]
    )
    assert post(client, commune_officer, code, payload).status_code == 403
    elsewhere = post(client, other_inspector, code, payload)
    assert elsewhere.status_code == 403 and code in elsewhere.json()["detail"]
    assert (
        client.post(status_url(code), payload, content_type="application/json").status_code == 401
    )
    assert shipment.area.code_events.count() == 1  # only the grant
    # The producer holding the code reads its history; an inspector elsewhere does not.
    assert get(client, producer_account, code).status_code == 200
    assert get(client, other_inspector, code).status_code == 404
