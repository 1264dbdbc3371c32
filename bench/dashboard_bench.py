"""Time the programme dashboard on the national dataset (bench/national.py first).

    OCOP_VAR_DIR=/tmp/x .venv/bin/python bench/dashboard_bench.py [--renders 20]
    bash scripts/with-postgres.sh sh -c \
        '.venv/bin/python bench/national.py && .venv/bin/python bench/dashboard_bench.py'

Renders the whole page through Django's test client (URL routing, middleware, session,
every query and the template), for the whole country (a superuser) and for one province
(its OCOP office), and reports median and 90th percentile over N renders, with the
number of queries per render. The API summary is timed the same way. "cpu" is this
process's CPU time per render (Django and, on SQLite, the database engine): on a busy
machine wall time also counts waiting for a CPU.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocophub.settings")

import django  # noqa: E402

django.setup()

from common import plain_static_files  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ocophub.accounts.models import Role, User  # noqa: E402
from ocophub.places.models import Era, Province  # noqa: E402
from ocophub.products.models import Product  # noqa: E402

TARGET_MS = 300


def user(username, **fields):
    found = User.objects.filter(username=username).first()
    return found or User.objects.create_user(username, password="bench-pw-2025", **fields)


def measure(client, url, params, renders):
    client.get(url, params)  # warm caches (templates, translations, database pages)
    times, cpu, queries = [], [], 0
    for _ in range(renders):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - started) * 1000
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        times.append(elapsed)
        queries = len(captured)
    times.sort()
    p90 = times[min(len(times) - 1, int(round(0.9 * len(times))) - 1)]
    return statistics.median(times), p90, statistics.median(cpu), queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--province", type=int, default=25, help="current province code")
    parser.add_argument("--as-of", default="2025-06-30")
    args = parser.parse_args()

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    products = Product.objects.count()
    if products < 1000:
        sys.exit("Load the national dataset first: bench/national.py")
    province = Province.objects.get(era=Era.CURRENT, code=args.province)
    admin = user("bench-admin", is_superuser=True, is_staff=True)
    office = user("bench-province", role=Role.PROVINCE_OFFICE, province=province)

    cases = [
        ("dashboard, whole country", admin, "/programme/", {"as_of": args.as_of}),
        (
            "dashboard, whole country by pre-2025 provinces",
            admin,
            "/programme/",
            {"as_of": args.as_of, "era": "legacy"},
        ),
        (f"dashboard, {province.name}", office, "/programme/", {"as_of": args.as_of}),
        (
            f"dashboard, {province.name} by pre-2025 districts",
            office,
            "/programme/",
            {"as_of": args.as_of, "era": "legacy"},
        ),
        ("API summary, whole country", None, "/api/v1/programme/summary", {"as_of": args.as_of}),
        (
            f"API summary, {province.name}",
            None,
            "/api/v1/programme/summary",
            {"unit": str(province.code), "as_of": args.as_of},
        ),
    ]
    print(
        f"{engine}: {products} products, as of {args.as_of}, {args.renders} renders each "
        f"(target: median < {TARGET_MS} ms)"
    )
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs: wall times include waiting for a CPU")
    print(f"{'case':52} {'median':>8} {'p90':>8} {'cpu':>8} {'queries':>8}")
    failed = False
    with plain_static_files():
        for label, who, url, params in cases:
            client = Client()
            if who is not None:
                client.force_login(who)
            median, p90, cpu, queries = measure(client, url, params, args.renders)
            flag = "" if median < TARGET_MS else "  OVER TARGET"
            failed |= bool(flag)
            print(f"{label:52} {median:6.0f}ms {p90:6.0f}ms {cpu:6.0f}ms {queries:8d}{flag}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
