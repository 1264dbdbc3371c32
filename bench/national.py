"""Generate a national-scale OCOP dataset for benchmarks.

    OCOP_VAR_DIR=$(mktemp -d) .venv/bin/python bench/national.py
    bash scripts/with-postgres.sh .venv/bin/python bench/national.py

Writes into the database the settings point at (DATABASE_URL, or SQLite under
OCOP_VAR_DIR): migrates, loads the units of both eras (34 provinces, ~3,300 current
communes, the ~10,000 legacy ones) and the product groups, then adds about 9,000
producers, 20,000 products and 60,000 certificates issued over seven years
(2019-2025), with renewals, upgrades that supersede the certificate before, lapses and a
few revocations. Products made before July 2025 sit in legacy communes, later ones in
current communes, as the registry records them. Bulk inserts; seeded, so reproducible.
Refuses to run twice on the same database (the products are marked by name).
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocophub.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from ocophub.certificates.models import Certificate  # noqa: E402
from ocophub.certificates.validity import valid_until  # noqa: E402
from ocophub.core.text import fold  # noqa: E402
from ocophub.places.models import REFORM_DATE, Commune, Era  # noqa: E402
from ocophub.producers.models import Producer, ProducerKind  # noqa: E402
from ocophub.products.models import Lifecycle, Product, ProductGroup  # noqa: E402

MARK = "[bench]"
START, END = datetime.date(2019, 1, 1), datetime.date(2025, 12, 31)
# National producer mix in 2025 (domain facts): cooperatives, small enterprises,
# household businesses, cooperative groups.
KINDS = [
    (ProducerKind.COOPERATIVE, 33),
    (ProducerKind.ENTERPRISE, 25),
    (ProducerKind.HOUSEHOLD, 34),
    (ProducerKind.COOP_GROUP, 8),
]
STARS = [3] * 70 + [4] * 28 + [5] * 2
WORDS = ["Mật ong", "Chè", "Gạo", "Miến", "Nước mắm", "Cam", "Bưởi", "Măng", "Rượu", "Gà"]


def day_between(rng, start, end):
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def ensure_reference_data(out):
    call_command("migrate", verbosity=0)
    if not Commune.objects.exists():
        call_command("load_places", verbosity=0, stdout=out)
    if not ProductGroup.objects.exists():
        call_command("load_product_groups", verbosity=0, stdout=out)


def generate(products=20_000, certificates=60_000, producers=9_000, seed=2025):
    rng = random.Random(seed)
    legacy = list(Commune.objects.filter(era=Era.LEGACY).values_list("id", "name"))
    current = list(Commune.objects.filter(era=Era.CURRENT).values_list("id", "name"))
    groups = list(ProductGroup.objects.filter(classification="2023", parent__isnull=False))
    kinds = [k for k, w in KINDS for _ in range(w)]

    # Each product's certificate history first, to know where it is recorded: a product
    # first certified after the reform was registered under a current commune.
    per_product = certificates / products
    histories = []
    span = (datetime.date(2025, 9, 30) - START).days
    for _ in range(products):
        # Most products entered the programme early: three certificates in seven years
        # need a start in the first years.
        first = START + datetime.timedelta(days=int(span * rng.random() ** 2.2))
        histories.append((first, []))
    remaining = certificates
    for i, (first, certs) in enumerate(histories):
        left = products - i
        want = max(1, min(4, round(rng.gauss(per_product, 0.8))))
        want = min(want, remaining - (left - 1))  # leave one for each product after this
        stars = rng.choice(STARS)
        day = first
        for n in range(max(1, want)):
            until = valid_until(day)
            revoked = day_between(rng, day, until) if rng.random() < 0.02 else None
            certs.append([day, until, stars, revoked, None])
            if n + 1 == want:
                break
            roll = rng.random()
            if roll < 0.25 and stars < 5:  # upgrade during validity: supersedes
                nxt = day_between(rng, day + datetime.timedelta(days=180), until)
                stars += 1
            elif roll < 0.85:  # renewal close to expiry: supersedes from the new date
                nxt = until - datetime.timedelta(days=rng.randrange(0, 60))
            else:  # lapse, then re-certified
                nxt = until + datetime.timedelta(days=rng.randrange(30, 400))
            if nxt > END:
                break
            if nxt <= until:
                certs[-1][4] = nxt
            day = nxt
        remaining -= len(certs)
    # Spread any certificates still owed over the products with room for one more.
    # An upgrade 90-360 days into the last certificate supersedes it.
    added = True
    while remaining > 0 and added:
        added = False
        for _first, certs in histories:
            if remaining == 0:
                break
            last = certs[-1]
            day = last[0] + datetime.timedelta(days=rng.randrange(90, 360))
            if day <= END and last[3] is None and day < last[1]:
                last[4] = day
                certs.append([day, valid_until(day), min(5, last[2] + 1), None, None])
                remaining -= 1
                added = True

    producer_rows = []
    for i in range(producers):
        commune_id, commune_name = rng.choice(legacy if rng.random() < 0.9 else current)
        kind = rng.choice(kinds)
        members = (
            rng.randrange(7, 120)
            if kind == ProducerKind.COOPERATIVE
            else rng.randrange(3, 30)
            if kind == ProducerKind.COOP_GROUP
            else None
        )
        name = f"{MARK} Chủ thể {i + 1} {commune_name}"
        producer_rows.append(
            Producer(
                kind=kind,
                name=name,
                registration_number=f"B{i + 1:09d}",
                representative="Nguyễn Văn A",
                commune_id=commune_id,
                member_count=members,
                is_sample=True,
                search_text=fold(name),
            )
        )
    with transaction.atomic():
        Producer.objects.bulk_create(producer_rows, batch_size=2000)
        producer_rows = list(
            Producer.objects.filter(name__startswith=MARK).values_list("id", "commune_id")
        )
        by_commune = {}
        for pid, cid in producer_rows:
            by_commune.setdefault(cid, []).append(pid)
        current_of = dict(
            Commune.objects.filter(era=Era.LEGACY, successor__isnull=False).values_list(
                "id", "successor_id"
            )
        )

        product_rows = []
        for i, (first, certs) in enumerate(histories):
            producer_id, commune_id = rng.choice(producer_rows)
            if first >= REFORM_DATE and commune_id in current_of:
                commune_id = current_of[commune_id]  # registered after the reform
            last = certs[-1]
            in_force = last[3] is None and last[1] >= datetime.date(2026, 1, 1)
            name = f"{MARK} {rng.choice(WORDS)} {i + 1}"
            product_rows.append(
                Product(
                    name=name,
                    producer_id=producer_id,
                    commune_id=commune_id,
                    group_2023=rng.choice(groups),
                    status=Lifecycle.CERTIFIED if in_force else Lifecycle.EXPIRED,
                    stars=last[2] if in_force else None,
                    is_sample=True,
                    search_text=fold(name),
                )
            )
        Product.objects.bulk_create(product_rows, batch_size=2000)
        ids = list(
            Product.objects.filter(name__startswith=MARK)
            .order_by("id")
            .values_list("id", flat=True)
        )
        cert_rows = []
        for product_id, (_first, certs) in zip(ids, histories, strict=True):
            for day, until, stars, revoked, superseded in certs:
                cert_rows.append(
                    Certificate(
                        number=f"BENCH-{len(cert_rows) + 1:06d}",
                        product_id=product_id,
                        stars=stars,
                        issued_by="UBND tỉnh",
                        valid_from=day,
                        valid_until=until,
                        revoked_on=revoked,
                        superseded_on=superseded,
                        is_sample=True,
                    )
                )
        Certificate.objects.bulk_create(cert_rows, batch_size=2000)
    return len(producer_rows), len(ids), len(cert_rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--certificates", type=int, default=60_000)
    parser.add_argument("--producers", type=int, default=9_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    started = time.perf_counter()
    ensure_reference_data(open(os.devnull, "w"))
    if Product.objects.filter(name__startswith=MARK).exists():
        print("The benchmark dataset is already in this database; nothing added.")
        return
    loaded = time.perf_counter()
    producers, products, certificates = generate(
        args.products, args.certificates, args.producers, args.seed
    )
    # What a DBA does after a bulk load: refresh the planner's statistics.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    done = time.perf_counter()
    print(
        f"{producers} producers, {products} products, {certificates} certificates "
        f"in {done - loaded:.1f}s (migrate and units {loaded - started:.1f}s)"
    )


if __name__ == "__main__":
    main()
