import datetime

import pytest
from django.utils import timezone

from ocophub.products.models import Lifecycle
from ocophub.testing import builders
from ocophub.trace import scan, scan_buffer

GTIN_HONEY = "08930000000019"  # 893 = GS1 Vietnam; check digit computed
GTIN_SAUSAGE = "08930000000026"


@pytest.fixture(autouse=True)
def _no_scans_pending():
    """Scan counts wait in memory between flushes: start each test with none."""
    scan_buffer._pending.clear()
    scan._place_names.clear()
    scan._place_names_loaded[0] = float("-inf")
    yield
    scan_buffer._pending.clear()


@pytest.fixture
def honey_producer(make_producer, producer_account):
    return make_producer(
        account=producer_account,
        name="HTX Thanh An",
        phone="0912 345 678",
        address="Xóm Thanh An, xã Mỹ Thành",
    )


@pytest.fixture
def honey(honey_producer, make_product):
    product = make_product(honey_producer, gtin=GTIN_HONEY[1:], name_en="Thanh An honey")
    product.status = Lifecycle.CERTIFIED
    product.save()
    return product


@pytest.fixture
def honey_certificate(honey):
    return builders.make_certificate(
        honey,
        number="OCOP-HB-2024-017",
        valid_from=timezone.localdate() - datetime.timedelta(days=100),
    )


@pytest.fixture
def honey_batch(honey, producer_account):
    return builders.make_batch(
        honey,
        producer_account,
        lot="MO2025-07",
        production_date=datetime.date(2025, 7, 1),
        expiry_date=datetime.date(2027, 6, 30),
        quantity=500,
        unit="LTR",
    )
