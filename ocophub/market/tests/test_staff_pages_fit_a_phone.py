"""The market's signed-in pages, as the demo roles, at 390 x 844: they answer, fit
without sideways scroll, and a listing is paused from its row (htmx swaps the row)."""

import pytest
from django.core.management import call_command

from ocophub.accounts.demo import password_for
from ocophub.conftest import log_in

PHONE = {"width": 390, "height": 844}


def pages_for(username):
    from ocophub.market.models import Enquiry, Listing

    enquiry = Enquiry.objects.order_by("pk").first()
    listing = Listing.objects.filter(product__producer__accounts__username="producer").first()
    slug = enquiry.product.search_entry.slug
    return {
        "producer": [
            "/market/listings/",
            "/market/listings/new/",
            f"/market/listings/{listing.pk}/",
            "/market/enquiries/",
            f"/market/enquiries/{enquiry.pk}/",
        ],
        "province": [
            "/market/",
            "/market/listings/",
            "/market/enquiries/",
            "/market/connections/",
            "/market/connections/?by=month",
        ],
        "union": ["/market/", "/market/listings/"],
        "buyer": [
            "/market/enquiries/mine/",
            f"/market/enquiries/{enquiry.pk}/",
            f"/market/enquiries/new/{slug}/",
            f"/san-pham/{slug}/",
        ],
    }[username]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_market_pages_fit_a_phone_and_a_listing_pauses_from_its_row(
    browser, live_server, reference_data
):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.base_url = live_server.url
    failed, too_wide = [], []
    try:
        for username in ("producer", "province", "union", "buyer"):
            context.clear_cookies()
            log_in(phone, username, password_for(username))
            for url in pages_for(username):
                response = phone.goto(phone.base_url + url)
                if response.status != 200:
                    failed.append((username, url, response.status))
                size = phone.evaluate(
                    "() => ({width: document.documentElement.scrollWidth, "
                    "viewport: window.innerWidth})"
                )
                if size["width"] > size["viewport"]:
                    too_wide.append((username, url, size["width"]))
        assert failed == [] and too_wide == []

        context.clear_cookies()
        log_in(phone, "producer", password_for("producer"))
        phone.goto(phone.base_url + "/market/listings/?status=live")
        row = phone.locator("tr[data-status=live]").first
        row_id = row.get_attribute("id")
        row.locator("button[value=paused]").click()
        phone.wait_for_selector(f"#{row_id}[data-status=paused]")
        # The swapped row is labelled for the phone's card layout like the others.
        assert phone.locator(f"#{row_id} td[data-label]").count() == 5
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_product_search_of_a_new_listing_works_on_a_phone(browser, live_server, reference_data):
    from ocophub.market.forms import PRODUCT_OPTIONS
    from ocophub.producers.models import Producer
    from ocophub.products.models import Lifecycle
    from ocophub.testing.builders import make_product

    call_command("load_demo", stdout=open("/dev/null", "w"))
    producer = Producer.objects.filter(accounts__username="producer").first()
    for n in range(PRODUCT_OPTIONS):  # more than the list shows, named before the others
        make_product(producer, name=f"Bánh gạo {n:02}", status=Lifecycle.CERTIFIED)
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.base_url = live_server.url
    try:
        log_in(phone, "producer", password_for("producer"))
        phone.goto(phone.base_url + "/market/listings/new/")
        assert phone.locator("#id_product option").count() == PRODUCT_OPTIONS + 1
        phone.fill("#id_product_search", "mat ong")
        phone.wait_for_function("() => document.querySelectorAll('#id_product option').length < 5")
        labels = phone.locator("#id_product option").all_inner_texts()
        assert labels[1:] and all("Mật ong" in label for label in labels[1:])
        phone.select_option("#id_product", index=1)
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= phone.evaluate("() => window.innerWidth")
    finally:
        context.close()
