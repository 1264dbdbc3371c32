import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.notices.models import Kind, Notice, Preferences
from ocophub.notices.sending import notify

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://ocop.example.vn"


@pytest.fixture
def member(db):
    return make_user("council1", Role.COUNCIL_MEMBER, email="tv1@phutho.gov.vn")


@pytest.fixture
def other(db):
    return make_user("council2", Role.COUNCIL_MEMBER, email="tv2@phutho.gov.vn")


def needs_score(users, event="dossier:1:council:1"):
    return notify(
        users,
        Kind.SCORE_NEEDED,
        event,
        {
            "product": "Mật ong Thanh An",
            "producer": "HTX Thanh An",
            "council": "Hội đồng tỉnh",
        },
        url="/evaluation/dossiers/1/",
    )


def test_the_same_event_notifies_each_person_once_and_mails_once(
    member, other, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = needs_score([member, other])
        again = needs_score([member, other])
        needs_score([member])
    assert len(first) == 2 and again == []
    assert Notice.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["tv1@phutho.gov.vn", "tv2@phutho.gov.vn"]
    # A different event is a new notice.
    with django_capture_on_commit_callbacks(execute=True):
        needs_score([member], event="dossier:2:council:1")
    assert member.notices.count() == 2
    assert len(mail.outbox) == 3


def test_the_database_refuses_a_second_notice_for_one_event(member):
    needs_score([member])
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            recipient=member, kind=Kind.SCORE_NEEDED, event="dossier:1:council:1", message="x"
        )


def test_the_email_is_written_in_the_recipients_language_with_a_link(
    member, other, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=other, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        needs_score([member, other])
    by_address = {m.to[0]: m for m in mail.outbox}
    vi = by_address["tv1@phutho.gov.vn"]
    assert vi.subject == "“Mật ong Thanh An” chờ bạn chấm điểm"
    assert "Mật ong Thanh An (HTX Thanh An) đã được chuyển lên Hội đồng tỉnh" in vi.body
    assert "https://ocop.example.vn/evaluation/dossiers/1/" in vi.body
    assert "https://ocop.example.vn/notices/settings/" in vi.body
    en = by_address["tv2@phutho.gov.vn"]
    assert en.subject == "“Mật ong Thanh An” needs your score"
    assert "is before Hội đồng tỉnh and waits for your score." in en.body


def test_a_kind_kept_to_the_inbox_is_not_mailed_but_still_shown(
    client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    data = {"language": "vi"}
    data.update({f"email_{k}": "on" for k in Kind.values if k != Kind.SCORE_NEEDED})
    response = client.post("/notices/settings/", data)
    assert response.status_code == 302
    assert Preferences.objects.get(user=member).inbox_only == [Kind.SCORE_NEEDED]

    with django_capture_on_commit_callbacks(execute=True):
        needs_score([member])
        notify([member], Kind.CERTIFICATE_ISSUED, "certificate:9", {"number": "X", "product": "Y"})
    assert [m.subject for m in mail.outbox] == ["Đã cấp giấy chứng nhận X cho “Y”"]
    assert member.notices.count() == 2
    page = client.get("/notices/").content.decode()
    assert "“Mật ong Thanh An” chờ bạn chấm điểm" in page

    settings_page = client.get("/notices/settings/").content.decode()
    assert 'name="email_score_needed"' in settings_page
    assert 'name="email_score_needed" id="id_email_score_needed" checked' not in settings_page
    assert 'name="email_certificate_issued" id="id_email_certificate_issued" checked' in (
        settings_page
    )


def test_nobody_without_an_address_is_mailed(db, django_capture_on_commit_callbacks):
    user = make_user("noemail", Role.PRODUCER)
    with django_capture_on_commit_callbacks(execute=True):
        needs_score([user])
    assert mail.outbox == []
    assert user.notices.count() == 1


def test_a_person_sees_and_changes_only_their_own_notices(client, member, other):
    mine = needs_score([member])[0]
    theirs = needs_score([other], event="dossier:7:council:1")[0]
    client.force_login(member)

    page = client.get("/notices/").content.decode()
    assert page.count('class="notice unread"') == 1
    assert f"/notices/{mine.pk}/" in page
    assert f"/notices/{theirs.pk}/" not in page

    assert client.get(f"/notices/{theirs.pk}/").status_code == 404
    assert client.post(f"/notices/{theirs.pk}/read/").status_code == 404
    client.post("/notices/read-all/")
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is None
    assert mine.read_at is not None


def test_opening_a_notice_marks_it_read_and_leads_to_its_page(client, member):
    notice = needs_score([member])[0]
    client.force_login(member)
    response = client.get(f"/notices/{notice.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/evaluation/dossiers/1/"
    notice.refresh_from_db()
    assert notice.is_read

    client.post(f"/notices/{notice.pk}/read/", {"unread": "1"})
    notice.refresh_from_db()
    assert not notice.is_read


def test_the_header_badge_counts_unread_notices(client, member):
    client.force_login(member)
    page = client.get("/notices/").content.decode()
    assert 'class="count"' not in page
    needs_score([member])
    needs_score([member], event="dossier:2:council:1")
    page = client.get("/products/").content.decode()
    assert '<span class="count">2</span>' in page
    assert "Thông báo: 2 chưa đọc" in page
    client.post("/notices/read-all/")
    assert 'class="count"' not in client.get("/products/").content.decode()


def test_a_notice_reads_in_the_language_of_the_page(client, member):
    needs_score([member])
    client.force_login(member)
    vi = client.get("/notices/").content.decode()
    assert "Hồ sơ sản phẩm Mật ong Thanh An (HTX Thanh An)" in vi
    client.cookies["django_language"] = "en"
    en = client.get("/notices/", **EN).content.decode()
    assert "The dossier of Mật ong Thanh An (HTX Thanh An) is before Hội đồng tỉnh" in en
    assert "Mark all read" in en


def test_an_english_name_given_with_the_notice_shows_on_english_pages(client, member):
    notify(
        [member],
        Kind.CERTIFICATE_ISSUED,
        "certificate:1",
        {
            "number": "OCOP-1",
            "product": "Mật ong Thanh An",
            "product_en": "Thanh An honey",
            "stars": 4,
            "from_day": "2026-01-05",
            "until_day": "2029-01-04",
        },
    )
    client.force_login(member)
    client.cookies["django_language"] = "en"
    en = client.get("/notices/", **EN).content.decode()
    assert "Certificate OCOP-1 issued for “Thanh An honey”" in en
    assert "valid from 05/01/2026 until 04/01/2029" in en


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/notices/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
