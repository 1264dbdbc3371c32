"""Time an evaluation round at a large province's scale: N dossiers (default 120; Phú Thọ's
2025 round 2 had 56) before a council of M members (default 7), every sheet submitted.

    OCOP_VAR_DIR=/tmp/x .venv/bin/python manage.py setup_platform --demo
    OCOP_VAR_DIR=/tmp/x .venv/bin/python bench/evaluation_bench.py [--dossiers 120] [--members 7]

Builds the round once (a bench round, found again by its title), then reports median and
90th percentile over N requests through Django's test client, with queries per request,
for: the council page, a dossier page (council scores with spreads), the round's results
XLSX (every criterion of every sheet), the self-assessment API, and the time to issue
the decision on the whole round (certificates included; run once, then rolled back).
"""

import argparse
import datetime
import json
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from ocophub.accounts.models import Role, User  # noqa: E402
from ocophub.evaluation import workflow  # noqa: E402
from ocophub.evaluation.loading import load_shipped  # noqa: E402
from ocophub.evaluation.models import (  # noqa: E402
    Council,
    CouncilMember,
    CriteriaSet,
    Dossier,
    Round,
    ScoreSheet,
)
from ocophub.places.models import Era, Province  # noqa: E402
from ocophub.products.models import Product, ProductGroup  # noqa: E402

TITLE = "Bench round"


def user(username, **fields):
    found = User.objects.filter(username=username).first()
    if found:
        return found
    return User.objects.create_user(username, password="bench-pw-2025", **fields)


def build(n_dossiers, n_members):
    load_shipped()
    province = Province.objects.get(era=Era.CURRENT, code=25)
    office = user("bench-office", role=Role.PROVINCE_OFFICE, province=province)
    round_ = Round.objects.filter(title=TITLE).first()
    if round_ is not None:
        return round_, office
    food = CriteriaSet.objects.get(code="148-2023-thuc-pham")
    group = ProductGroup.objects.get(classification="2023", code="1.5")
    template = Product.objects.filter(commune__isnull=False).first()
    opens = timezone.localdate() - datetime.timedelta(days=40)
    round_ = Round.objects.create(
        province=province,
        year=opens.year,
        number=90,
        title=TITLE,
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=30),
    )
    council = Council.objects.create(round=round_, level="province", name="Bench council")
    seats = [
        CouncilMember.objects.create(
            council=council,
            user=user(f"bench-member-{i}", role=Role.COUNCIL_MEMBER, province=province),
            is_chair=i == 0,
        )
        for i in range(n_members)
    ]
    criteria = list(food.criteria())
    for d in range(n_dossiers):
        product = Product.objects.create(
            name=f"Sản phẩm thử {d:03d}",
            producer=template.producer,
            commune=template.commune,
            group_2023=group,
            is_sample=True,
        )
        dossier = Dossier.objects.create(
            round=round_, product=product, criteria_set=food, council=council, status="proposed"
        )
        for s, seat in enumerate(seats):
            scores = {}
            for c, criterion in enumerate(criteria):
                levels = sorted(criterion.allowed_points)
                # Vary the sheets so totals spread over 3 and 4 stars.
                pick = levels[-1] if (c + s + d) % 3 else levels[max(0, len(levels) - 2)]
                needed = criterion.required_points
                scores[criterion.code] = float(max(pick, needed or pick))
            ScoreSheet.objects.create(
                dossier=dossier, member=seat, scores=scores, submitted_at=timezone.now()
            )
    council.scoring_closed_at = timezone.now()
    council.save()
    return round_, office


def timed(fn, renders):
    fn()
    times, queries = [], 0
    for _ in range(renders):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = fn()
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    times.sort()
    return statistics.median(times) * 1000, times[int(0.9 * (len(times) - 1))] * 1000, queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=120)
    parser.add_argument("--members", type=int, default=7)
    parser.add_argument("--renders", type=int, default=10)
    args = parser.parse_args()
    start = time.perf_counter()
    round_, office = build(args.dossiers, args.members)
    print(f"round ready in {time.perf_counter() - start:.1f}s")
    council = round_.councils.get()
    dossier = council.dossiers.first()
    client = Client()
    client.force_login(office)
    chair_client = Client()
    chair_client.force_login(council.chair)
    body = json.dumps(
        {"criteria_set": "148-2023-thuc-pham", "scores": dict(dossier.self_assessment or {})}
    )
    cases = [
        ("council page (chair)", lambda: chair_client.get(f"/evaluation/councils/{council.pk}/")),
        ("dossier page (office)", lambda: client.get(f"/evaluation/dossiers/{dossier.pk}/")),
        (
            "round results XLSX",
            lambda: client.get(f"/evaluation/rounds/{round_.pk}/results.xlsx"),
        ),
        (
            "self-assessment API",
            lambda: Client().post(
                "/api/v1/evaluation/self-assessment", body, content_type="application/json"
            ),
        ),
    ]
    n = round_.dossiers.count()
    sheets = ScoreSheet.objects.filter(dossier__round=round_).count()
    print(f"{n} dossiers, {sheets} submitted sheets")
    with plain_static_files():
        for name, fn in cases:
            median, p90, queries = timed(fn, args.renders)
            print(f"{name:28s} median {median:8.1f} ms   p90 {p90:8.1f} ms   {queries} queries")
    # Issue the whole round's decision once (with certificates), then roll it back.
    try:
        with transaction.atomic():
            start = time.perf_counter()
            decision = workflow.issue_decision(
                council,
                office,
                number="BENCH/QĐ-UBND",
                date=timezone.localdate(),
                issuing_body="UBND tỉnh Phú Thọ (bench)",
                body_level="province",
            )
            elapsed = time.perf_counter() - start
            issued = decision.items.filter(certificate__isnull=False).count()
            print(f"decision on {n} dossiers ({issued} certificates): {elapsed:.2f}s")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass


if __name__ == "__main__":
    main()
