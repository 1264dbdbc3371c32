"""EPCIS 2.0 documents, events and API clients for tests (epcis, trace and the apps above)."""

import copy
import json
from pathlib import Path

from django.test import Client

from ocophub.accounts.models import ApiToken
from ocophub.products.gtin import check_digit

# GS1's published example documents, kept beside the epcis tests.
EXAMPLES = Path(__file__).resolve().parent.parent / "epcis" / "tests" / "gs1_examples"
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
HOST = "https://ocop.example.vn"


def gtin(n):
    """A valid GTIN-14 (Vietnamese prefix 893) numbered n."""
    body = f"0893{n:09d}"
    return body + check_digit(body)


def item(g, serial):
    return f"{HOST}/01/{g}/21/{serial}"


def batch(g, lot):
    return f"{HOST}/01/{g}/10/{lot}"


def object_event(n=0, **fields):
    event = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
        "eventTime": f"2025-03-01T08:{n % 60:02d}:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": [item(gtin(1), f"S{n}")],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": "urn:epc:id:sgln:8930000.00001.0"},
    }
    event.update(fields)
    return {k: v for k, v in event.items() if v is not None}


def document(*events, context=None):
    return {
        "@context": context or [CONTEXT, {"example": "http://ns.example.com/epcis/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-03-01T09:00:00+07:00",
        "epcisBody": {"eventList": [copy.deepcopy(e) for e in events]},
    }


def example_paths():
    return sorted(EXAMPLES.rglob("*.jsonld"))


def load_example(path):
    return json.loads(Path(path).read_text())


def client_for(user):
    if user is None:
        return Client()
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def post_document(client, doc, content_type="application/json"):
    return client.post(
        "/api/v1/epcis/capture",
        data=json.dumps(doc, ensure_ascii=False),
        content_type=content_type,
    )
