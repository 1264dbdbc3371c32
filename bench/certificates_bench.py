"""Time the certificate pages, API and jobs on the national dataset (bench/national.py
first: 60,000 certificates).

    OCOP_VAR_DIR=/tmp/x .venv/bin/python bench/national.py
    OCOP_VAR_DIR=/tmp/x .venv/bin/python bench/certificates_bench.py [--renders 20]

Reports median and 90th percentile over N requests through Django's test client (routing,
middleware, session, queries, templates), with queries per request, for: the staff
certificate list (a province office and the whole country), the list filtered to
"expiring", the public verification page, the public certificate API, a page of
/api/v1/products (whose items carry their certificate: the query count must not grow
with the page), the PDF, and one daily reminder sweep (dry run: nothing is sent).
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ocophub.accounts.models import Role, User  # noqa: E402
from ocophub.certificates.models import Certificate  # noqa: E402
from ocophub.certificates.pdf import certificate_pdf  # noqa: E402
from ocophub.certificates.reminders import send_reminders, sync_products  # noqa: E402
from ocophub.places.models import Era, Province  # noqa: E402


def user(username, **fields):
    found = User.objects.filter(username=username).first()
    return found or User.objects.create_user(username, password="bench-pw-2025", **fields)


def timed(fn, renders):
    fn()  # warm caches
    times, queries = [], 0
    for _ in range(renders):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    times.sort()
    p90 = times[min(len(times) - 1, int(round(0.9 * len(times))) - 1)]
    return statistics.median(times), p90, queries


def get(client, url):
    def fn():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return fn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()
    total = Certificate.objects.count()
    if total < 1000:
        sys.exit("Run bench/national.py on this database first.")
    province = Province.objects.get(era=Era.CURRENT, code=25)
    office = user("bench-province", role=Role.PROVINCE_OFFICE, province=province)
    admin = user("bench-admin", is_superuser=True, is_staff=True)
    staff, country, public = Client(), Client(), Client()
    staff.force_login(office)
    country.force_login(admin)
    sample = Certificate.objects.order_by("-valid_from").first()
    rows = [
        ("list, province office", get(staff, "/certificates/")),
        ("list, whole country", get(country, "/certificates/")),
        ("list, expiring (country)", get(country, "/certificates/?expiring=1")),
        ("list, status=expired (country)", get(country, "/certificates/?status=expired")),
        ("expiring page, province", get(staff, "/certificates/expiring/")),
        ("verify page (public)", get(public, f"/verify/{sample.number}")),
        ("API certificate (public)", get(public, f"/api/v1/certificates/{sample.number}")),
        ("API products, 20 items", get(public, "/api/v1/products")),
        ("API products, 100 items", get(public, "/api/v1/products?page_size=100")),
        ("PDF render", lambda: certificate_pdf(sample)),
    ]
    print(f"{total} certificates; {args.renders} runs each")
    print(f"{'':34} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    with plain_static_files(DEBUG=False):
        for label, fn in rows:
            median, p90, queries = timed(fn, args.renders)
            print(f"{label:34} {median:10.1f} {p90:8.1f} {queries:8d}")
        started = time.perf_counter()
        result = send_reminders(dry_run=True)
        changed = sync_products(dry_run=True)
        elapsed = time.perf_counter() - started
    print(
        f"daily sweep (dry run): {len(result.sent)} reminders due, "
        f"{len(result.skipped_no_recipient)} without recipient, {len(changed)} products "
        f"to sync, {elapsed:.2f} s"
    )


if __name__ == "__main__":
    main()
