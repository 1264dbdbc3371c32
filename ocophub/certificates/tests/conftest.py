import pytest

from ocophub.testing import builders


@pytest.fixture
def honey(make_producer, make_product, producer_account):
    producer = make_producer(name="Hợp tác xã Thanh An", account=producer_account)
    return make_product(producer, name="Mật ong Thanh An")


@pytest.fixture
def issue():
    """`issue(product, stars=3, valid_from=15 March 2024, **fields)` (ocophub.testing)."""
    return builders.issue
