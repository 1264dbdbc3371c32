"""A shopper on a phone: types a search without accents, finds the product first, opens
its page and finds what it is, its structured data and where to buy it."""

import datetime
import json

import pytest

from ocophub.conftest import PHONE
from ocophub.testing.builders import issue


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_without_accents_then_the_product_page_at_phone_size(
    phone, too_wide, live_server, reference_data, certified, make_product
):
    honey = certified["honey"]
    # Mentions honey in its description only: found, but after the honey itself.
    tea = make_product(
        certified["producer"], name="Chè Shan tuyết", description="Pha với mật ong rừng."
    )
    issue(tea, stars=5, valid_from=datetime.date(2025, 6, 1))

    page = phone(device_scale_factor=2, is_mobile=True, has_touch=True)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/san-pham/")
    page.fill("#q", "mat ong")
    page.press("#q", "Enter")
    page.wait_for_url("**/san-pham/?q=mat+ong*")

    cards = page.locator(".product-card a")
    assert cards.all_inner_texts() == [honey.name, tea.name]
    assert not too_wide(page)

    cards.first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == honey.name
    assert not too_wide(page)

    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    data = json.loads(blocks.text_content())
    assert data["@type"] == "Product"
    assert data["name"] == honey.name
    assert data["gtin"] == honey.gtin
    assert data["hasCertification"]["certificationRating"]["ratingValue"] == 4
    sellers = {offer["seller"]["name"] for offer in data["offers"]}
    assert sellers == {"Postmart", "Cửa hàng OCOP Đà Bắc"}
    assert {offer["priceCurrency"] for offer in data["offers"]} == {"VND"}

    where = page.get_by_role("heading", name="Nơi mua")
    assert where.is_visible()
    places = page.locator("ul.where li")
    assert places.count() == 2
    assert page.get_by_role("link", name="Postmart").get_attribute("href") == (
        "https://postmart.vn/p/mat-ong"
    )
    assert "Cửa hàng OCOP Đà Bắc" in places.nth(1).inner_text()
    box = places.nth(1).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Nothing fetched from outside the platform (the listing link is not followed).
    assert all(url.startswith(live_server.url) for url in requests), requests
