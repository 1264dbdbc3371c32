"""Demo traceability: GTINs (Vietnam prefix 893, a sample company prefix, valid check
digits) for a few demo products, batches with dates and quantities, honey bottled from
a harvest lot and doi-seed salt made from a seed lot (inputs), serials for labels, and
the supply-chain events a shopper sees on the scan page. All of it is sample data."""

import datetime

from django.db import transaction

from ocophub.epcis import store as epcis_store
from ocophub.products.gtin import check_digit
from ocophub.products.models import Product

from .digital_link import build_uri
from .models import Batch, SerialItem, Unit
from .services import add_serials, create_batch

COMPANY = "8938888"  # 893 = GS1 Vietnam; 8888 a sample company prefix


def gtin(item):
    body = f"0{COMPANY}{item:05d}"
    return body + check_digit(body)


def gln(location):
    body = f"{COMPANY}{location:05d}"
    return body + check_digit(body)


# product name -> GTIN item reference
GTINS = {
    "Mật ong Thanh An": 1,
    "Hạt dổi Chí Đạo": 2,
    "Muối hạt dổi Chí Đạo": 3,
    "Ớt Phú Lương": 4,
    "Chè xanh Ngọc Sơn": 5,
    "Mật ong rừng Ân Nghĩa": 6,
}

# (product, lot, produced, best before, quantity, unit, inputs [(product, lot)], serials)
BATCHES = [
    ("Mật ong Thanh An", "TA-MO-2504", "2025-04-12", "2027-04-12", 450, Unit.KILOGRAM, [], 0),
    (
        "Mật ong Thanh An",
        "TA-2505-C1",
        "2025-05-06",
        "2027-04-12",
        1200,
        Unit.PIECE,
        [("Mật ong Thanh An", "TA-MO-2504")],
        24,
    ),
    ("Hạt dổi Chí Đạo", "CD-2410", "2024-10-20", "2026-10-20", 80, Unit.KILOGRAM, [], 0),
    (
        "Muối hạt dổi Chí Đạo",
        "MD-2503",
        "2025-03-02",
        "2026-09-02",
        600,
        Unit.PIECE,
        [("Hạt dổi Chí Đạo", "CD-2410")],
        12,
    ),
    ("Ớt Phú Lương", "PL-2508", "2025-08-15", "2026-02-15", 200, Unit.KILOGRAM, [], 0),
    ("Chè xanh Ngọc Sơn", "NS-2509", "2025-09-01", "2026-09-01", 300, Unit.PIECE, [], 0),
]


def _journey(batch):
    """Packing, shipping and receiving of the bottled honey, for the timeline."""
    site = gln(1)
    shop = gln(2)
    epc = batch.digital_link
    steps = [
        ("2025-05-07T09:00:00+07:00", "packing", "in_progress", site),
        ("2025-05-09T07:30:00+07:00", "shipping", "in_transit", site),
        ("2025-05-09T15:10:00+07:00", "receiving", "in_progress", shop),
    ]
    for when, step, disposition, place in steps:
        epcis_store.record_event(
            {
                "type": "ObjectEvent",
                "eventTime": when,
                "eventTimeZoneOffset": "+07:00",
                "epcList": [],
                "quantityList": [{"epcClass": epc, "quantity": 400}],
                "action": "OBSERVE",
                "bizStep": step,
                "disposition": disposition,
                "readPoint": {"id": build_uri([("414", place)])},
                "bizLocation": {"id": build_uri([("414", place)])},
            }
        )


@transaction.atomic
def load():
    created = 0
    for name, item in GTINS.items():
        product = Product.objects.filter(name=name).first()
        if product is not None and not product.gtin:
            product.gtin = gtin(item)
            product.save(update_fields=["gtin", "updated", "search_text"])
    for name, lot, made, best, quantity, unit, inputs, serials in BATCHES:
        product = Product.objects.filter(name=name).exclude(gtin=None).first()
        if product is None or Batch.objects.filter(product=product, lot=lot).exists():
            continue
        batch = Batch(
            product=product,
            lot=lot,
            production_date=datetime.date.fromisoformat(made),
            expiry_date=datetime.date.fromisoformat(best),
            quantity=quantity,
            unit=unit,
            note="Dữ liệu mẫu (sample data)",
        )
        batch.full_clean()
        sources = [Batch.objects.get(product__name=p, lot=input_lot) for p, input_lot in inputs]
        create_batch(batch, sources)
        if serials and not SerialItem.objects.filter(batch=batch).exists():
            add_serials(batch, serials)
        if lot == "TA-2505-C1":
            _journey(batch)
        created += 1
    return created
