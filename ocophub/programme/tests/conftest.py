import datetime
import itertools

import pytest

from ocophub.certificates.models import Certificate
from ocophub.conftest import legacy_commune
from ocophub.places.models import District, Era

D = datetime.date
JUNE_2023 = D(2023, 6, 1)
LAC_SON = 157  # legacy district code
MY_THANH, CHI_DAO, VU_BAN, QUY_HOA = 5275, 5323, 5266, 5269

_numbers = itertools.count(1)


@pytest.fixture
def lac_son(db):
    return District.objects.get(era=Era.LEGACY, code=LAC_SON)


@pytest.fixture
def certify():
    """Certificate for `product` from `valid_from`; 36 months unless valid_until given."""

    def build(product, stars=3, valid_from=JUNE_2023, **fields):
        fields.setdefault("issued_by", "UBND tỉnh Hòa Bình")
        return Certificate.objects.create(
            number=f"T-{next(_numbers)}",
            product=product,
            stars=stars,
            valid_from=valid_from,
            **fields,
        )

    return build


@pytest.fixture
def product_in(make_producer, make_product):
    """A product made under the legacy commune with `code` (or the commune given)."""

    def build(commune, name="Sản phẩm thử", **fields):
        if isinstance(commune, int):
            commune = legacy_commune(commune)
        producer = make_producer(commune=commune)
        return make_product(producer, name=name, commune=commune, **fields)

    return build
