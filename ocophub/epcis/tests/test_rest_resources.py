"""The REST binding's resources beyond capture and /events: single events, event types,
EPCs, vocabularies, named queries, capture jobs, discovery, version negotiation and
paging, each with the platform's read scope."""

import json
from urllib.parse import quote

import pytest
from django.test import Client

from ocophub.epcis.api import CAPTURE_LIMIT
from ocophub.epcis.models import Event, NamedQuery
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

BASE = "/api/v1/epcis"
SHIPPED_FROM = "urn:epc:id:sgln:8930000.00009.0"


def event_ids(reply):
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert schema_problems(body) == []
    return [e["eventID"] for e in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def eid(n):
    return object_event(n)["eventID"]


def problem(reply, status, kind):
    assert reply.status_code == status, reply.content
    assert reply["Content-Type"] == "application/problem+json"
    body = reply.json()
    assert body["type"] == f"epcisException:{kind}"
    assert body["status"] == status and body["title"]
    return body


@pytest.fixture
def staff(province_officer):
    return client_for(province_officer)


@pytest.fixture
def published(make_producer, make_product):
    return make_product(make_producer(), name="Mật ong", gtin=gtin(11), status="certified")


@pytest.fixture
def stored(staff, published):
    """Events about a published product (public) and one naming only a pallet (staff)."""
    events = [
        object_event(1, epcList=[item(gtin(11), "1")], bizStep="commissioning"),
        object_event(
            2,
            epcList=None,
            quantityList=[{"epcClass": batch(gtin(11), "L1"), "quantity": 5}],
            bizStep="packing",
        ),
        object_event(
            3,
            epcList=[item(gtin(11), "1")],
            bizLocation={"id": SHIPPED_FROM},
            disposition="in_progress",
        ),
        {
            "type": "AggregationEvent",
            "eventID": eid(4),
            "eventTime": "2025-03-01T08:04:00+07:00",
            "eventTimeZoneOffset": "+07:00",
            "parentID": "urn:epc:id:sscc:8930000.0000000001",
            "childEPCs": [item(gtin(11), "1")],
            "action": "ADD",
            "bizStep": "packing",
        },
        object_event(5, epcList=["urn:epc:id:sscc:8930000.0000000009"]),
    ]
    assert post_document(staff, document(*events)).status_code == 202
    return events


def test_one_event_is_read_by_its_url_encoded_event_id(stored, staff):
    assert event_ids(Client().get(f"{BASE}/events/{quote(eid(1), safe='')}")) == [eid(1)]
    # An event that only staff read is "not found" to the public, found for staff.
    problem(Client().get(f"{BASE}/events/{eid(5)}"), 404, "NoSuchResourceException")
    assert event_ids(staff.get(f"{BASE}/events/{eid(5)}")) == [eid(5)]


def test_an_event_id_with_slashes_and_a_query_part_is_found(staff, published):
    ni = "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0"
    event = object_event(1, eventID=ni, epcList=[item(gtin(11), "1")])
    assert post_document(staff, document(event)).status_code == 202
    assert event_ids(Client().get(f"{BASE}/events/{quote(ni, safe='')}")) == [ni]


def test_event_types_list_the_five_and_each_has_its_events(stored):
    reply = Client().get(f"{BASE}/eventTypes")
    assert reply.json() == {
        "@context": reply.json()["@context"],
        "type": "Collection",
        "member": [
            "AggregationEvent",
            "AssociationEvent",
            "ObjectEvent",
            "TransactionEvent",
            "TransformationEvent",
        ],
    }
    assert Client().get(f"{BASE}/eventTypes/ObjectEvent").json()["member"] == ["events"]
    problem(Client().get(f"{BASE}/eventTypes/NoEvent"), 404, "NoSuchResourceException")
    assert event_ids(Client().get(f"{BASE}/eventTypes/AggregationEvent/events")) == [eid(4)]
    # The resource's filter and the caller's own filters both apply.
    reply = Client().get(f"{BASE}/eventTypes/ObjectEvent/events?EQ_bizStep=packing")
    assert event_ids(reply) == [eid(2)]


def test_an_epcs_events_are_found_in_every_role_and_form(stored, staff):
    serial = item(gtin(11), "1")
    assert event_ids(Client().get(f"{BASE}/epcs/{quote(serial, safe='')}/events")) == [
        eid(1),
        eid(3),
        eid(4),
    ]
    # The same item as an EPC URN, and a batch (an EPC class) in a quantity list.
    urn = "urn:epc:id:sgtin:8930000.000011.1"
    assert len(event_ids(Client().get(f"{BASE}/epcs/{quote(urn, safe='')}/events"))) == 3
    lot = quote(batch(gtin(11), "L1"), safe="")
    assert event_ids(Client().get(f"{BASE}/epcs/{lot}/events")) == [eid(2)]
    assert Client().get(f"{BASE}/epcs/{lot}").json()["member"] == ["events"]
    pallet = quote("urn:epc:id:sscc:8930000.0000000009", safe="")
    problem(Client().get(f"{BASE}/epcs/{pallet}"), 404, "NoSuchResourceException")
    assert event_ids(staff.get(f"{BASE}/epcs/{pallet}/events")) == [eid(5)]


def test_vocabularies_list_cbv_words_and_what_readable_events_use(stored, staff):
    steps = Client().get(f"{BASE}/bizSteps?perPage=1000").json()["member"]
    assert {"commissioning", "packing", "shipping", "void_shipping"} <= set(steps)
    assert steps == sorted(steps)
    assert Client().get(f"{BASE}/bizLocations").json()["member"] == [SHIPPED_FROM]
    # The public sees read points of public events only; staff every one.
    assert Client().get(f"{BASE}/readPoints").json()["member"] == [
        "urn:epc:id:sgln:8930000.00001.0"
    ]
    assert "in_progress" in Client().get(f"{BASE}/dispositions").json()["member"]


def test_user_vocabulary_is_listed_beside_the_cbv_words_in_the_events_one_may_read(stored, staff):
    drying, sorting = (
        "https://ocop.example.vn/steps/drying",
        "https://ocop.example.vn/steps/sorting",
    )
    events = [
        object_event(6, epcList=[item(gtin(11), "2")], bizStep=drying, disposition="urn:x:dry"),
        object_event(7, epcList=["urn:epc:id:sscc:8930000.0000000007"], bizStep=sorting),
    ]
    assert post_document(staff, document(*events)).status_code == 202
    public = Client().get(f"{BASE}/bizSteps?perPage=1000").json()["member"]
    assert drying in public and sorting not in public and "packing" in public
    assert public == sorted(public)
    assert {drying, sorting} <= set(staff.get(f"{BASE}/bizSteps?perPage=1000").json()["member"])
    assert "urn:x:dry" in Client().get(f"{BASE}/dispositions?perPage=1000").json()["member"]
    # Page by page, the same members in the same order.
    paged, url = [], f"{BASE}/bizSteps?perPage=7"
    while url:
        reply = Client().get(url)
        paged += reply.json()["member"]
        url = reply["Link"][1 : reply["Link"].index(">")] if "Link" in reply else None
    assert paged == public


def test_vocabulary_values_have_their_events(stored):
    assert event_ids(Client().get(f"{BASE}/bizSteps/packing/events")) == [eid(2), eid(4)]
    # A CBV word in any spelling.
    urn = quote("urn:epcglobal:cbv:bizstep:packing", safe="")
    assert event_ids(Client().get(f"{BASE}/bizSteps/{urn}/events")) == [eid(2), eid(4)]
    location = quote(SHIPPED_FROM, safe="")
    assert event_ids(Client().get(f"{BASE}/bizLocations/{location}/events")) == [eid(3)]
    assert Client().get(f"{BASE}/bizLocations/{location}").json()["member"] == ["events"]
    assert event_ids(Client().get(f"{BASE}/dispositions/in_progress/events")) == [eid(3)]
    point = quote("urn:epc:id:sgln:8930000.00001.0", safe="")
    assert len(event_ids(Client().get(f"{BASE}/readPoints/{point}/events"))) == 3
    nowhere = quote("urn:epc:id:sgln:8930000.00077.0", safe="")
    problem(Client().get(f"{BASE}/readPoints/{nowhere}"), 404, "NoSuchResourceException")


def test_collections_page_with_next_page_token_and_link(stored):
    first = Client().get(f"{BASE}/eventTypes?perPage=2")
    assert first.json()["member"] == ["AggregationEvent", "AssociationEvent"]
    link = first["Link"]
    assert link.endswith('>; rel="next"') and "nextPageToken=" in link
    assert first["GS1-Next-Page-Token-Expires"].endswith("Z")
    url = link[1 : link.index(">")]
    second = Client().get(url)
    assert second.json()["member"] == ["ObjectEvent", "TransactionEvent"]
    third = Client().get(second["Link"][1 : second["Link"].index(">")])
    assert third.json()["member"] == ["TransformationEvent"]
    assert "Link" not in third
    forged = Client().get(f"{BASE}/eventTypes?nextPageToken=abc")
    problem(forged, 400, "QueryParameterException")


def test_events_page_through_a_resource(stored):
    first = Client().get(f"{BASE}/bizSteps/packing/events?perPage=1")
    assert event_ids(first) == [eid(2)]
    url = first["Link"][1 : first["Link"].index(">")]
    assert event_ids(Client().get(url)) == [eid(4)]


def test_top_level_lists_the_binding_resources():
    members = Client().get(f"{BASE}/").json()["member"]
    assert set(members) == {
        "events",
        "eventTypes",
        "epcs",
        "bizSteps",
        "bizLocations",
        "readPoints",
        "dispositions",
        "capture",
        "queries",
    }


def test_options_tells_versions_and_capture_limits():
    reply = Client().options(f"{BASE}/capture")
    assert reply.status_code == 204
    assert reply["Allow"] == "OPTIONS, POST, GET"
    assert reply["GS1-EPCIS-Version"] == "2.0.0" and reply["GS1-CBV-Version"] == "2.0.0"
    assert reply["GS1-EPCIS-Min"] == "2.0.0" and reply["GS1-EPCIS-Max"] == "2.0.0"
    assert reply["GS1-EPCIS-Capture-Limit"] == str(CAPTURE_LIMIT)
    assert int(reply["GS1-EPCIS-Capture-File-Size-Limit"]) > 0
    assert reply["GS1-Capture-Error-Behaviour"] == "rollback"
    events = Client().options(f"{BASE}/bizSteps/packing/events")
    assert events.status_code == 204 and events["Allow"] == "OPTIONS, GET"
    assert "GS1-EPCIS-Capture-Limit" not in events
    assert Client().options(f"{BASE}/queries/q1")["Allow"] == "OPTIONS, GET, DELETE"


def test_a_client_that_needs_another_version_is_answered_406(stored):
    for header, value in [
        ("GS1-EPCIS-Min", "2.1.0"),
        ("GS1-EPCIS-Max", "1.2"),
        ("GS1-CBV-Min", "3.0.0"),
        ("GS1-EPCIS-Version", "1.2.0"),
        ("GS1-EPCIS-Min", "two"),
    ]:
        reply = Client(headers={header: value}).get(f"{BASE}/events")
        body = problem(reply, 406, "NotAcceptableException")
        assert header in body["title"]
        assert Client(headers={header: value}).options(f"{BASE}/events").status_code == 406
    fits = Client(headers={"GS1-EPCIS-Min": "1.2.0", "GS1-EPCIS-Max": "2.0.0"})
    assert len(event_ids(fits.get(f"{BASE}/events"))) == 4


def test_gs1_extensions_are_answered(stored):
    reply = Client().get(f"{BASE}/events")
    # The namespaces the captured document declared (testing.epcis.document).
    assert reply["GS1-Extensions"] == "example=http://ns.example.com/epcis/"
    asked = "ex=http://org1.example.com/epcis/"
    reply = Client(headers={"GS1-Extensions": asked}).get(f"{BASE}/eventTypes")
    assert reply["GS1-Extensions"] == asked


def test_capture_jobs_are_listed_newest_first_for_their_capturer(
    staff, producer_account, province_officer
):
    for n in range(3):
        assert post_document(staff, document(object_event(n))).status_code == 202
    jobs = staff.get(f"{BASE}/capture?perPage=2")
    assert jobs.status_code == 200
    first = jobs.json()
    assert [j["eventCount"] for j in first] == [1, 1]
    assert all(j["success"] and not j["running"] for j in first)
    rest = staff.get(jobs["Link"][1 : jobs["Link"].index(">")]).json()
    assert len(rest) == 1
    assert len({j["captureID"] for j in first + rest}) == 3
    assert first[0]["createdAt"] >= first[1]["createdAt"] >= rest[0]["createdAt"]
    assert client_for(producer_account).get(f"{BASE}/capture").json() == []
    assert Client().get(f"{BASE}/capture").status_code == 401


def test_an_epcis_query_document_is_captured_as_its_events(staff):
    answer = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-03-01T09:00:00+07:00",
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [object_event(1), object_event(2)]},
            }
        },
    }
    reply = post_document(staff, answer)
    assert reply.status_code == 202, reply.content
    assert reply.json()["eventCount"] == 2
    assert set(Event.objects.values_list("event_id", flat=True)) == {eid(1), eid(2)}
    # A query document with a bad event is refused whole.
    answer["epcisBody"]["queryResults"]["resultsBody"]["eventList"] = [
        object_event(3),
        object_event(4, action="MAYBE"),
    ]
    problem(post_document(staff, answer), 400, "ValidationException")
    assert not Event.objects.filter(event_id=eid(3)).exists()


def test_capture_over_the_event_limit_is_refused_413(staff, monkeypatch):
    monkeypatch.setattr("ocophub.epcis.api.CAPTURE_LIMIT", 2)
    reply = post_document(staff, document(object_event(1), object_event(2), object_event(3)))
    problem(reply, 413, "CaptureLimitExceededException")
    assert not Event.objects.exists()


def test_only_rollback_capture_is_offered(staff):
    reply = staff.post(
        f"{BASE}/capture",
        data=json.dumps(document(object_event(1))),
        content_type="application/json",
        headers={"GS1-Capture-Error-Behaviour": "proceed"},
    )
    problem(reply, 406, "NotAcceptableException")


def create_query(client, name, query):
    return client.post(
        f"{BASE}/queries",
        data=json.dumps({"name": name, "query": query}),
        content_type="application/json",
    )


def test_a_named_query_is_saved_read_and_deleted(stored, staff, producer_account):
    reply = create_query(
        staff, "packing", {"eventType": ["ObjectEvent"], "EQ_bizStep": ["packing"]}
    )
    assert reply.status_code == 201, reply.content
    assert reply["Location"] == f"{BASE}/queries/packing"
    assert staff.get(f"{BASE}/queries/packing").json() == {
        "name": "packing",
        "query": {"eventType": ["ObjectEvent"], "EQ_bizStep": ["packing"]},
    }
    assert [q["name"] for q in staff.get(f"{BASE}/queries").json()] == ["packing"]
    answer = staff.get(f"{BASE}/queries/packing/events")
    assert event_ids(answer) == [eid(2)]
    assert answer.json()["epcisBody"]["queryResults"]["queryName"] == "packing"
    # The name is taken; another caller does not see the query.
    problem(create_query(staff, "packing", {}), 409, "ResourceAlreadyExistsException")
    other = client_for(producer_account)
    problem(other.get(f"{BASE}/queries/packing"), 404, "NoSuchResourceException")
    problem(other.delete(f"{BASE}/queries/packing"), 404, "NoSuchResourceException")
    assert staff.delete(f"{BASE}/queries/packing").status_code == 204
    assert not NamedQuery.objects.exists()
    problem(staff.get(f"{BASE}/queries/packing/events"), 404, "NoSuchResourceException")


def test_a_named_query_reads_with_the_readers_scope(stored, producer_account):
    producer = client_for(producer_account)
    assert create_query(producer, "all", {}).status_code == 201
    # Only the public events: the pallet event is staff's.
    assert event_ids(producer.get(f"{BASE}/queries/all/events")) == [eid(n) for n in (1, 2, 3, 4)]
    paged = producer.get(f"{BASE}/queries/all/events?perPage=3")
    assert len(event_ids(paged)) == 3 and "Link" in paged
    problem(
        producer.get(f"{BASE}/queries/all/events?EQ_bizStep=packing"),
        400,
        "QueryParameterException",
    )


def test_a_named_query_with_a_bad_filter_is_refused(staff):
    reply = create_query(staff, "bad", {"EQ_colour": ["red"]})
    body = problem(reply, 400, "QueryValidationException")
    assert body["problems"][0]["path"] == "$.query.EQ_colour"
    problem(create_query(staff, "", {}), 400, "QueryValidationException")
    problem(create_query(staff, "t", {"eventType": ["Nope"]}), 400, "QueryValidationException")
    assert (
        Client()
        .post(
            f"{BASE}/queries",
            data=json.dumps({"name": "x", "query": {}}),
            content_type="application/json",
        )
        .status_code
        == 401
    )
    assert not NamedQuery.objects.exists()


def test_next_page_tokens_cannot_be_deleted_they_expire(stored):
    problem(Client().delete(f"{BASE}/nextPageToken/abc"), 501, "ImplementationException")
