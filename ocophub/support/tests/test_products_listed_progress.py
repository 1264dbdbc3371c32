"""An agreement's "products listed on e-commerce" is counted from the market's listings:
distinct products with a listing live now (link working), made within the agreement's
dates, on its platforms (any when none is named), of producers in its area (the signing
union's commune, district or province, either era), narrowed to its named products if
it names any."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ocophub.market.models import Listing
from ocophub.places.models import Commune, Era
from ocophub.support.models import Indicator, Programme, Target
from ocophub.support.progress import figures, listed_products

from .conftest import MY_THANH

D = datetime.date
IN_PERIOD = D(2024, 5, 1)


def listing(product, platform="postmart", status="live", made=IN_PERIOD, broken=False):
    item = Listing.objects.create(
        product=product,
        platform=platform,
        url=f"https://{platform}.vn/p/{product.pk}",
        status=status,
    )
    when = datetime.datetime.combine(made, datetime.time(9), tzinfo=datetime.UTC)
    Listing.objects.filter(pk=item.pk).update(created=when, broken=broken)
    return item


@pytest.fixture
def deal(home):
    programme = Programme.objects.create(
        kind="agreement",
        name="Bưu điện tỉnh: Postmart",
        partner="Bưu điện",
        starts_on=D(2024, 1, 1),
        ends_on=D(2025, 12, 31),
        commune=home,
        area="province",
        platforms=["postmart"],
    )
    Target.objects.create(programme=programme, indicator=Indicator.PRODUCTS_LISTED, target=5)
    return programme


def test_only_live_listings_in_the_area_platforms_and_period_count(
    deal, home, elsewhere, make_producer, make_product
):
    here, near = make_producer(commune=home), make_producer(commune=elsewhere)
    # A producer registered under a legacy commune of Hòa Bình counts in today's Phú Thọ.
    old = make_producer(commune=Commune.objects.get(era=Era.LEGACY, code=MY_THANH))
    far = make_producer(commune=Commune.objects.filter(era=Era.CURRENT, province__code=1)[0])
    counted = make_product(here, name="Mật ong Quyết Thắng")
    listing(counted)
    listing(counted, platform="voso")  # the same product twice counts once
    listing(make_product(near, name="Gà đồi Lạc Sơn"), made=D(2025, 12, 31))
    listing(make_product(old, name="Cam Mỹ Thành"))
    listing(make_product(here, name="Nháp"), status="draft")
    listing(make_product(here, name="Tạm dừng"), status="paused")
    listing(make_product(here, name="Gỡ"), status="delisted")
    listing(make_product(here, name="Hỏng"), broken=True)
    listing(make_product(here, name="Trước"), made=D(2023, 12, 31))
    listing(make_product(here, name="Sau"), made=D(2026, 1, 1))
    listing(make_product(here, name="Chỉ Voso"), platform="voso")
    listing(make_product(far, name="Hà Nội"))
    target = deal.targets.get()

    names = ["Cam Mỹ Thành", "Gà đồi Lạc Sơn", "Mật ong Quyết Thắng"]
    assert [p.name for p in listed_products(deal)] == names
    assert target.achieved() == 3

    deal.platforms = []  # any platform: the Voso-only product joins
    deal.save()
    assert target.achieved() == 4

    deal.area = "commune"  # only the signing union's commune
    deal.save()
    assert sorted(p.name for p in listed_products(deal)) == ["Chỉ Voso", "Mật ong Quyết Thắng"]

    deal.area = "province"
    deal.save()
    deal.products.set([counted])  # a programme naming its products counts only those
    assert target.achieved() == 1

    Listing.objects.filter(product=counted).update(status="delisted")
    assert target.achieved() == 0  # live now, not once


def test_a_district_area_needs_a_commune_of_the_legacy_era(deal, home):
    deal.area = "district"
    with pytest.raises(ValidationError) as err:
        deal.full_clean()
    assert "area" in err.value.message_dict
    deal.commune = Commune.objects.get(era=Era.LEGACY, code=MY_THANH)
    deal.full_clean()
    assert deal.area_unit() == deal.commune.district


def test_an_unknown_platform_is_refused(deal):
    deal.platforms = ["postmart", "amazon"]
    with pytest.raises(ValidationError) as err:
        deal.full_clean()
    assert "amazon" in str(err.value.message_dict["platforms"])


def test_the_programme_page_shows_the_counted_listings(
    client, deal, home, make_producer, make_product, union_officer
):
    listing(make_product(make_producer(commune=home), name="Mật ong Quyết Thắng"))
    listing(make_product(make_producer(commune=home), name="Nháp"), status="draft")
    client.force_login(union_officer)
    client.cookies["django_language"] = "en"
    page = client.get(f"/support/programmes/{deal.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Mật ong Quyết Thắng" in text and "Nháp" not in text
    assert "1 / 5" in text
    client.cookies["django_language"] = "vi"
    page = client.get(f"/support/programmes/{deal.pk}/").content.decode()
    assert "Đếm từ các tin đăng bán" in page


def test_the_report_counts_products_listed_live_in_the_unit_and_period(
    home, elsewhere, phu_tho, make_producer, make_product, commune_union_officer
):
    here, near = make_producer(commune=home), make_producer(commune=elsewhere)
    honey = make_product(here, name="Mật ong")
    listing(honey)
    listing(honey, platform="voso")
    listing(make_product(here, name="Nháp"), status="draft")
    listing(make_product(near, name="Gà đồi"), made=D(2025, 3, 1))
    year = (D(2024, 1, 1), D(2024, 12, 31))
    assert figures(phu_tho, *year)["products_listed"] == 1
    assert figures(phu_tho, D(2024, 1, 1), D(2025, 12, 31))["products_listed"] == 2
    assert figures(elsewhere, D(2024, 1, 1), D(2025, 12, 31))["products_listed"] == 1
    # A commune union officer counts their communes' products only.
    mine = figures(phu_tho, D(2024, 1, 1), D(2025, 12, 31), commune_union_officer)
    assert mine["products_listed"] == 1


def test_an_officer_makes_an_agreement_with_its_area_and_platforms(
    client, home, commune_union_officer
):
    client.force_login(commune_union_officer)
    url = reverse("support:programme_new")
    form = client.get(url).content.decode()
    assert 'value="postmart"' in form and "Địa bàn áp dụng" in form
    fields = {
        "kind": "agreement",
        "name": "Thỏa thuận với Viettel",
        "partner": "Viettel",
        "starts_on": "2025-07-01",
        "commune": home.code,
        "area": "commune",
        "platforms": ["voso", "postmart"],
    }
    r = client.post(url, fields)
    deal = Programme.objects.get(name="Thỏa thuận với Viettel")
    assert r.status_code == 302 and sorted(deal.platforms) == ["postmart", "voso"]
    assert deal.area_unit() == home
    r = client.post(url, {**fields, "name": "Huyện", "area": "district"})
    assert r.status_code == 200 and "Cấp huyện đã bỏ từ ngày 1/7/2025" in r.content.decode()
