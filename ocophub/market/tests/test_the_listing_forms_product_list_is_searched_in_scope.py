"""A province has hundreds of products: the listing form lists the first ones and a
search field (htmx) brings the others, only those the user may list."""

import pytest

from ocophub.accounts.models import Role
from ocophub.conftest import current_commune, make_user
from ocophub.market.forms import PRODUCT_OPTIONS
from ocophub.market.models import Listing
from ocophub.products.models import Lifecycle


@pytest.fixture
def owner(certified):
    user = make_user("thanhan", Role.PRODUCER)
    certified["producer"].accounts.add(user)
    return user


@pytest.fixture
def many(certified, make_product):
    """Forty more published products of the producer, named before the honey."""
    return [
        make_product(certified["producer"], name=f"Bánh gạo {n:02}", status=Lifecycle.CERTIFIED)
        for n in range(40)
    ]


@pytest.fixture
def elsewhere(make_producer, make_product):
    account = make_user("hanoi", Role.PRODUCER)
    producer = make_producer(name="HTX Hà Nội", commune=current_commune(4), account=account)
    return make_product(producer, name="Trà sen Tây Hồ", status=Lifecycle.CERTIFIED)


def options(page):
    """Options of the product list (the whole answer of the search)."""
    if '<select name="product"' in page:
        page = page.split('<select name="product"')[1].split("</select>")[0]
    return page.count("<option value=") - 1  # less the blank one


def test_the_form_lists_the_first_products_and_offers_the_search(client, owner, many):
    client.force_login(owner)
    page = client.get("/market/listings/new/").content.decode()
    assert options(page) == PRODUCT_OPTIONS
    assert 'name="product_search"' in page and 'hx-get="/market/listings/products/"' in page
    assert "Mật ong hoa nhãn Thanh An" not in page  # past the first 30, by name


def test_the_search_ignores_accents_and_case_and_finds_the_producer_too(client, owner, many):
    client.force_login(owner)
    found = client.get("/market/listings/products/", {"product_search": "MAT ong  thanh"})
    assert options(found.content.decode()) == 1
    assert "Mật ong hoa nhãn Thanh An" in found.content.decode()
    by_producer = client.get("/market/listings/products/", {"product_search": "thanh an banh"})
    assert options(by_producer.content.decode()) == PRODUCT_OPTIONS
    client.cookies["django_language"] = "en"
    none = client.get("/market/listings/products/", {"product_search": "cà phê"}).content.decode()
    assert options(none) == 0 and "No product matches: try fewer words." in none


def test_a_product_found_by_the_search_is_saved_and_one_out_of_scope_is_not(
    client, certified, owner, many, elsewhere
):
    client.force_login(owner)
    theirs = client.get("/market/listings/products/", {"product_search": "tra sen"})
    assert "Trà sen" not in theirs.content.decode()
    fields = {"platform": "voso", "url": "https://voso.vn/mat-ong", "status": "draft"}
    made = client.post("/market/listings/new/", {"product": certified["honey"].pk, **fields})
    assert made.status_code == 302
    refused = client.post("/market/listings/new/", {"product": elsewhere.pk, **fields})
    assert refused.status_code == 400
    assert Listing.objects.filter(product=elsewhere).count() == 0
    client.force_login(make_user("admin", "", is_superuser=True))
    everyone = client.get("/market/listings/products/", {"product_search": "tra sen"})
    assert "Trà sen Tây Hồ · HTX Hà Nội" in everyone.content.decode()


def test_a_short_list_needs_no_search_and_others_may_not_ask(client, certified, owner):
    client.force_login(owner)
    page = client.get("/market/listings/new/").content.decode()
    assert 'name="product_search"' not in page and "Mật ong hoa nhãn Thanh An" in page
    client.force_login(make_user("buyer", Role.BUYER))
    assert client.get("/market/listings/products/").status_code == 403
