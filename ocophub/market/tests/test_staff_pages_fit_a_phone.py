"""The market's signed-in pages, as the demo roles, at 390 x 844: they answer, fit
without sideways scroll, and a listing is paused from its row (htmx swaps the row)."""

import pytest
from django.core.management import call_command

from ocophub.accounts.demo import password_for
from ocophub.conftest import log_in, overflow


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
def test_the_market_pages_fit_a_phone_and_a_listing_pauses_from_its_row(phone, reference_data):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    page = phone()
    failed, too_wide = [], []
    for username in ("producer", "province", "union", "buyer"):
        page.context.clear_cookies()
        log_in(page, username, password_for(username))
        for url in pages_for(username):
            response = page.goto(page.base_url + url)
            if response.status != 200:
                failed.append((username, url, response.status))
            size = overflow(page)
            if size["width"] > size["viewport"]:
                too_wide.append((username, url, size["width"]))
    assert failed == [] and too_wide == []

    page.context.clear_cookies()
    log_in(page, "producer", password_for("producer"))
    page.goto(page.base_url + "/market/listings/?status=live")
    row = page.locator("tr[data-status=live]").first
    row_id = row.get_attribute("id")
    row.locator("button[value=paused]").click()
    page.wait_for_selector(f"#{row_id}[data-status=paused]")
    # The swapped row is labelled for the phone's card layout like the others.
    assert page.locator(f"#{row_id} td[data-label]").count() == 5


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_product_search_of_a_new_listing_works_on_a_phone(phone, too_wide, reference_data):
    from ocophub.market.forms import PRODUCT_OPTIONS
    from ocophub.producers.models import Producer
    from ocophub.products.models import Lifecycle
    from ocophub.testing.builders import make_product

    call_command("load_demo", stdout=open("/dev/null", "w"))
    producer = Producer.objects.filter(accounts__username="producer").first()
    for n in range(PRODUCT_OPTIONS):  # more than the list shows, named before the others
        make_product(producer, name=f"Bánh gạo {n:02}", status=Lifecycle.CERTIFIED)
    page = phone()
    log_in(page, "producer", password_for("producer"))
    page.goto(page.base_url + "/market/listings/new/")
    assert page.locator("#id_product option").count() == PRODUCT_OPTIONS + 1
    page.fill("#id_product_search", "mat ong")
    page.wait_for_function("() => document.querySelectorAll('#id_product option').length < 5")
    labels = page.locator("#id_product option").all_inner_texts()
    assert labels[1:] and all("Mật ong" in label for label in labels[1:])
    page.select_option("#id_product", index=1)
    assert not too_wide(page)
