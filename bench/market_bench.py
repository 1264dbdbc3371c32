"""Time the public catalogue on the national dataset (bench/national.py first: 20,000
products).

    OCOP_VAR_DIR=/tmp/x .venv/bin/python bench/national.py
    OCOP_VAR_DIR=/tmp/x .venv/bin/python bench/market_bench.py [--runs 30]
    bash scripts/with-postgres.sh sh -c '.venv/bin/python bench/national.py &&
        .venv/bin/python bench/market_bench.py'

The national dataset is loaded in bulk, which sends no signals: the first run gives each
benchmark product a short description naming what it is and who makes it (so "htx" and
"gà ri" have something to find), live listings on the platforms for a third of the
listed products, fifty shops, and then builds the search index (market.search
.reindex_all). Later runs find that done.

Reports, for a set of shoppers' queries (no accents, an abbreviation, a typo, facet
filters), the median and 99th percentile of market search: `rank` alone (the engine's
candidates ranked) and the whole catalogue search (ranked matches and their facet
counts), with the queries each takes. Then the server time of a first render (through
Django's test client: routing, middleware, queries, templates) of product pages, each
product rendered once, and of catalogue pages, each address asked once. Targets are
printed beside the figures; on a shared machine they are pessimistic.
"""

import argparse
import os
import random
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
from national import MARK  # noqa: E402

from ocophub.market.catalogue import CatalogueQuery, listed, search_catalogue  # noqa: E402
from ocophub.market.models import (  # noqa: E402
    Listing,
    ListingStatus,
    Platform,
    SearchEntry,
    Shop,
    ShopKind,
    product_url,
)
from ocophub.market.search import Search, reindex_all  # noqa: E402
from ocophub.places.models import Era, Province  # noqa: E402
from ocophub.producers.choices import ProducerKind  # noqa: E402
from ocophub.products.models import Product  # noqa: E402

SEARCH_TARGET = (30, 100)  # median, p99 ms
RENDER_TARGET = 10  # ms, first render
# What the product is, by the first word of its benchmark name.
STORIES = {
    "Mật ong": ["Mật ong hoa nhãn", "Mật ong hoa rừng", "Mật ong bạc hà"],
    "Chè": ["Chè Shan tuyết", "Chè búp xanh", "Trà hoa vàng"],
    "Gạo": ["Gạo nếp cái hoa vàng", "Gạo tám thơm", "Gạo lứt đỏ"],
    "Miến": ["Miến dong", "Miến củ dong riềng"],
    "Nước mắm": ["Nước mắm cốt truyền thống", "Nước mắm cá cơm"],
    "Cam": ["Cam sành", "Cam Cao Phong"],
    "Bưởi": ["Bưởi đỏ", "Bưởi Diễn"],
    "Măng": ["Măng khô", "Măng tre Bát Độ"],
    "Rượu": ["Rượu ngô men lá", "Rượu cần"],
    "Gà": ["Gà Ri thả đồi", "Gà đồi", "Gà Mông đen"],
}
MAKERS = {
    ProducerKind.COOPERATIVE: "hợp tác xã",
    ProducerKind.COOP_GROUP: "tổ hợp tác",
    ProducerKind.HOUSEHOLD: "hộ kinh doanh",
    ProducerKind.ENTERPRISE: "doanh nghiệp",
}
QUERIES = [
    ("mat ong", {}),
    ("gà", {}),
    ("ga ri", {}),
    ("htx", {}),
    ("nuowc mam", {}),  # a typo: one letter too many in "nuoc"
    ("mien dong htx", {}),
    ("cam", {"stars": "4"}),
    ("", {"province": "25"}),
    ("", {"channel": "postmart"}),
    ("che", {"group": "1", "producer_type": "cooperative"}),
    ("", {}),
]


def prepare():
    """Descriptions, listings, shops and the search index, once per database."""
    products = Product.objects.filter(name__startswith=MARK)
    if not products.exists():
        sys.exit("Run bench/national.py on this database first.")
    rng = random.Random(2025)
    started = time.perf_counter()
    if not Listing.objects.filter(url__contains="/bench-").exists():
        with transaction.atomic():
            rows = list(products.select_related("producer", "commune").order_by("pk"))
            for p in rows:
                word = next(w for w in STORIES if p.name.startswith(f"{MARK} {w} "))
                p.description = (
                    f"{rng.choice(STORIES[word])} của {MAKERS[p.producer.kind]} "
                    f"{p.producer.name.removeprefix(MARK).strip()}, {p.commune.name}."
                )
            Product.objects.bulk_update(rows, ["description"], batch_size=2000)
            on_sale = list(listed(queryset=products).values_list("pk", flat=True))
            platforms = [Platform.POSTMART, Platform.VOSO, Platform.SHOPEE, Platform.TIKTOK]
            listings = [
                Listing(
                    product_id=pk,
                    platform=platform,
                    url=f"https://{platform}.example/bench-{pk}",
                    price=rng.randrange(50, 500) * 1000,
                    status=ListingStatus.LIVE,
                    is_sample=True,
                )
                for pk in rng.sample(on_sale, len(on_sale) // 3)
                for platform in rng.sample(platforms, rng.randrange(1, 3))
            ]
            Listing.objects.bulk_create(listings, batch_size=2000)
            communes = list({p.commune_id for p in rows[:500]})[:50]
            for n, commune_id in enumerate(communes):
                shop = Shop.objects.create(
                    name=f"{MARK} Cửa hàng OCOP {n + 1}",
                    kind=ShopKind.OCOP_SHOP,
                    address="Tiểu khu 1",
                    commune_id=commune_id,
                    is_sample=True,
                )
                shop.products.add(*rng.sample(on_sale, 40))
        print(f"descriptions, {len(listings)} live listings and {len(communes)} shops added")
    if SearchEntry.objects.filter(product__in=products).count() < products.count():
        indexed = reindex_all(products)
        print(f"{indexed} products indexed")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"prepared in {time.perf_counter() - started:.1f} s")


def percentiles(times):
    times = sorted(times)
    p99 = times[min(len(times) - 1, int(round(0.99 * len(times))) - 1)]
    return statistics.median(times), p99


def timed(fn, runs):
    """Wall times (ms) of `runs` calls, the median CPU time of this process (on SQLite
    the engine's work too: the figure that a loaded machine inflates least), the
    queries of one call and what it found."""
    fn()  # warm: the first call of a query compiles the engine's statement
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as captured:
        found = fn()
    return times, statistics.median(cpu), len(captured), found


def label(q, filters):
    shown = " ".join([f'"{q}"' if q else "(no words)", *(f"{k}={v}" for k, v in filters.items())])
    return shown[:38]


def search_rows(runs):
    print(
        f"\nsearch, {runs} runs each{'':14} {'median ms':>10} {'p99 ms':>8} {'cpu ms':>7}"
        f" {'queries':>8}  found"
    )
    everything = {"rank": [], "catalogue": []}
    for q, filters in QUERIES:
        query = CatalogueQuery(q=q, **filters)
        matches = query.filtered(listed(few=bool(q)))
        steps = {
            "rank": lambda q=q, matches=matches: Search(q).rank(matches),
            "catalogue": lambda query=query: search_catalogue(query).ids,
        }
        for kind, fn in steps.items():
            times, cpu, queries, found = timed(fn, runs)
            everything[kind] += times
            median, p99 = percentiles(times)
            shown = f"{kind:10} {label(q, filters):38} {median:10.1f} {p99:8.1f} {cpu:7.1f}"
            print(f"{shown} {queries:8d} {len(found):6d}")
    for kind, times in everything.items():
        median, p99 = percentiles(times)
        print(
            f"{kind:10} {'all queries':38} {median:10.1f} {p99:8.1f}   "
            f"(target {SEARCH_TARGET[0]} / {SEARCH_TARGET[1]} ms)"
        )


def first_renders(runs):
    client = Client()
    slugs = list(
        SearchEntry.objects.filter(product__in=listed().filter(name__startswith=MARK))
        .order_by("?")
        .values_list("slug", flat=True)[: runs + 1]
    )
    province = Province.objects.filter(era=Era.CURRENT).order_by("code").first()
    addresses = {
        # The floor on this machine: a page with no query and a tiny template.
        "sitemap index (the floor)": ["/sitemap.xml"] * (runs + 1),
        "product page": [product_url(s) for s in slugs],
        "product page, English": [product_url(s, True) for s in slugs],
        "catalogue, no words": [f"/san-pham/?page={n + 1}" for n in range(runs + 1)],
        "catalogue, a query": [
            f"/san-pham/?q={q}&page={n % 3 + 1}"
            for n, q in enumerate(["mat ong", "ga ri", "htx", "che", "gao", "cam"] * runs)
        ][: runs + 1],
        "catalogue, a province": [
            f"/san-pham/?province={province.code}&page={n + 1}" for n in range(runs + 1)
        ],
    }
    print(f"\nfirst render, each address once{'':8} {'median ms':>10} {'p99 ms':>8} {'queries':>8}")
    with plain_static_files(DEBUG=False):
        for name, urls in addresses.items():
            client.get(urls[0])  # the process's first render of this template
            times = []
            for url in urls[1:-1]:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                client.get(urls[-1])
            median, p99 = percentiles(times)
            print(
                f"{name:38} {median:10.1f} {p99:8.1f} {len(captured):8d}   "
                f"(target < {RENDER_TARGET} ms)"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each query")
    parser.add_argument("--renders", type=int, default=30, help="pages of each kind")
    args = parser.parse_args()
    prepare()
    listed_count = listed().count()
    print(f"{Product.objects.count()} products, {listed_count} listed today; {connection.vendor}")
    search_rows(args.runs)
    first_renders(args.renders)


if __name__ == "__main__":
    main()
