"""Time EPCIS 2.0 capture: events per second into the database, whole documents at a time.

    bash scripts/with-postgres.sh .venv/bin/python bench/epcis_capture.py
    OCOP_VAR_DIR=$(mktemp -d) .venv/bin/python bench/epcis_capture.py --documents 5

Migrates the database the settings point at (DATABASE_URL, or SQLite under
OCOP_VAR_DIR), then captures N documents of E events each (default 10 x 1,000) through
two paths and reports events/second for each:

- store: ocophub.epcis.store.capture() (schema validation, checks, one transaction with
  bulk inserts of the events and their EPC index rows);
- http: POST /api/v1/epcis/capture through Django's test client with a bearer token
  (JSON parsing, authentication, the GTIN scope check, then the same capture).

Also times schema validation alone (the compiled validator, and jsonschema's Draft 7
validator for comparison). The events look like a province's real traffic: commissioning
of batches with serialised items, packing into cases (AggregationEvent), shipping and
receiving with read points and business locations, and honey bottled from bulk honey
(TransformationEvent).
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocophub.settings")

import django  # noqa: E402

django.setup()

import json  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from stdnum import ean  # noqa: E402

from ocophub.epcis.models import Event  # noqa: E402
from ocophub.epcis.schema import STANDARD_CONTEXT, fast_validator, reference_validator  # noqa: E402
from ocophub.epcis.store import capture  # noqa: E402

HOST = "https://ocop.example.vn"


def gtin(n):
    body = f"0893{n:09d}"
    return body + ean.calc_check_digit(body)


def sgln(n):
    return f"urn:epc:id:sgln:8930000.{n:05d}.0"


def journey(rng, g, lot, base, event_id):
    """The events of one batch, from the farm to a shop: commissioning of its items, one
    batch in five made from bulk input, packing into a case, shipping, receiving.
    `base` is the hour ("2025-03-01T09"), `event_id()` gives each event its ID."""
    batch = f"{HOST}/01/{g}/10/{lot}"
    items = [f"{HOST}/01/{g}/21/{lot}-{i}" for i in range(rng.randint(2, 6))]
    case = f"urn:epc:id:sscc:8930000.{rng.randrange(10**9):010d}"
    farm, shop = sgln(rng.randrange(1, 5000)), sgln(rng.randrange(5000, 9000))

    def ev(kind, minute, **fields):
        return {
            "type": kind,
            "eventID": event_id(),
            "eventTime": f"{base}:{minute:02d}:00+07:00",
            "eventTimeZoneOffset": "+07:00",
            **fields,
        }

    events = [
        ev(
            "ObjectEvent",
            0,
            action="ADD",
            bizStep="commissioning",
            disposition="active",
            epcList=items,
            quantityList=[{"epcClass": batch, "quantity": 100.0, "uom": "KGM"}],
            readPoint={"id": farm},
            bizLocation={"id": farm},
        )
    ]
    if rng.random() < 0.2:
        bulk = f"{HOST}/01/{gtin(rng.randrange(1, 20001))}/10/B{rng.randrange(10**6)}"
        events.append(
            ev(
                "TransformationEvent",
                5,
                inputQuantityList=[{"epcClass": bulk, "quantity": 20.0, "uom": "KGM"}],
                outputQuantityList=[{"epcClass": batch, "quantity": 40.0}],
                bizStep="creating_class_instance",
                readPoint={"id": farm},
            )
        )
    events += [
        ev(
            "AggregationEvent",
            10,
            action="ADD",
            bizStep="packing",
            disposition="in_progress",
            parentID=case,
            childEPCs=items,
            readPoint={"id": farm},
        ),
        ev(
            "ObjectEvent",
            30,
            action="OBSERVE",
            bizStep="shipping",
            disposition="in_transit",
            epcList=[case],
            readPoint={"id": farm},
            bizTransactionList=[{"type": "desadv", "bizTransaction": event_id()}],
            destinationList=[{"type": "location", "destination": shop}],
        ),
        ev(
            "ObjectEvent",
            59,
            action="OBSERVE",
            bizStep="receiving",
            disposition="in_progress",
            epcList=[case],
            readPoint={"id": shop},
            bizLocation={"id": shop},
        ),
    ]
    return events, batch, items


def events_for(rng, count, day=0):
    """`count` events of batches moving from producers to shops."""

    def event_id():
        return f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"

    out = []
    while len(out) < count:
        g = gtin(rng.randrange(1, 20001))
        lot = f"L{rng.randrange(10**6):06d}"
        base = f"2025-{1 + day % 12:02d}-{1 + rng.randrange(28):02d}T{rng.randrange(6, 18):02d}"
        out.extend(journey(rng, g, lot, base, event_id)[0])
    return out[:count]


def document(events):
    return {
        "@context": [STANDARD_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-03-01T09:00:00+07:00",
        "epcisBody": {"eventList": events},
    }


def bench_user():
    from ocophub.accounts.models import ApiToken, Role, User
    from ocophub.places.models import Era, Province

    province = Province.objects.filter(era=Era.CURRENT).first()
    user, _ = User.objects.get_or_create(
        username="bench-epcis", defaults={"role": Role.PROVINCE_OFFICE, "province": province}
    )
    return ApiToken.issue(user, name="bench")


def report(label, seconds, events):
    rates = [events / s for s in seconds]
    print(
        f"{label:<34} {statistics.median(rates):>9,.0f} events/s median, "
        f"{min(rates):,.0f} slowest, {max(rates):,.0f} fastest  ({len(seconds)} documents)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--events", type=int, default=1000, help="events per document")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"database: {vendor} {connection.settings_dict['NAME']}")
    print(f"{args.documents} documents x {args.events} events per path\n")

    sample = document(events_for(rng, args.events))
    fast_validator()  # compile once, as a running server has
    reference_validator()
    started = time.perf_counter()
    fast_validator()(sample)
    fast = time.perf_counter() - started
    started = time.perf_counter()
    assert not list(reference_validator().iter_errors(sample))
    slow = time.perf_counter() - started
    print(f"{'validation, compiled (fastjsonschema)':<34} {args.events / fast:>9,.0f} events/s")
    print(f"{'validation, jsonschema Draft 7':<34} {args.events / slow:>9,.0f} events/s\n")

    before = Event.objects.count()
    seconds = []
    for day in range(args.documents):
        doc = document(events_for(rng, args.events, day))
        started = time.perf_counter()
        capture(doc, trusted=True)
        seconds.append(time.perf_counter() - started)
    report("store.capture()", seconds, args.events)

    client = Client(headers={"Authorization": f"Bearer {bench_user()}"})
    seconds = []
    for day in range(args.documents):
        body = json.dumps(document(events_for(rng, args.events, day)))
        started = time.perf_counter()
        reply = client.post("/api/v1/epcis/capture", data=body, content_type="application/json")
        seconds.append(time.perf_counter() - started)
        assert reply.status_code == 202, reply.content[:500]
    report("POST /api/v1/epcis/capture", seconds, args.events)
    stored = Event.objects.count() - before
    print(f"\n{stored:,} events stored; {Event.objects.count():,} in the database")


if __name__ == "__main__":
    main()
