"""Generate EPCIS events at national scale (5,000,000 by default) and time the reads.

    bash scripts/with-postgres.sh .venv/bin/python bench/epcis_data.py --events 1000000
    OCOP_VAR_DIR=/tmp/x .venv/bin/python bench/epcis_data.py --events 200000

Captures the events through ocophub.epcis.store.capture (validation included, documents
of --per-document events), so the data is what the API would have stored. The events
follow batches through the supply chain: commissioning of serialised items, packing into
cases, shipping, receiving and, for one batch in five, a transformation from a bulk
input batch. Batches come from the trace app's table when it has some (bench data or
demo), otherwise from synthetic GTINs (20,000 products) and lot numbers. Seeded, so
reproducible; run it on an empty event table or with a new --seed.

Afterwards it times the reads the platform makes at that scale: the scan page's
timeline (events_for_epcs for a batch and one of its items), inputs_of, GET
/api/v1/epcis/events pages with filters, and the REST binding's resources as the public
(no account) reads them, as median and 99th percentile. --reads-only times them on the
events already stored (batches and items picked from the stored identifiers).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocophub.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from epcis_capture import HOST, bench_user, document, gtin, journey  # noqa: E402

from ocophub.epcis.models import Event, EventEpc  # noqa: E402
from ocophub.epcis.store import capture, events_for_epcs, inputs_of  # noqa: E402


def batches(rng, limit):
    """(gtin14, lot) pairs: the trace app's batches if any, else synthetic ones."""
    try:
        from ocophub.trace.models import Batch

        rows = list(
            Batch.objects.exclude(product__gtin=None).values_list("product__gtin", "lot")[:limit]
        )
    except Exception:  # the trace app is optional for this benchmark
        rows = []
    if rows:
        return rows
    return [(gtin(rng.randrange(1, 20001)), f"L{n:07d}") for n in range(limit)]


def batch_journey(rng, g, lot, counter):
    """The events of one batch (epcis_capture.journey) on a day of 2019-2025, with
    counted event IDs so that a run with another --seed adds to the table."""
    day = rng.randrange(2019 * 365, 2026 * 365)
    year, rest = divmod(day, 365)
    month, dom = 1 + rest // 31 % 12, 1 + rest % 28
    base = f"{year}-{month:02d}-{dom:02d}T{rng.randrange(6, 17):02d}"

    def event_id():
        counter[0] += 1
        return f"urn:uuid:00000000-0000-4000-8000-{counter[0]:012d}"

    return journey(rng, g, lot, base, event_id)


def timed(label, runs, fn, limit=None):
    fn(*runs[0])  # warm caches (URL resolver, prepared plans) as a running server has
    seconds = []
    for args in runs:
        started = time.perf_counter()
        fn(*args)
        seconds.append((time.perf_counter() - started) * 1000)
    seconds.sort()
    p99 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))]
    median = statistics.median(seconds)
    target = (
        ""
        if limit is None
        else f"   (target < {limit} ms: {'met' if median < limit else 'NOT met'})"
    )
    print(f"{label:<46} median {median:7.2f} ms   p99 {p99:7.2f} ms{target}")


def stored_samples(rng, count):
    """(batch, item) Digital Links named by stored events, for --reads-only."""

    def keys(role):
        top = EventEpc.objects.filter(role=role).order_by("-id").values_list("id", flat=True)[:1]
        if not top:
            sys.exit("No stored events: run without --reads-only first.")
        ids = [rng.randrange(1, top[0] + 1) for _ in range(count * 3)]
        found = EventEpc.objects.filter(id__in=ids, role=role).values_list("key", flat=True)
        return [f"{HOST}/{key}" for key in found if key.startswith("01/")]

    batches, items = keys("quantity"), keys("epc")
    return [(batches[n % len(batches)], items[n % len(items)]) for n in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--per-document", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--reads", type=int, default=200, help="timed reads of each kind")
    parser.add_argument("--reads-only", action="store_true", help="time the stored events")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if args.reads_only:
        print(f"{Event.objects.count():,} events, {EventEpc.objects.count():,} identifier rows")
        reads(rng, stored_samples(rng, args.reads), args.reads)
        return
    pool = batches(rng, max(1, args.events // 4))
    print(f"{len(pool):,} batches to follow; target {args.events:,} events")

    counter, written, pending, samples = [args.seed * 10**10], 0, [], []
    started = time.perf_counter()
    last_report = started
    while written < args.events:
        g, lot = pool[rng.randrange(len(pool))]
        events, batch, items = batch_journey(rng, g, lot, counter)
        pending += events
        if len(samples) < 5000 and rng.random() < 0.05:
            samples.append((batch, items[0]))
        if len(pending) >= args.per_document or written + len(pending) >= args.events:
            pending = pending[: args.events - written]
            capture(document(pending), trusted=True)
            written += len(pending)
            pending = []
            now = time.perf_counter()
            if now - last_report > 30:
                print(f"  {written:,} events, {written / (now - started):,.0f}/s")
                last_report = now
    elapsed = time.perf_counter() - started
    print(f"captured {written:,} events in {elapsed:,.0f} s: {written / elapsed:,.0f} events/s")
    print(f"{Event.objects.count():,} events, {EventEpc.objects.count():,} identifier rows")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            print(f"database size {cursor.fetchone()[0]}")

    reads(rng, [samples[rng.randrange(len(samples))] for _ in range(args.reads)], args.reads)


def reads(rng, picks, count):
    timed("events_for_epcs([batch, item]) (scan page)", picks, lambda b, i: events_for_epcs([b, i]))
    timed("inputs_of(batch)", [(b,) for b, _ in picks], inputs_of)
    staff = Client(headers={"Authorization": f"Bearer {bench_user()}"})
    public = Client()
    timed(
        "GET /events?MATCH_anyEPC=item (staff)",
        [(i,) for _, i in picks],
        lambda i: staff.get("/api/v1/epcis/events", {"MATCH_anyEPC": i}),
    )
    timed(
        "GET /events?MATCH_epcClass=batch (staff)",
        [(b,) for b, _ in picks],
        lambda b: staff.get("/api/v1/epcis/events", {"MATCH_epcClass": b}),
    )
    timed(
        "GET /events?EQ_bizStep=shipping&perPage=100",
        [()] * min(count, 50),
        lambda: staff.get("/api/v1/epcis/events", {"EQ_bizStep": "shipping", "perPage": 100}),
    )
    print("public (no account), the issue's target: median < 10 ms")
    api = "/api/v1/epcis"
    rest = [
        ("GET /events?MATCH_epcClass=batch", lambda b, i: (f"{api}/events", {"MATCH_epcClass": b})),
        ("GET /events?MATCH_anyEPC=item", lambda b, i: (f"{api}/events", {"MATCH_anyEPC": i})),
        ("GET /events (first page)", lambda b, i: (f"{api}/events", {})),
        ("GET /epcs/{batch}/events", lambda b, i: (f"{api}/epcs/{quote(b, safe='')}/events", {})),
        ("GET /epcs/{item}/events", lambda b, i: (f"{api}/epcs/{quote(i, safe='')}/events", {})),
        ("GET /epcs/{item}", lambda b, i: (f"{api}/epcs/{quote(i, safe='')}", {})),
        (
            "GET /eventTypes/ObjectEvent/events",
            lambda b, i: (f"{api}/eventTypes/ObjectEvent/events", {}),
        ),
        ("GET /bizSteps/shipping/events", lambda b, i: (f"{api}/bizSteps/shipping/events", {})),
        (
            "GET /dispositions/in_transit/events",
            lambda b, i: (f"{api}/dispositions/in_transit/events", {}),
        ),
        ("GET /bizSteps", lambda b, i: (f"{api}/bizSteps", {})),
        ("GET /bizLocations", lambda b, i: (f"{api}/bizLocations", {})),
        ("GET /readPoints", lambda b, i: (f"{api}/readPoints", {})),
        ("GET /dispositions", lambda b, i: (f"{api}/dispositions", {})),
        ("GET /eventTypes", lambda b, i: (f"{api}/eventTypes", {})),
    ]
    ids = list(
        Event.objects.filter(is_declaration=False).values_list("event_id", flat=True)[:count]
    )
    timed(
        "GET /events/{eventID}",
        [(e,) for e in ids],
        lambda e: public.get(f"{api}/events/{quote(e, safe='')}"),
        limit=10,
    )
    for label, make in rest:
        timed(
            label,
            picks,
            lambda b, i, make=make: _get(public, *make(b, i)),
            10,
        )


def _get(client, path, params):
    response = client.get(path, params)
    if response.status_code >= 500:
        sys.exit(f"{path}: HTTP {response.status_code}")
    return response


if __name__ == "__main__":
    main()
