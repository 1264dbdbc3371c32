import datetime

import pytest

from ocophub.conftest import current_commune
from ocophub.market.models import Listing, ListingStatus, Shop
from ocophub.testing.builders import issue

QUYET_THANG = 5323  # a current commune (Lạc Sơn area)


@pytest.fixture
def certified(make_producer, make_product):
    """A 4-star honey with a GTIN, a live Postmart listing and a shop, and a 3-star rice
    whose certificate expired (decided in 2019: 36 months ended in 2022)."""
    producer = make_producer(
        name="Hợp tác xã Thanh An", member_count=12, commune=current_commune(QUYET_THANG)
    )
    honey = make_product(
        producer,
        name="Mật ong hoa nhãn Thanh An",
        name_en="Thanh An longan honey",
        gtin="8930000000019",
        story="Ong nuôi dưới tán rừng nhãn.",
    )
    issue(honey, stars=4, valid_from=datetime.date(2025, 3, 15))
    rice = make_product(producer, name="Gạo nếp cái hoa vàng")
    issue(rice, stars=3, valid_from=datetime.date(2019, 1, 10))
    Listing.objects.create(
        product=honey,
        platform="postmart",
        url="https://postmart.vn/p/mat-ong",
        price=180000,
        status=ListingStatus.LIVE,
    )
    shop = Shop.objects.create(
        name="Cửa hàng OCOP Đà Bắc",
        kind="ocop_shop",
        address="Tiểu khu Mu",
        commune=producer.commune,
        hours="7:00–18:00",
    )
    shop.products.add(honey)
    honey.refresh_from_db()
    rice.refresh_from_db()
    return {"honey": honey, "rice": rice, "producer": producer, "shop": shop}
