"""Every EPCIS 2.0 example document GS1 publishes is captured and queried back intact."""

import json

import pytest

from ocophub.epcis.models import Event
from ocophub.epcis.schema import schema_problems
from ocophub.testing.epcis import client_for, example_paths, load_example, post_document

pytestmark = pytest.mark.django_db

CAPTURE_EXAMPLES = [p for p in example_paths() if load_example(p)["type"] == "EPCISDocument"]
QUERY_EXAMPLES = [p for p in example_paths() if load_example(p)["type"] == "EPCISQueryDocument"]


def canonical(events):
    """Events without the repository-assigned recordTime, in a stable order."""
    out = []
    for event in events:
        event = dict(event)
        event.pop("recordTime", None)
        out.append(json.dumps(event, sort_keys=True))
    return sorted(out)


def test_the_examples_are_there():
    # Every sub-folder GS1 publishes EPCIS 2.0 documents in, and the query example.
    assert len(CAPTURE_EXAMPLES) == 44
    assert len(QUERY_EXAMPLES) == 1


@pytest.mark.parametrize("path", CAPTURE_EXAMPLES, ids=lambda p: p.name)
def test_gs1_example_is_captured_and_queried_back_intact(path, admin_user):
    document = load_example(path)
    client = client_for(admin_user)
    answer = post_document(client, document, content_type="application/ld+json")
    assert answer.status_code == 202, answer.content
    sent = document["epcisBody"]["eventList"]
    assert Event.objects.count() == len(sent)

    reply = client.get("/api/v1/epcis/events", {"perPage": 1000})
    assert reply.status_code == 200
    body = reply.json()
    assert schema_problems(body) == []
    returned = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert canonical(returned) == canonical(sent)
    # The repository sets recordTime (EPCIS 2.0, 7.4.1), whatever the document said.
    assert all(e["recordTime"].endswith("Z") for e in returned)
    # Extension prefixes the document declared come back with its events.
    extra = [c for c in document.get("@context", []) if isinstance(c, dict)]
    for entry in extra:
        assert entry in body["@context"]


@pytest.mark.parametrize("path", QUERY_EXAMPLES, ids=lambda p: p.name)
def test_gs1_query_document_example_events_are_captured(path, admin_user):
    query_doc = load_example(path)
    events = query_doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    as_capture = {
        "@context": query_doc["@context"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": query_doc["creationDate"],
        "epcisBody": {"eventList": events},
    }
    client = client_for(admin_user)
    assert post_document(client, as_capture).status_code == 202
    body = client.get("/api/v1/epcis/events").json()
    returned = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert canonical(returned) == canonical(events)
