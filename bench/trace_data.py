"""Generate national-scale traceability data: 1,000,000 batches over 20,000 products.

    OCOP_VAR_DIR=bench/out/national .venv/bin/python bench/trace_data.py
    bash scripts/with-postgres.sh .venv/bin/python bench/trace_data.py --batches 1000000

Writes into the database the settings point at (DATABASE_URL, or SQLite under
OCOP_VAR_DIR). Reuses the products of bench/national.py (names marked "[bench]") and
runs it first if they are missing; gives every one of them a GTIN (893 prefix, valid
check digit), then bulk-inserts batches (lot, production and expiry dates, quantity,
origin commune; one in ten made from an earlier batch of another product) and serial
numbers for a share of them. Seeded, so reproducible; refuses to run twice. Bulk
inserts skip the audit history and the EPCIS commissioning events that the web app and
API record (bench/epcis_capture.py measures capture). Prints rows/second.
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

from django.db import connection, transaction  # noqa: E402

from ocophub.products.gtin import check_digit  # noqa: E402
from ocophub.products.models import Product  # noqa: E402
from ocophub.trace.models import SERIAL_ALPHABET, Batch, SerialItem, Unit  # noqa: E402

MARK = "[bench]"
UNITS = [Unit.PIECE] * 6 + [Unit.KILOGRAM] * 3 + [Unit.LITRE]
CHUNK = 20_000


def bench_gtin(index):
    body = f"08939{index:08d}"
    return body + check_digit(body)


def ensure_products(count, seed):
    if not Product.objects.filter(name__startswith=MARK).exists():
        import national

        national.ensure_reference_data(open(os.devnull, "w"))
        started = time.perf_counter()
        result = national.generate(products=count, certificates=count * 3, seed=seed)
        print(f"bench/national.py: {result[1]} products in {time.perf_counter() - started:.1f}s")
    ids = list(
        Product.objects.filter(name__startswith=MARK).order_by("id").values_list("id", "gtin")
    )
    missing = [(pk, i) for i, (pk, gtin) in enumerate(ids) if not gtin]
    with transaction.atomic():
        for start in range(0, len(missing), 2000):
            part = missing[start : start + 2000]
            products = [Product(pk=pk, gtin=bench_gtin(i)) for pk, i in part]
            Product.objects.bulk_update(products, ["gtin"])
    return list(
        Product.objects.filter(name__startswith=MARK).order_by("id").values_list("id", "commune_id")
    )


def _insert(cursor, table, columns, rows):
    if rows and connection.vendor == "postgresql":
        # COPY streams rows; executemany would make a round trip per row.
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    elif rows:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


BATCH_COLUMNS = [
    "id", "product_id", "lot", "production_date", "expiry_date", "date_kind", "quantity",
    "unit", "origin_commune_id", "note", "created",
]  # fmt: skip


def generate(products, batches, serial_share, serials_each, seed):
    """Plain multi-row INSERTs with ids chosen here: the ORM's per-object work would
    take longer than the database."""
    from django.core.management.color import no_style
    from django.utils import timezone

    rng = random.Random(seed)
    first_day = datetime.date(2022, 1, 1)
    span = (datetime.date(2025, 11, 1) - first_day).days
    now = timezone.now()
    per_product = {}
    next_id = (Batch.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    first_id = next_id
    serial_id = (SerialItem.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    rows = 0
    started = time.perf_counter()
    for start in range(0, batches, CHUNK):
        batch_rows, links, serial_rows = [], [], []
        for n in range(start, min(batches, start + CHUNK)):
            product_id, commune_id = products[n % len(products)]
            made = first_day + datetime.timedelta(days=rng.randrange(span))
            k = per_product.get(product_id, 0) + 1
            per_product[product_id] = k
            batch_id = next_id
            next_id += 1
            batch_rows.append(
                (
                    batch_id,
                    product_id,
                    f"L{made:%y%m}-{k:05d}",
                    made,
                    made + datetime.timedelta(days=rng.choice([180, 365, 730])),
                    rng.choice(["15", "17"]),
                    rng.randrange(10, 5000),
                    rng.choice(UNITS),
                    commune_id,
                    "",
                    now,
                )
            )
            if batch_id > first_id and rng.random() < 0.1:
                links.append((batch_id, rng.randrange(first_id, batch_id)))
            if rng.random() < serial_share:
                for _i in range(serials_each):
                    serial = "".join(rng.choice(SERIAL_ALPHABET) for _c in range(10))
                    serial_rows.append((serial_id, batch_id, product_id, serial, now))
                    serial_id += 1
        with transaction.atomic(), connection.cursor() as cursor:
            _insert(cursor, "trace_batch", BATCH_COLUMNS, batch_rows)
            _insert(cursor, "trace_batch_inputs", ["from_batch_id", "to_batch_id"], links)
            _insert(
                cursor,
                "trace_serialitem",
                ["id", "batch_id", "product_id", "serial", "created"],
                serial_rows,
            )
        rows += len(batch_rows)
        elapsed = time.perf_counter() - started
        print(f"  {rows:>9,} batches  {rows / elapsed:,.0f}/s", end="\r", flush=True)
    print()
    # Explicit ids: move PostgreSQL's sequences past them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Batch, SerialItem]):
            cursor.execute(sql)
    return rows, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--batches", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=20_000, help="if national.py must run")
    parser.add_argument(
        "--serial-share", type=float, default=0.02, help="share of batches with serials"
    )
    parser.add_argument("--serials-each", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if Batch.objects.filter(product__name__startswith=MARK).exists():
        print("Benchmark batches are already in this database; nothing added.")
        return
    products = ensure_products(args.products, args.seed)
    print(f"{len(products)} products with GTINs; database {connection.vendor}")
    rows, seconds = generate(
        products, args.batches, args.serial_share, args.serials_each, args.seed
    )
    # As after national.py: the planner's statistics still say the products have no GTIN,
    # and SQLite would scan every product on each scan page rather than use the index.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    serials = SerialItem.objects.filter(product__name__startswith=MARK).count()
    print(
        f"{rows:,} batches ({rows / seconds:,.0f}/s), {serials:,} serials in {seconds:.1f}s "
        f"on {connection.vendor}"
    )


if __name__ == "__main__":
    main()
