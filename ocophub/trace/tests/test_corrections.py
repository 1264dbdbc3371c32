"""EPCIS error declarations (corrections) of a batch's events: only who may capture for
every object of the original event declares one; the original stays stored and
queryable; the scan page shows the correction and who made it."""

import json

import pytest

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.epcis.models import Event
from ocophub.testing.epcis import client_for, document, post_document

pytestmark = pytest.mark.django_db


def commissioning(batch):
    return Event.objects.filter(is_declaration=False, biz_step="commissioning").get(
        epcs__key__endswith=f"/10/{batch.lot}"
    )


def declaration_of(event, **changes):
    body = {**event.data, **changes}
    body["errorDeclaration"] = {
        "declarationTime": "2025-07-02T08:00:00+07:00",
        "reason": "incorrect_data",
    }
    return body


def scan_page(client, batch):
    return client.get(f"/01/{batch.product.gtin}/10/{batch.lot}?lang=en").content.decode()


@pytest.fixture
def intruder(make_producer):
    user = make_user("intruder", Role.PRODUCER)
    make_producer(account=user, name="HTX Kẻ Lạ")
    return user


def test_a_producer_may_not_declare_an_error_on_another_producers_event(
    client, honey_batch, honey_certificate, intruder
):
    original = commissioning(honey_batch)
    hacked = declaration_of(
        original,
        bizStep="destroying",
        disposition="destroyed",
        epcList=["https://ocop.example.vn/01/08930000000996/21/HACKED"],
        quantityList=None,
    )
    hacked = {k: v for k, v in hacked.items() if v is not None}
    response = post_document(client_for(intruder), document(hacked))
    assert response.status_code == 400
    problem = response.json()["problems"][0]
    assert problem["path"] == "$.epcisBody.eventList[0].eventID"
    assert "không được khai báo" in problem["message"]  # Vietnamese by default
    original.refresh_from_db()
    assert not original.declared_in_error
    assert Event.objects.filter(event_id=original.event_id).count() == 1
    page = scan_page(client, honey_batch)
    assert "Produced and labelled" in page
    assert "Destroying" not in page and "HACKED" not in page


def test_the_owner_declares_an_error_and_the_original_stays_queryable(
    client, honey_batch, honey_certificate, producer_account
):
    original = commissioning(honey_batch)
    body_before = original.body
    response = post_document(client_for(producer_account), document(declaration_of(original)))
    assert response.status_code == 202, response.content
    assert response.json()["errorDeclarations"] == [original.event_id]
    original.refresh_from_db()
    assert original.declared_in_error
    assert original.body == body_before  # kept as captured
    found = client.get("/api/v1/epcis/events", {"EQ_eventID": original.event_id}).json()
    listed = found["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert len(listed) == 2
    assert "errorDeclaration" not in listed[0]
    assert listed[1]["errorDeclaration"]["reason"] == "incorrect_data"
    page = scan_page(client, honey_batch)
    assert "Produced and labelled" in page
    assert "Declared in error" in page
    assert "HTX Thanh An" in page.split("Declared in error", 1)[1]


def test_the_province_office_may_correct_any_event_once(client, honey_batch, province_officer):
    original = commissioning(honey_batch)
    staff = client_for(province_officer)
    assert post_document(staff, document(declaration_of(original))).status_code == 202
    again = post_document(staff, document(declaration_of(original)))
    assert again.status_code == 400
    assert "đã được khai báo là sai sót" in json.dumps(again.json(), ensure_ascii=False)
    assert Event.objects.filter(event_id=original.event_id).count() == 2


def test_a_declaration_has_the_type_of_its_event(client, honey_batch, province_officer):
    original = commissioning(honey_batch)
    other_type = declaration_of(
        original,
        type="TransactionEvent",
        bizTransactionList=[{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:1:1"}],
    )
    response = post_document(client_for(province_officer), document(other_type))
    assert response.status_code == 400
    assert "ObjectEvent" in response.json()["problems"][0]["message"]
    original.refresh_from_db()
    assert not original.declared_in_error


def test_a_declaration_captured_before_its_event_counts_only_from_who_may_correct_it(
    client, honey_batch, intruder, producer_account
):
    event = {**commissioning(honey_batch).data, "eventID": "urn:uuid:later-1"}
    early = declaration_of(Event(body=json.dumps(event)))
    # Naming the batch, the intruder is refused; naming something unregistered, its
    # declaration is kept but the batch's event does not take it.
    assert post_document(client_for(intruder), document(early)).status_code == 400
    decoy = {**early, "quantityList": [{"epcClass": "urn:epc:class:lgtin:8930000.099999.X"}]}
    assert post_document(client_for(intruder), document(decoy)).status_code == 202
    assert post_document(client_for(producer_account), document(event)).status_code == 202
    assert not Event.objects.get(
        event_id="urn:uuid:later-1", is_declaration=False
    ).declared_in_error

    event["eventID"] = early["eventID"] = "urn:uuid:later-2"
    assert post_document(client_for(producer_account), document(early)).status_code == 202
    assert post_document(client_for(producer_account), document(event)).status_code == 202
    assert Event.objects.get(event_id="urn:uuid:later-2", is_declaration=False).declared_in_error


def test_a_timeline_without_corrections_is_read_in_one_query_and_shows_one_when_declared(
    honey_batch, producer_account, django_assert_num_queries
):
    from ocophub.trace.scan import timeline

    with django_assert_num_queries(1):
        rows = timeline([honey_batch.digital_link])
    assert rows and all(row["correction"] is None for row in rows)

    original = commissioning(honey_batch)
    post_document(client_for(producer_account), document(declaration_of(original)))
    rows = timeline([honey_batch.digital_link])
    assert [row["correction"]["reason"] for row in rows if row["correction"]] == [
        "dữ liệu bị sai"  # Vietnamese by default: "its data were wrong"
    ]
