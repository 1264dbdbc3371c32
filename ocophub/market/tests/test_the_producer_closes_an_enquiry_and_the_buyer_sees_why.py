import pytest

from ocophub.accounts.models import ApiToken, Role
from ocophub.conftest import current_commune, make_user
from ocophub.market.models import ClosedReason, Enquiry, EnquiryStatus


@pytest.fixture
def owner(certified):
    user = make_user("thanhan", Role.PRODUCER)
    certified["producer"].accounts.add(user)
    return user


@pytest.fixture
def buyer(db):
    return make_user("buyer", Role.BUYER, first_name="Phúc", last_name="Trần Văn")


@pytest.fixture
def enquiry(certified, buyer):
    return Enquiry.objects.create(buyer=buyer, product=certified["honey"], quantity="50 hũ")


def in_english(client):
    client.cookies["django_language"] = "en"


def test_the_producer_closes_an_answered_enquiry_and_the_buyer_sees_why(
    client, owner, buyer, enquiry
):
    enquiry.answer_with("Có đủ hàng.")
    client.force_login(owner)
    page = client.get(f"/market/enquiries/{enquiry.pk}/").content.decode()
    assert 'name="closed_reason"' in page and "Đóng yêu cầu" in page
    closed = client.post(
        f"/market/enquiries/{enquiry.pk}/close/",
        {"closed_reason": "agreed", "closed_note": "Giao 50 hũ ngày 10/12."},
    )
    assert closed.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.closed_reason) == (EnquiryStatus.CLOSED, ClosedReason.AGREED)
    assert enquiry.closed_at is not None and enquiry.answer == "Có đủ hàng."
    # Closed: no more answering, no closing twice, on the page or by a stray post.
    in_english(client)
    page = client.get(f"/market/enquiries/{enquiry.pk}/").content.decode()
    assert 'name="answer"' not in page and 'name="closed_reason"' not in page
    again = client.post(f"/market/enquiries/{enquiry.pk}/answer/", {"answer": "Còn hàng."})
    assert again.status_code == 400
    assert "This enquiry is closed: it takes no answer." in again.content.decode()
    twice = client.post(f"/market/enquiries/{enquiry.pk}/close/", {"closed_reason": "other"})
    assert twice.status_code == 400 and "already closed" in twice.content.decode()
    enquiry.refresh_from_db()
    assert (enquiry.answer, enquiry.closed_reason) == ("Có đủ hàng.", "agreed")
    client.force_login(buyer)
    in_english(client)
    mine = client.get("/market/enquiries/mine/").content.decode()
    assert 'data-status="closed"' in mine and "Agreed: the sale goes ahead" in mine
    detail = client.get(f"/market/enquiries/{enquiry.pk}/").content.decode()
    assert "Giao 50 hũ ngày 10/12." in detail and 'name="closed_reason"' not in detail


def test_closing_without_a_reason_says_so_in_vietnamese_and_changes_nothing(client, owner, enquiry):
    client.force_login(owner)
    blank = client.post(f"/market/enquiries/{enquiry.pk}/close/", {"closed_note": "x"})
    assert blank.status_code == 400
    assert "Cho biết vì sao đóng yêu cầu." in blank.content.decode()
    in_english(client)
    other = client.post(f"/market/enquiries/{enquiry.pk}/close/", {"closed_reason": "other"})
    assert other.status_code == 400 and "Write the reason in the note." in other.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.OPEN and enquiry.closed_reason == ""


def test_only_the_producers_accounts_close_an_enquiry(
    client, certified, buyer, enquiry, make_producer, province_officer
):
    stranger = make_user("hanoi", Role.PRODUCER)
    make_producer(name="HTX Hà Nội", commune=current_commune(4), account=stranger)
    # The buyer and the office read it; neither closes it; another producer sees nothing.
    for user, reads in ((buyer, 200), (province_officer, 200), (stranger, 404)):
        client.force_login(user)
        page = client.get(f"/market/enquiries/{enquiry.pk}/")
        assert page.status_code == reads
        assert 'name="closed_reason"' not in page.content.decode()
        refused = client.post(
            f"/market/enquiries/{enquiry.pk}/close/", {"closed_reason": "no_reply"}
        )
        assert refused.status_code == 404, user.username
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.OPEN


def test_the_producer_closes_an_enquiry_through_the_api(client, owner, buyer, enquiry):
    url = f"/api/v1/enquiries/{enquiry.pk}/close"
    as_buyer = client.post(
        url,
        {"closed_reason": "withdrawn"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(buyer)}",
    )
    assert as_buyer.status_code == 404
    auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(owner)}"}
    bad = client.post(url, {"closed_reason": "sold"}, content_type="application/json", **auth)
    assert bad.status_code == 400 and "closed_reason" in bad.json()["errors"]
    closed = client.post(
        url, {"closed_reason": "cannot_supply"}, content_type="application/json", **auth
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_reason"] == "cannot_supply"
    again = client.post(
        url, {"closed_reason": "cannot_supply"}, content_type="application/json", **auth
    )
    assert again.status_code == 400
