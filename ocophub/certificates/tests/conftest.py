import datetime

import pytest

from ocophub.certificates.issuing import issue_certificate


@pytest.fixture
def honey(make_producer, make_product, producer_account):
    producer = make_producer(name="Hợp tác xã Thanh An", account=producer_account)
    return make_product(producer, name="Mật ong Thanh An")


@pytest.fixture
def issue():
    def build(product, stars=3, valid_from=datetime.date(2024, 3, 15), **fields):
        fields.setdefault("score", 62)
        fields.setdefault("issued_by", "UBND tỉnh Hòa Bình")
        return issue_certificate(product=product, stars=stars, valid_from=valid_from, **fields)

    return build
