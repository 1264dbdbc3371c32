import pytest
from django.core import mail

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.market.models import Enquiry
from ocophub.notices.models import Kind, Notice, Preferences


@pytest.fixture
def owner(certified):
    user = make_user("thanhan", Role.PRODUCER, email="thanhan@example.vn")
    certified["producer"].accounts.add(user)
    return user


@pytest.fixture
def buyer(db):
    return make_user("buyer", Role.BUYER, first_name="Phúc", email="phuc@example.vn")


@pytest.fixture
def enquiry(certified, buyer):
    return Enquiry.objects.create(buyer=buyer, product=certified["honey"], quantity="50 hũ")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://ocop.example.vn"


def close(client, enquiry, **data):
    return client.post(f"/market/enquiries/{enquiry.pk}/close/", data)


def test_the_buyer_is_told_once_in_vietnamese_with_the_reason_the_note_and_a_link(
    client, owner, buyer, enquiry, django_capture_on_commit_callbacks
):
    other_buyer = make_user("other-buyer", Role.BUYER, email="other@example.vn")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        closed = close(client, enquiry, closed_reason="agreed", closed_note="Giao ngày 10/12.")
    assert closed.status_code == 302
    notice = Notice.objects.get(kind=Kind.ENQUIRY_CLOSED)
    assert notice.recipient == buyer and notice.url == f"/market/enquiries/{enquiry.pk}/"
    assert not Notice.objects.filter(recipient__in=[owner, other_buyer]).exists()
    (letter,) = mail.outbox
    assert letter.to == ["phuc@example.vn"]
    assert (
        letter.subject
        == "Hợp tác xã Thanh An đã đóng yêu cầu của bạn về “Mật ong hoa nhãn Thanh An”"
    )
    assert "Lý do: Đã thỏa thuận: tiến hành mua bán." in letter.body
    assert "Hợp tác xã Thanh An ghi thêm: Giao ngày 10/12." in letter.body
    assert f"https://ocop.example.vn/market/enquiries/{enquiry.pk}/" in letter.body
    client.force_login(buyer)
    inbox = client.get("/notices/").content.decode()
    assert "đã đóng yêu cầu của bạn" in inbox and "Đã thỏa thuận: tiến hành mua bán" in inbox
    assert client.get(f"/market/enquiries/{enquiry.pk}/").status_code == 200

    # Closing again is refused and tells nobody anything more.
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert close(client, enquiry, closed_reason="other", closed_note="x").status_code == 400
    assert Notice.objects.filter(kind=Kind.ENQUIRY_CLOSED).count() == 1
    assert len(mail.outbox) == 1


def test_an_english_preferring_buyer_reads_the_reason_in_english_without_a_note(
    client, owner, buyer, enquiry, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=buyer, language="en")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert close(client, enquiry, closed_reason="cannot_supply").status_code == 302
    (letter,) = mail.outbox
    assert letter.subject == "Hợp tác xã Thanh An closed your enquiry about “Thanh An longan honey”"
    assert letter.body.startswith("Reason: We cannot supply it.\n")
    assert "adds" not in letter.body


def test_a_refused_close_tells_the_buyer_nothing(client, owner, enquiry):
    client.force_login(owner)
    assert close(client, enquiry, closed_reason="other").status_code == 400
    assert not Notice.objects.exists()
