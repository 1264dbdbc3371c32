import datetime

import pytest

from ocophub.conftest import legacy_commune
from ocophub.places.models import District, Era
from ocophub.testing import builders

D = datetime.date
JUNE_2023 = D(2023, 6, 1)
LAC_SON = 157  # legacy district code
MY_THANH, CHI_DAO, VU_BAN, QUY_HOA = 5275, 5323, 5266, 5269


@pytest.fixture
def lac_son(db):
    return District.objects.get(era=Era.LEGACY, code=LAC_SON)


@pytest.fixture
def certify():
    """Certificate for `product` from `valid_from`; 36 months unless valid_until given."""
    return builders.make_certificate


@pytest.fixture
def product_in(make_producer, make_product):
    """A product made under the legacy commune with `code` (or the commune given)."""

    def build(commune, name="Sản phẩm thử", **fields):
        if isinstance(commune, int):
            commune = legacy_commune(commune)
        producer = make_producer(commune=commune)
        return make_product(producer, name=name, commune=commune, **fields)

    return build
