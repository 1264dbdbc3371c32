import datetime

import pytest

from ocophub.accounts.models import ApiToken, Role
from ocophub.conftest import make_user
from ocophub.market.models import Enquiry, Listing, ListingStatus, Shop
from ocophub.testing.builders import issue


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture
def buyer(db):
    return make_user("buyer", Role.BUYER)


@pytest.fixture
def owner(certified):
    user = make_user("thanhan", Role.PRODUCER)
    certified["producer"].accounts.add(user)
    return user


def test_the_catalogue_api_answers_count_items_in_rank_order_and_facets(client, certified):
    body = client.get("/api/v1/catalogue", {"q": "mat ong"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Mật ong hoa nhãn Thanh An"
    assert item["stars"] == 4
    assert item["producer"] == "Hợp tác xã Thanh An"
    assert item["url"].startswith("http://testserver/san-pham/")
    assert client.get(item["url"]).status_code == 200
    assert client.get(item["producer_url"]).status_code == 200
    assert body["facets"]["stars"] == {"4": 1}
    assert body["facets"]["channel"] == {"postmart": 1}


def test_the_catalogue_api_filters_by_facet_and_leaves_out_expired_products(client, certified):
    assert client.get("/api/v1/catalogue", {"stars": "3"}).json()["count"] == 0
    assert client.get("/api/v1/catalogue", {"q": "gao"}).json()["items"] == []
    assert client.get("/api/v1/catalogue", {"channel": "voso"}).json()["count"] == 0
    english = client.get("/api/v1/catalogue", {"q": "honey", "lang": "en"}).json()
    assert english["items"][0]["name"] == "Thanh An longan honey"
    assert "/en/products/" in english["items"][0]["url"]


def test_shops_and_live_listings_are_public(client, certified):
    shops = client.get("/api/v1/shops").json()
    assert [s["name"] for s in shops] == ["Cửa hàng OCOP Đà Bắc"]
    assert shops[0]["products"] == [certified["honey"].pk]
    assert shops[0]["producer"] is None  # the Đà Bắc shop stocks many producers
    shop = Shop.objects.get()
    shop.producer = certified["honey"].producer
    shop.save()
    assert client.get("/api/v1/shops").json()[0]["producer"] == certified["honey"].producer_id
    Listing.objects.create(
        product=certified["honey"], platform="voso", url="https://voso.vn/x", status="draft"
    )
    listings = client.get("/api/v1/listings", {"product": certified["honey"].pk}).json()
    assert [(x["platform"], x["status"]) for x in listings] == [("postmart", "live")]


def test_a_producer_lists_its_own_product_and_sees_its_drafts(client, certified, owner):
    honey = certified["honey"]
    made = client.post(
        "/api/v1/listings",
        {"product": honey.pk, "platform": "voso", "url": "https://voso.vn/mat-ong"},
        content_type="application/json",
        **bearer(owner),
    )
    assert made.status_code == 201, made.content
    listing = Listing.objects.get(pk=made.json()["id"])
    assert listing.made_by == owner and listing.status == ListingStatus.DRAFT
    mine = client.get("/api/v1/listings", {"product": honey.pk}, **bearer(owner)).json()
    assert {x["platform"] for x in mine} == {"postmart", "voso"}
    changed = client.patch(
        f"/api/v1/listings/{listing.pk}",
        {"status": "live", "price": 175000},
        content_type="application/json",
        **bearer(owner),
    )
    assert changed.status_code == 200
    listing.refresh_from_db()
    assert (listing.status, listing.price) == ("live", 175000)


def test_a_listing_with_a_bad_platform_says_what_to_fix_and_stores_nothing(
    client, certified, owner
):
    answer = client.post(
        "/api/v1/listings",
        {"product": certified["honey"].pk, "platform": "amazon", "url": "voso.vn"},
        content_type="application/json",
        **bearer(owner),
    )
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"platform", "url"}
    assert "postmart" in answer.json()["errors"]["platform"]
    assert Listing.objects.count() == 1


def test_another_producer_cannot_list_or_change_someone_elses_product(
    client, certified, make_producer, make_product
):
    stranger = make_user("stranger", Role.PRODUCER)
    make_producer(name="HTX Khác", account=stranger)
    made = client.post(
        "/api/v1/listings",
        {"product": certified["honey"].pk, "platform": "voso", "url": "https://voso.vn/x"},
        content_type="application/json",
        **bearer(stranger),
    )
    assert made.status_code == 404
    listing = Listing.objects.get()
    changed = client.patch(
        f"/api/v1/listings/{listing.pk}",
        {"status": "delisted"},
        content_type="application/json",
        **bearer(stranger),
    )
    assert changed.status_code == 404
    listing.refresh_from_db()
    assert listing.status == "live"


def test_a_buyer_sends_an_enquiry_and_the_producer_answers_it(client, certified, buyer, owner):
    sent = client.post(
        "/api/v1/enquiries",
        {"product": certified["honey"].pk, "quantity": "200 hũ", "place": "Hà Nội"},
        content_type="application/json",
        **bearer(buyer),
    )
    assert sent.status_code == 201, sent.content
    enquiry_id = sent.json()["id"]
    assert [e["id"] for e in client.get("/api/v1/enquiries", **bearer(owner)).json()] == [
        enquiry_id
    ]
    answered = client.post(
        f"/api/v1/enquiries/{enquiry_id}/answer",
        {"answer": "Có đủ hàng, giao trong 5 ngày."},
        content_type="application/json",
        **bearer(owner),
    )
    assert answered.status_code == 200
    seen = client.get("/api/v1/enquiries", **bearer(buyer)).json()
    assert seen[0]["answer"] == "Có đủ hàng, giao trong 5 ngày."
    assert seen[0]["status"] == "answered"


def test_enquiries_are_read_only_by_their_parties(client, certified, buyer, owner):
    Enquiry.objects.create(buyer=buyer, product=certified["honey"], quantity="10")
    other_buyer = make_user("other-buyer", Role.BUYER)
    stranger = make_user("stranger", Role.PRODUCER)
    assert client.get("/api/v1/enquiries", **bearer(other_buyer)).json() == []
    assert client.get("/api/v1/enquiries", **bearer(stranger)).json() == []
    enquiry = Enquiry.objects.get()
    refused = client.post(
        f"/api/v1/enquiries/{enquiry.pk}/answer",
        {"answer": "x"},
        content_type="application/json",
        **bearer(stranger),
    )
    assert refused.status_code == 404
    enquiry.refresh_from_db()
    assert enquiry.answer == ""


def test_only_a_buyer_account_sends_enquiries_and_only_for_certified_products(
    client, certified, buyer, owner
):
    by_producer = client.post(
        "/api/v1/enquiries",
        {"product": certified["honey"].pk, "quantity": "5"},
        content_type="application/json",
        **bearer(owner),
    )
    assert by_producer.status_code == 403
    expired = client.post(
        "/api/v1/enquiries",
        {"product": certified["rice"].pk, "quantity": "5"},
        content_type="application/json",
        **bearer(buyer),
    )
    assert expired.status_code == 404
    past = client.post(
        "/api/v1/enquiries",
        {"product": certified["honey"].pk, "quantity": " ", "needed_by": "2020-01-01"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(buyer),
    )
    assert past.status_code == 400
    assert set(past.json()["errors"]) == {"quantity", "needed_by"}
    assert Enquiry.objects.count() == 0


def test_an_expired_product_listing_is_not_public(client, certified):
    rice = certified["rice"]
    Listing.objects.create(product=rice, platform="voso", url="https://voso.vn/g", status="live")
    assert client.get("/api/v1/listings", {"product": rice.pk}).json() == []
    issue(rice, stars=3, valid_from=datetime.date.today() - datetime.timedelta(days=10))
    assert len(client.get("/api/v1/listings", {"product": rice.pk}).json()) == 1
