"""capture(), record_event(), events_for_epcs() and inputs_of() on the database."""

import pytest
from stdnum import ean

from ocophub.epcis.models import Capture, EpcRole, Event, EventEpc
from ocophub.epcis.store import (
    CaptureError,
    capture,
    corrections,
    events_for_epcs,
    inputs_of,
    record_event,
)
from ocophub.testing.epcis import batch, document, gtin, item, object_event

pytestmark = pytest.mark.django_db


def test_capture_stores_every_event_with_its_columns_and_identifiers(province_officer):
    events = [
        object_event(1),
        object_event(
            2,
            bizStep="https://ref.gs1.org/cbv/BizStep-receiving",
            disposition="https://ref.gs1.org/cbv/Disp-in_progress",
            bizLocation={"id": "urn:epc:id:sgln:8930000.00002.0"},
            quantityList=[{"epcClass": batch(gtin(1), "L1"), "quantity": 20, "uom": "KGM"}],
        ),
    ]
    result = capture(document(*events), user=province_officer)
    assert result.event_count == 2
    record = Capture.objects.get()
    assert record.captured_by == province_officer
    assert record.context[1] == {"example": "http://ns.example.com/epcis/"}
    assert record.header["creationDate"] == "2025-03-01T09:00:00+07:00"
    first, second = Event.objects.order_by("event_time")
    assert (first.type, first.biz_step, first.action) == ("ObjectEvent", "shipping", "OBSERVE")
    assert first.read_point == "urn:epc:id:sgln:8930000.00001.0"
    assert (second.biz_step, second.disposition) == ("receiving", "in_progress")
    assert second.biz_location == "urn:epc:id:sgln:8930000.00002.0"
    assert first.event_time.isoformat() == "2025-03-01T01:01:00+00:00"
    assert first.data == events[0]
    assert set(second.epcs.values_list("role", "key", "gtin")) == {
        (EpcRole.EPC, f"01/{gtin(1)}/21/S2", gtin(1)),
        (EpcRole.QUANTITY, f"01/{gtin(1)}/10/L1", gtin(1)),
    }


def test_one_bad_event_among_good_ones_stores_nothing(province_officer):
    events = [object_event(i) for i in range(5)]
    events[3]["eventTime"] = "tomorrow"
    with pytest.raises(CaptureError) as refused:
        capture(document(*events), user=province_officer)
    assert [p.path for p in refused.value.problems] == ["$.epcisBody.eventList[3].eventTime"]
    assert not Event.objects.exists()
    assert not EventEpc.objects.exists()
    assert not Capture.objects.exists()


def test_an_event_id_is_captured_once(province_officer):
    capture(document(object_event(1)), user=province_officer)
    with pytest.raises(CaptureError) as refused:
        capture(document(object_event(2), object_event(1)), user=province_officer)
    assert [p.path for p in refused.value.problems] == ["$.epcisBody.eventList[1].eventID"]
    assert Event.objects.count() == 1
    with pytest.raises(CaptureError) as twice:
        capture(document(object_event(3), object_event(3)), user=province_officer)
    assert twice.value.problems[0].path == "$.epcisBody.eventList[1].eventID"
    assert Event.objects.count() == 1


def test_an_error_declaration_marks_the_stored_event_and_is_kept_beside_it(province_officer):
    capture(document(object_event(1)), user=province_officer)
    declaration = object_event(
        1,
        errorDeclaration={
            "declarationTime": "2025-03-02T08:00:00+07:00",
            "reason": "incorrect_data",
        },
    )
    result = capture(document(declaration), user=province_officer)
    assert result.declared == [object_event(1)["eventID"]]
    stored = Event.objects.get(is_declaration=False)
    assert stored.declared_in_error
    assert stored.data == object_event(1)
    kept = Event.objects.get(is_declaration=True)
    assert kept.data["errorDeclaration"]["reason"] == "incorrect_data"
    assert events_for_epcs([item(gtin(1), "S1")]) == [
        {**object_event(1), "recordTime": events_for_epcs([item(gtin(1), "S1")])[0]["recordTime"]}
    ]
    found = corrections([object_event(1)["eventID"], "urn:uuid:other"])
    assert list(found) == [object_event(1)["eventID"]]
    assert found[object_event(1)["eventID"]].by == province_officer


def test_an_event_declared_in_error_in_its_own_document_is_stored_with_its_declaration(
    province_officer,
):
    declaration = object_event(1, errorDeclaration={"declarationTime": "2025-03-02T08:00:00+07:00"})
    capture(document(object_event(1), declaration), user=province_officer)
    assert list(Event.objects.values_list("is_declaration", "declared_in_error")) == [
        (False, True),
        (True, True),
    ]
    assert inputs_of(item(gtin(1), "S1")) == []


def test_only_an_epcis_document_is_captured(province_officer):
    with pytest.raises(CaptureError) as refused:
        capture(object_event(1), user=province_officer)
    assert refused.value.problems[0].path == "$.type"


def test_events_for_epcs_in_time_order_and_in_either_form(province_officer):
    sgtin_urn = "urn:epc:id:sgtin:8930000.012345.7"
    # indicator 0, company prefix 8930000, item reference 12345, then the check digit
    same_item_dl = (
        "https://id.gs1.org/01/" + "0893000012345" + ean.calc_check_digit("0893000012345")
    )
    same_item_dl += "/21/7"
    capture(
        document(
            object_event(3, epcList=[sgtin_urn], eventTime="2025-03-03T08:00:00+07:00"),
            object_event(1, epcList=[item(gtin(2), "A")], eventTime="2025-03-01T08:00:00+07:00"),
            object_event(
                2,
                epcList=None,
                quantityList=[{"epcClass": batch(gtin(2), "L9"), "quantity": 5}],
                eventTime="2025-03-02T08:00:00+07:00",
            ),
        ),
        user=province_officer,
    )
    timeline = events_for_epcs([item(gtin(2), "A"), batch(gtin(2), "L9")])
    assert [e["eventID"] for e in timeline] == [
        object_event(1)["eventID"],
        object_event(2)["eventID"],
    ]
    assert all("recordTime" in e for e in timeline)
    # A Digital Link on another host names the same item as the EPC URN.
    assert [e["eventID"] for e in events_for_epcs([same_item_dl])] == [object_event(3)["eventID"]]
    assert events_for_epcs([]) == []


def test_record_event_fills_in_id_and_time(province_officer):
    event = record_event(
        {
            "type": "ObjectEvent",
            "action": "ADD",
            "bizStep": "commissioning",
            "disposition": "active",
            "quantityList": [{"epcClass": batch(gtin(3), "2025-01"), "quantity": 100}],
        },
        user=province_officer,
    )
    data = event.data
    assert data["eventID"].startswith("urn:uuid:")
    assert data["eventTimeZoneOffset"] == "+07:00"
    assert event.biz_step == "commissioning"
    assert event.capture.captured_by == province_officer
    with pytest.raises(CaptureError):
        record_event({"type": "ObjectEvent", "action": "SELL", "epcList": []})


def test_inputs_of_reads_transformation_events(province_officer):
    honey = batch(gtin(4), "H1")
    bottles = batch(gtin(5), "B1")
    transformation = {
        "type": "TransformationEvent",
        "eventID": "urn:uuid:11111111-1111-4111-8111-111111111111",
        "eventTime": "2025-03-05T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "inputQuantityList": [{"epcClass": honey, "quantity": 20, "uom": "KGM"}],
        "inputEPCList": [item(gtin(6), "JAR1")],
        "outputQuantityList": [{"epcClass": bottles, "quantity": 40}],
        "bizStep": "commissioning",
    }
    capture(document(transformation), user=province_officer)
    assert inputs_of(bottles) == [item(gtin(6), "JAR1"), honey]
    assert inputs_of(honey) == []


def test_producer_may_not_record_events_for_someone_elses_product(
    producer_account, make_producer, make_product
):
    own = make_product(make_producer(account=producer_account), gtin=gtin(7))
    other = make_product(make_producer(), name="Gà Ri", gtin=gtin(8))
    assert own.gtin == gtin(7)
    capture(document(object_event(1, epcList=[item(gtin(7), "1")])), user=producer_account)
    # A GTIN the platform does not know (a supplier's) is free to name.
    capture(document(object_event(2, epcList=[item(gtin(99), "1")])), user=producer_account)
    with pytest.raises(CaptureError) as refused:
        capture(
            document(object_event(3, epcList=[item(gtin(7), "2"), item(other.gtin, "1")])),
            user=producer_account,
        )
    assert refused.value.problems[0].path == "$.epcisBody.eventList[0]"
    assert other.gtin in refused.value.problems[0].message
    assert Event.objects.count() == 2


def test_identifiers_longer_than_the_index_are_refused(province_officer):
    long_epc = item(gtin(1), "S" * 600)
    with pytest.raises(CaptureError) as refused:
        capture(
            document(object_event(1), object_event(2, epcList=[long_epc])),
            user=province_officer,
        )
    assert [p.path for p in refused.value.problems] == ["$.epcisBody.eventList[1]"]
    assert "500" in refused.value.problems[0].message
    assert not Event.objects.exists()
