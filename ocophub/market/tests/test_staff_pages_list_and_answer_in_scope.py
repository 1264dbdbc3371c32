import datetime

import pytest

from ocophub.accounts.models import Role
from ocophub.conftest import current_commune, make_user
from ocophub.market.models import Enquiry, EnquiryStatus, Listing, ListingStatus
from ocophub.notices.models import Kind, Notice


def in_english(client):
    client.cookies["django_language"] = "en"  # staff pages: English only by the switch


@pytest.fixture
def owner(certified):
    user = make_user("thanhan", Role.PRODUCER, email="thanhan@example.vn")
    certified["producer"].accounts.add(user)
    return user


@pytest.fixture
def buyer(db):
    return make_user("buyer", Role.BUYER, first_name="Phúc", last_name="Trần Văn")


@pytest.fixture
def elsewhere(make_producer, make_product):
    """A producer in Hà Nội with its own account and a listing."""
    account = make_user("hanoi", Role.PRODUCER)
    producer = make_producer(name="HTX Hà Nội", commune=current_commune(4), account=account)
    product = make_product(producer, name="Trà sen Tây Hồ")
    listing = Listing.objects.create(
        product=product, platform="voso", url="https://voso.vn/tra-sen", status="live"
    )
    return {"account": account, "product": product, "listing": listing}


def listed_products(client):
    page = client.get("/market/listings/").content.decode()
    return [name for name in ("Mật ong hoa nhãn Thanh An", "Trà sen Tây Hồ") if name in page]


def test_each_role_sees_the_listings_of_its_scope(
    client, certified, owner, elsewhere, province_officer, commune_officer
):
    union = make_user("union", Role.UNION_OFFICER, province=province_officer.province)
    for user, expected in [
        (owner, ["Mật ong hoa nhãn Thanh An"]),
        (elsewhere["account"], ["Trà sen Tây Hồ"]),
        (commune_officer, ["Mật ong hoa nhãn Thanh An"]),
        (union, ["Mật ong hoa nhãn Thanh An"]),
    ]:
        client.force_login(user)
        assert listed_products(client) == expected, user.username
    client.force_login(make_user("admin", "", is_superuser=True))
    assert listed_products(client) == ["Mật ong hoa nhãn Thanh An", "Trà sen Tây Hồ"]


def test_other_roles_are_refused_the_listing_pages(client, certified, buyer):
    for user in (
        buyer,
        make_user("inspector", Role.INSPECTOR),
        make_user("c1", Role.COUNCIL_MEMBER),
    ):
        client.force_login(user)
        assert client.get("/market/listings/").status_code == 403
        assert client.get("/market/listings/new/").status_code == 403
    client.logout()
    assert client.get("/market/listings/").status_code == 302  # to the login page


def test_a_producer_adds_edits_pauses_and_delists_its_own_listing(client, certified, owner):
    client.force_login(owner)
    honey = certified["honey"]
    made = client.post(
        "/market/listings/new/",
        {
            "product": honey.pk,
            "platform": "voso",
            "url": "https://voso.vn/mat-ong",
            "price": 170000,
            "status": "live",
        },
    )
    assert made.status_code == 302
    listing = Listing.objects.get(platform="voso")
    assert listing.made_by == owner and listing.status == ListingStatus.LIVE
    listing.failed_checks, listing.broken = 3, True
    listing.save()
    edited = client.post(
        f"/market/listings/{listing.pk}/",
        {
            "platform": "voso",
            "url": "https://voso.vn/mat-ong-moi",
            "price": 165000,
            "status": "live",
        },
    )
    assert edited.status_code == 302
    listing.refresh_from_db()
    # A new address starts the link checks afresh.
    assert (listing.url, listing.price, listing.broken, listing.failed_checks) == (
        "https://voso.vn/mat-ong-moi",
        165000,
        False,
        0,
    )
    row = client.post(
        f"/market/listings/{listing.pk}/status/", {"status": "paused"}, HTTP_HX_REQUEST="true"
    )
    assert row.status_code == 200 and 'data-status="paused"' in row.content.decode()
    client.post(f"/market/listings/{listing.pk}/status/", {"status": "delisted"})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DELISTED
    client.cookies["django_language"] = "en"
    wrong = client.post(
        f"/market/listings/{listing.pk}/status/", {"status": "sold"}, HTTP_HX_REQUEST="true"
    )
    assert wrong.status_code == 400 and wrong.content.decode() == "Choose a status for the listing."
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DELISTED


def test_someone_elses_listing_is_not_found(client, certified, owner, elsewhere):
    theirs = elsewhere["listing"]
    client.force_login(owner)
    assert client.get(f"/market/listings/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"/market/listings/{theirs.pk}/status/", {"status": "paused"}).status_code
        == 404
    )
    made = client.post(
        "/market/listings/new/",
        {
            "product": elsewhere["product"].pk,
            "platform": "voso",
            "url": "https://voso.vn/x",
            "status": "live",
        },
    )
    assert made.status_code == 400  # not among the products offered
    theirs.refresh_from_db()
    assert theirs.status == "live" and Listing.objects.count() == 2


def test_a_bad_listing_says_what_to_fix_in_english_and_saves_nothing(client, certified, owner):
    client.force_login(owner)
    in_english(client)
    answer = client.post(
        "/market/listings/new/",
        {
            "product": certified["honey"].pk,
            "platform": "voso",
            "url": "ftp://voso.vn/x",
            "price": -5,
            "status": "live",
        },
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Give the full address of the listing, starting with https://." in page
    assert Listing.objects.count() == 1


def test_a_bad_listing_is_refused_in_vietnamese_by_default(client, certified, owner):
    client.force_login(owner)
    answer = client.post(
        "/market/listings/new/",
        {
            "product": certified["honey"].pk,
            "platform": "voso",
            "url": "ftp://voso.vn/x",
            "status": "live",
        },
    )
    assert "Nhập đầy đủ địa chỉ của tin đăng bán, bắt đầu bằng https://." in answer.content.decode()


def test_a_buyer_sends_an_enquiry_from_the_page_and_the_producer_is_told_once(
    client, certified, owner, buyer
):
    slug = certified["honey"].search_entry.slug
    client.force_login(buyer)
    assert "Gửi yêu cầu mua hàng" in client.get(f"/san-pham/{slug}/").content.decode()
    sent = client.post(
        f"/market/enquiries/new/{slug}/",
        {"quantity": "200 hũ", "place": "Hà Nội", "message": "Xin báo giá sỉ."},
    )
    assert sent.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.buyer, enquiry.quantity) == (buyer, "200 hũ")
    notice = Notice.objects.get(kind=Kind.ENQUIRY_RECEIVED)
    assert notice.recipient == owner and notice.url == f"/market/enquiries/{enquiry.pk}/"
    assert notice.params["buyer"] == "Trần Văn Phúc"
    assert "200 hũ" in notice.params["excerpt"] and "Xin báo giá sỉ" in notice.params["excerpt"]
    from ocophub.market.receivers import tell_enquiry_received

    assert tell_enquiry_received(enquiry) == []  # told once per event
    assert "200 hũ" in client.get("/market/enquiries/mine/").content.decode()


def test_a_bad_enquiry_says_what_to_fix_and_sends_nothing(client, certified, owner, buyer):
    slug = certified["honey"].search_entry.slug
    client.force_login(buyer)
    in_english(client)
    answer = client.post(
        f"/market/enquiries/new/{slug}/", {"quantity": " ", "needed_by": "2020-01-01"}
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Say how much you need, e.g. 200 jars." in page
    assert "The date needed is in the past." in page
    assert not Enquiry.objects.exists() and not Notice.objects.exists()


def test_only_buyers_send_enquiries_and_only_for_certified_products(
    client, certified, owner, buyer
):
    client.force_login(owner)
    slug = certified["honey"].search_entry.slug
    assert client.get(f"/market/enquiries/new/{slug}/").status_code == 403
    assert client.get("/market/enquiries/mine/").status_code == 403
    client.force_login(buyer)
    expired = certified["rice"].search_entry.slug
    assert client.get(f"/market/enquiries/new/{expired}/").status_code == 404
    assert client.get("/market/enquiries/").status_code == 403
    assert client.get("/market/listings/").status_code == 403


def test_the_producer_answers_in_the_app_and_the_buyer_is_told_once(
    client, certified, owner, buyer
):
    enquiry = Enquiry.objects.create(buyer=buyer, product=certified["honey"], quantity="50 hũ")
    client.force_login(owner)
    inbox = client.get("/market/enquiries/").content.decode()
    assert "50 hũ" in inbox and "Trần Văn Phúc" in inbox
    in_english(client)
    blank = client.post(f"/market/enquiries/{enquiry.pk}/answer/", {"answer": "  "})
    assert blank.status_code == 400 and "Write an answer." in blank.content.decode()
    assert not Notice.objects.filter(kind=Kind.ENQUIRY_ANSWERED).exists()
    for _twice in range(2):
        answered = client.post(
            f"/market/enquiries/{enquiry.pk}/answer/", {"answer": "Có đủ hàng, giao trong 5 ngày."}
        )
        assert answered.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.ANSWERED
    notice = Notice.objects.get(kind=Kind.ENQUIRY_ANSWERED)
    assert notice.recipient == buyer and notice.params["producer"] == "Hợp tác xã Thanh An"
    assert notice.params["excerpt"] == "Có đủ hàng, giao trong 5 ngày."
    client.force_login(buyer)
    page = client.get(f"/market/enquiries/{enquiry.pk}/").content.decode()
    assert "Có đủ hàng, giao trong 5 ngày." in page
    assert 'name="answer"' not in page  # the buyer reads, the producer answers
    inbox = client.get("/notices/").content.decode()
    assert "Hợp tác xã Thanh An answered your enquiry about “Thanh An longan honey”" in inbox


def test_answering_through_the_api_tells_the_buyer_too(client, certified, owner, buyer):
    from ocophub.accounts.models import ApiToken

    enquiry = Enquiry.objects.create(buyer=buyer, product=certified["honey"], quantity="5")
    answered = client.post(
        f"/api/v1/enquiries/{enquiry.pk}/answer",
        {"answer": "Được."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(owner)}",
    )
    assert answered.status_code == 200
    assert Notice.objects.get(kind=Kind.ENQUIRY_ANSWERED).recipient == buyer


def test_enquiries_of_others_are_not_found(client, certified, owner, buyer, elsewhere):
    enquiry = Enquiry.objects.create(buyer=buyer, product=certified["honey"], quantity="5")
    other_buyer = make_user("other-buyer", Role.BUYER)
    for user in (elsewhere["account"], other_buyer):
        client.force_login(user)
        assert client.get(f"/market/enquiries/{enquiry.pk}/").status_code == 404
        assert (
            client.post(f"/market/enquiries/{enquiry.pk}/answer/", {"answer": "x"}).status_code
            == 404
        )
    client.force_login(elsewhere["account"])
    assert "Mật ong" not in client.get("/market/enquiries/").content.decode()
    enquiry.refresh_from_db()
    assert enquiry.answer == "" and not Notice.objects.exists()


def test_the_office_sees_trade_connections_per_product_commune_and_month(
    client, certified, owner, buyer, province_officer, commune_officer, elsewhere
):
    honey = certified["honey"]
    Enquiry.objects.create(buyer=buyer, product=honey, quantity="5").answer_with("Có.")
    Enquiry.objects.create(buyer=buyer, product=honey, quantity="9")
    Enquiry.objects.create(buyer=buyer, product=elsewhere["product"], quantity="1")
    client.force_login(province_officer)
    page = client.get("/market/connections/")
    rows = page.context["rows"]
    assert [(r["key"], r["sent"], r["answered"], r["buyers"]) for r in rows] == [
        ("Mật ong hoa nhãn Thanh An", 2, 1, 1)
    ]
    by_commune = client.get("/market/connections/", {"by": "commune"}).context["rows"]
    assert [(r["key"], r["sent"]) for r in by_commune] == [("Xã Quyết Thắng", 2)]
    by_month = client.get("/market/connections/", {"by": "month"}).context["rows"]
    assert [r["sent"] for r in by_month] == [2]
    last_year = datetime.date.today().year - 1
    earlier = client.get(
        "/market/connections/", {"start": f"{last_year}-01-01", "end": f"{last_year}-12-31"}
    )
    assert earlier.context["rows"] == []
    client.force_login(commune_officer)
    assert len(client.get("/market/connections/").context["rows"]) == 1
    client.force_login(owner)
    assert client.get("/market/connections/").status_code == 403


def test_the_trade_connections_download_as_a_spreadsheet(
    client, certified, buyer, province_officer
):
    Enquiry.objects.create(buyer=buyer, product=certified["honey"], quantity="5").answer_with("Có.")
    client.force_login(province_officer)
    sheet = client.get("/market/connections/", {"by": "product", "format": "csv"})
    assert sheet["Content-Type"].startswith("text/csv")
    lines = sheet.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Sản phẩm,Chủ thể,Yêu cầu,Đã trả lời,Đã thỏa thuận,Bên mua"
    assert lines[1] == "Mật ong hoa nhãn Thanh An,Hợp tác xã Thanh An,1,1,0,1"
    assert client.get("/market/connections/", {"format": "xlsx"}).status_code == 200


def test_a_period_ending_before_it_starts_is_refused(client, province_officer):
    client.force_login(province_officer)
    in_english(client)
    answer = client.get("/market/connections/", {"start": "2025-05-01", "end": "2025-01-01"})
    assert answer.status_code == 400
    assert "The end of the period is before its start." in answer.content.decode()


def test_the_nav_offers_each_role_its_market_pages(
    client, certified, owner, buyer, province_officer
):
    client.force_login(owner)
    page = client.get("/market/listings/").content.decode()
    assert 'href="/market/enquiries/"' in page and 'href="/market/connections/"' not in page
    client.force_login(province_officer)
    page = client.get("/market/listings/").content.decode()
    assert 'href="/market/"' in page  # the figures, which lead to the rest
    page = client.get("/market/").content.decode()
    assert 'href="/market/connections/"' in page and 'href="/market/enquiries/"' in page
    client.force_login(buyer)
    page = client.get("/market/enquiries/mine/").content.decode()
    assert 'href="/market/enquiries/mine/"' in page and 'href="/market/listings/"' not in page
