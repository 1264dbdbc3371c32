"""The REST binding through HTTP: capture, query filters, paging, media types and who may
do what."""

import json

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.epcis.models import Capture, Event
from ocophub.epcis.schema import schema_problems
from ocophub.testing.epcis import (
    batch,
    client_for,
    document,
    gtin,
    item,
    object_event,
    post_document,
)

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/epcis/events"


def event_ids(reply):
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert schema_problems(body) == []
    return [e.get("eventID") for e in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def eid(n):
    return object_event(n)["eventID"]


@pytest.fixture
def staff(province_officer):
    return client_for(province_officer)


@pytest.fixture
def stored(staff):
    """Five events of one item's journey, captured in two documents."""
    events = [
        object_event(1, action="ADD", bizStep="commissioning", disposition="active"),
        object_event(
            2,
            bizStep="packing",
            epcList=None,
            quantityList=[{"epcClass": batch(gtin(1), "L1"), "quantity": 12}],
        ),
        object_event(3, bizStep="https://ref.gs1.org/cbv/BizStep-shipping"),
        object_event(
            4,
            bizStep="receiving",
            disposition="in_progress",
            readPoint={"id": "urn:epc:id:sgln:8930000.00009.0"},
            bizLocation={"id": "urn:epc:id:sgln:8930000.00009.0"},
        ),
        {
            "type": "AggregationEvent",
            "eventID": eid(5),
            "eventTime": "2025-03-01T08:05:00+07:00",
            "eventTimeZoneOffset": "+07:00",
            "parentID": "urn:epc:id:sscc:8930000.0000000001",
            "childEPCs": [item(gtin(1), "S1"), item(gtin(2), "X")],
            "action": "ADD",
            "bizStep": "packing",
        },
    ]
    assert post_document(staff, document(*events[:3])).status_code == 202
    assert post_document(staff, document(*events[3:])).status_code == 202
    return events


def test_capture_answers_202_with_the_capture_id(staff, province_officer):
    reply = post_document(staff, document(object_event(1), object_event(2)))
    assert reply.status_code == 202
    body = reply.json()
    record = Capture.objects.get()
    assert body["captureID"] == str(record.id)
    assert body["eventCount"] == 2
    assert reply["Location"].endswith(f"/api/v1/epcis/capture/{record.id}")
    status = staff.get(f"/api/v1/epcis/capture/{record.id}")
    assert status.status_code == 200
    assert status.json()["success"] is True
    assert record.captured_by == province_officer


def test_json_ld_media_type_is_accepted_and_others_refused(staff):
    assert post_document(staff, document(object_event(1)), "application/ld+json").status_code == 202
    refused = post_document(staff, document(object_event(2)), "text/plain")
    assert refused.status_code == 415
    assert Event.objects.count() == 1


def test_a_bad_document_is_refused_with_every_problem_and_nothing_stored(staff):
    events = [object_event(i) for i in range(4)]
    events[1]["action"] = "MOVE"
    del events[2]["eventTimeZoneOffset"]
    reply = post_document(staff, document(*events))
    assert reply.status_code == 400
    assert reply["Content-Type"] == "application/problem+json"
    paths = {p["path"] for p in reply.json()["problems"]}
    assert paths == {
        "$.epcisBody.eventList[1].action",
        "$.epcisBody.eventList[2].eventTimeZoneOffset",
    }
    assert not Event.objects.exists()


def test_broken_json_says_where(staff):
    reply = staff.post(
        "/api/v1/epcis/capture", data='{"type": "EPCISDocument",', content_type="application/json"
    )
    assert reply.status_code == 400
    assert "1" in reply.json()["problems"][0]["message"]


def test_errors_speak_vietnamese_by_default_and_english_on_request(staff, compiled_catalogues):
    bad = document(object_event(1, eventTime="hôm qua"))
    vi = post_document(staff, bad).json()
    en = staff.post(
        "/api/v1/epcis/capture",
        data=json.dumps(bad),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    ).json()
    assert en["title"] == "The document was not captured."
    assert vi["title"] != en["title"]
    assert vi["problems"][0]["message"] != en["problems"][0]["message"]


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.PRODUCER, 202),
        (Role.PROVINCE_OFFICE, 202),
        (Role.COMMUNE_OFFICER, 202),
        (Role.INSPECTOR, 403),
        (Role.COUNCIL_MEMBER, 403),
        (Role.UNION_OFFICER, 403),
    ],
)
def test_who_may_capture(role, status, phu_tho):
    user = make_user(f"u-{role}", role, province=phu_tho)
    assert post_document(client_for(user), document(object_event(1))).status_code == status


def test_capture_needs_a_token_or_session(db):
    assert post_document(Client(), document(object_event(1))).status_code == 401
    assert not Event.objects.exists()


def test_session_capture_works(province_officer):
    client = Client()
    client.force_login(province_officer)
    assert post_document(client, document(object_event(1))).status_code == 202


def test_filters(staff, stored):
    def ids(**params):
        return event_ids(staff.get(EVENTS, params))

    assert ids() == [eid(1), eid(2), eid(3), eid(4), eid(5)]
    # bizStep compares equal in all its spellings, as the standard says.
    assert ids(EQ_bizStep="shipping") == [eid(3)]
    assert ids(EQ_bizStep="urn:epcglobal:cbv:bizstep:shipping") == [eid(3)]
    assert ids(EQ_bizStep="https://ref.gs1.org/cbv/BizStep-packing") == [eid(2), eid(5)]
    assert ids(EQ_bizStep="packing|commissioning") == [eid(1), eid(2), eid(5)]
    assert ids(EQ_disposition="in_progress") == [eid(4)]
    assert ids(EQ_action="ADD") == [eid(1), eid(5)]
    assert ids(eventType="AggregationEvent") == [eid(5)]
    assert ids(EQ_readPoint="urn:epc:id:sgln:8930000.00009.0") == [eid(4)]
    assert ids(EQ_bizLocation="urn:epc:id:sgln:8930000.00009.0") == [eid(4)]
    assert ids(GE_eventTime="2025-03-01T01:03:00Z") == [eid(3), eid(4), eid(5)]
    assert ids(LT_eventTime="2025-03-01T08:03:00+07:00") == [eid(1), eid(2)]
    assert ids(EQ_eventID=eid(3)) == [eid(3)]
    assert ids(GE_recordTime="2000-01-01T00:00:00Z") == ids()
    assert ids(LT_recordTime="2000-01-01T00:00:00Z") == []
    raw = staff.get(EVENTS + "?LT_eventTime=2025-03-01T08:03:00+07:00")
    assert event_ids(raw) == [eid(1), eid(2)]
    assert ids(GE_eventTime="2025-03-01T01:02:00Z", LT_eventTime="2025-03-01T01:04:00Z") == [
        eid(2),
        eid(3),
    ]
    # MATCH_epc looks at epcList and childEPCs; anyEPC adds parentID, inputs and outputs.
    assert ids(MATCH_epc=item(gtin(1), "S1")) == [eid(1), eid(5)]
    assert ids(MATCH_epc="urn:epc:id:sscc:8930000.0000000001") == []
    assert ids(MATCH_anyEPC="urn:epc:id:sscc:8930000.0000000001") == [eid(5)]
    assert ids(MATCH_parentID="urn:epc:idpat:sscc:8930000.*") == [eid(5)]
    assert ids(MATCH_epcClass=batch(gtin(1), "L1")) == [eid(2)]
    assert ids(MATCH_anyEPCClass=batch(gtin(1), "L1")) == [eid(2)]
    assert ids(MATCH_epc=item(gtin(2), "X"), EQ_bizStep="packing") == [eid(5)]


def test_epc_patterns_follow_the_tag_data_standard(staff):
    events = [
        object_event(1, epcList=["urn:epc:id:sgtin:8930000.012345.1"]),
        object_event(2, epcList=["urn:epc:id:sgtin:8930000.012345.2"]),
        object_event(3, epcList=["urn:epc:id:sgtin:8930000.099999.1"]),
        object_event(4, epcList=["urn:epc:id:sgtin:8931111.012345.1"]),
    ]
    assert post_document(staff, document(*events)).status_code == 202

    def ids(pattern):
        return event_ids(staff.get(EVENTS, {"MATCH_epc": pattern}))

    assert ids("urn:epc:idpat:sgtin:8930000.012345.*") == [eid(1), eid(2)]
    assert ids("urn:epc:idpat:sgtin:8930000.*.*") == [eid(1), eid(2), eid(3)]
    assert ids("urn:epc:idpat:sgtin:*.*.*") == [eid(1), eid(2), eid(3), eid(4)]
    assert ids("urn:epc:id:sgtin:8930000.012345.2") == [eid(2)]


def test_bad_query_parameters_are_named(staff):
    for params, name in (
        ({"GE_eventTime": "yesterday"}, "GE_eventTime"),
        ({"EQ_colour": "red"}, "EQ_colour"),
        ({"eventType": "PartyEvent"}, "eventType"),
        ({"perPage": "0"}, "perPage"),
        ({"nextPageToken": "forged"}, "nextPageToken"),
    ):
        reply = staff.get(EVENTS, params)
        assert reply.status_code == 400, params
        assert reply.json()["problems"][0]["path"] == name


def test_paging_with_next_page_token_and_link_header(staff):
    # Two events at the same instant: the page boundary must not lose or repeat either.
    events = [object_event(i, eventTime="2025-03-01T08:00:00+07:00") for i in range(1, 4)]
    events += [object_event(i) for i in range(4, 8)]
    assert post_document(staff, document(*events)).status_code == 202
    seen, url, pages = [], EVENTS + "?perPage=2&EQ_bizStep=shipping", 0
    while url:
        reply = staff.get(url)
        seen += event_ids(reply)
        pages += 1
        link = reply.headers.get("Link")
        if link:
            assert link.endswith('>; rel="next"')
            assert "EQ_bizStep=shipping" in link and "perPage=2" in link
            url = link[1 : link.index(">")]
        else:
            url = None
    assert pages == 4
    assert sorted(seen) == sorted(e["eventID"] for e in events)
    assert len(seen) == len(set(seen))


def test_query_answer_media_types(staff, stored):
    reply = staff.get(EVENTS, headers={"Accept": "application/ld+json"})
    assert reply["Content-Type"] == "application/ld+json"
    assert reply["GS1-EPCIS-Version"] == "2.0.0"
    assert staff.get(EVENTS)["Content-Type"] == "application/json"


def test_read_scope(
    staff, producer_account, make_producer, make_product, phu_tho, province_officer
):
    published = make_product(make_producer(), name="Mật ong", gtin=gtin(11), status="certified")
    draft = make_product(make_producer(account=producer_account), name="Chè", gtin=gtin(12))
    assert published.is_published and not draft.is_published
    events = [
        object_event(1, epcList=[item(gtin(11), "1")]),
        object_event(2, epcList=[item(gtin(12), "1")]),
        object_event(3, epcList=["urn:epc:id:sscc:8930000.0000000009"]),
    ]
    assert post_document(staff, document(*events)).status_code == 202
    # Anyone: events about a published product (what the scan page shows).
    assert event_ids(Client().get(EVENTS)) == [eid(1)]
    # Its producer also reads the draft product's events.
    assert event_ids(client_for(producer_account).get(EVENTS)) == [eid(1), eid(2)]
    # Staff read everything; a council member reads what the public reads.
    assert event_ids(staff.get(EVENTS)) == [eid(1), eid(2), eid(3)]
    inspector = make_user("insp", Role.INSPECTOR, province=phu_tho)
    assert event_ids(client_for(inspector).get(EVENTS)) == [eid(1), eid(2), eid(3)]
    council = make_user("council", Role.COUNCIL_MEMBER)
    assert event_ids(client_for(council).get(EVENTS)) == [eid(1)]
    # A producer reads what it captured itself, whatever it names.
    own = object_event(9, epcList=["urn:epc:id:sscc:8930000.0000000010"])
    assert post_document(client_for(producer_account), document(own)).status_code == 202
    assert eid(9) in event_ids(client_for(producer_account).get(EVENTS))
    assert eid(9) not in event_ids(Client().get(EVENTS))


def test_capture_status_is_private(staff, producer_account):
    reply = post_document(staff, document(object_event(1)))
    capture_id = reply.json()["captureID"]
    other = client_for(producer_account).get(f"/api/v1/epcis/capture/{capture_id}")
    assert other.status_code == 404
    assert staff.get("/api/v1/epcis/capture/not-a-capture").status_code == 404


def test_openapi_documents_the_epcis_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    capture_op = schema["paths"]["/api/v1/epcis/capture"]["post"]
    assert set(capture_op["requestBody"]["content"]) == {
        "application/json",
        "application/ld+json",
        "application/xml",
        "text/xml",
    }
    assert "get" in schema["paths"]["/api/v1/epcis/events"]


def test_openapi_documents_each_binding_answer_with_its_problem_body(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    capture = paths["/api/v1/epcis/capture"]["post"]["responses"]
    assert {"202", "400", "403", "406", "413", "415"} <= set(capture)
    assert "application/problem+json" in capture["413"]["content"]
    one_event = paths["/api/v1/epcis/events/{event_id}"]["get"]["responses"]
    assert one_event["404"]["content"]["application/problem+json"]["schema"]["required"] == [
        "type",
        "title",
        "status",
    ]
    assert {"204", "401", "403", "404"} <= set(
        paths["/api/v1/epcis/queries/{name}"]["delete"]["responses"]
    )
