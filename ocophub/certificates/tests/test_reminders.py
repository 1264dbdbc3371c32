import datetime
import io

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command

from ocophub.accounts.models import Role
from ocophub.certificates.issuing import revoke
from ocophub.certificates.models import CertificateReminder
from ocophub.conftest import (
    CHI_DAO,
    QUYET_THANG,
    VU_BAN,
    current_commune,
    legacy_commune,
    make_user,
)
from ocophub.products.models import Lifecycle

D = datetime.date


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://ocop.example.vn"


@pytest.fixture
def honey(make_producer, make_product, producer_account):
    """Here the product of a legacy commune that maps to a current one (Chí Đạo became
    part of Quyết Thắng), so its commune officer is known."""
    producer = make_producer(
        commune=legacy_commune(CHI_DAO), name="Hợp tác xã Thanh An", account=producer_account
    )
    return make_product(producer, name="Mật ong Thanh An")


@pytest.fixture
def people(producer_account, province_officer, other_province_officer, phu_tho):
    producer_account.email = "htx@thanhan.vn"
    producer_account.save()
    province_officer.email = "ocop@phutho.gov.vn"
    province_officer.save()
    other_province_officer.email = "ocop@hanoi.gov.vn"
    other_province_officer.save()
    officer = make_user("quyetthang", Role.COMMUNE_OFFICER, province=phu_tho, email="xa@qt.vn")
    officer.communes.set([current_commune(QUYET_THANG)])
    elsewhere = make_user("vuban", Role.COMMUNE_OFFICER, province=phu_tho, email="xa@vb.vn")
    elsewhere.communes.set([current_commune(VU_BAN)])
    make_user("noemail", Role.PROVINCE_OFFICE, province=phu_tho)
    stranger = make_user("stranger", Role.PRODUCER, email="other@producer.vn")
    stranger.save()


def run(day, *extra):
    out = io.StringIO()
    call_command("send_certificate_reminders", "--date", day.isoformat(), *extra, stdout=out)
    return out.getvalue()


def test_reminds_producer_and_responsible_officers_once_per_threshold(honey, issue, people):
    cert = issue(honey, valid_from=D(2024, 3, 15))  # valid until 14/03/2027
    run(D(2026, 12, 14))  # 90 days left: outside the window
    assert mail.outbox == []
    run(D(2026, 12, 15))  # 89 days left
    assert sorted(m.to[0] for m in mail.outbox) == [
        "htx@thanhan.vn",
        "ocop@phutho.gov.vn",
        "xa@qt.vn",
    ]
    message = mail.outbox[0]
    assert cert.number in message.subject
    assert "14/03/2027" in message.subject
    assert "Mật ong Thanh An" in message.body
    assert f"https://ocop.example.vn/verify/{cert.number}" in message.body
    assert "còn 89 ngày" in message.body  # Vietnamese by default

    run(D(2026, 12, 16))
    run(D(2027, 1, 20))
    assert len(mail.outbox) == 3  # nothing new until the next threshold
    run(D(2027, 2, 13))  # 29 days left
    assert len(mail.outbox) == 6
    run(D(2027, 2, 14))
    run(D(2027, 3, 8))  # 6 days left
    assert len(mail.outbox) == 9
    assert sorted(CertificateReminder.objects.values_list("threshold_days", flat=True)) == [
        7,
        30,
        90,
    ]


def test_late_first_run_sends_only_the_current_threshold(honey, issue, people):
    issue(honey, valid_from=D(2024, 3, 15))
    run(D(2027, 3, 1))  # 13 days left
    assert len(mail.outbox) == 3
    assert list(CertificateReminder.objects.values_list("threshold_days", flat=True)) == [30]


def test_dry_run_sends_and_records_nothing(honey, issue, people):
    issue(honey, valid_from=D(2024, 3, 15))
    out = run(D(2027, 3, 1), "--dry-run")
    assert "would send" in out
    assert mail.outbox == []
    assert not CertificateReminder.objects.exists()


def test_no_recipient_is_reported_not_recorded(make_producer, make_product, issue):
    # A producer without an account, in a commune without officers: nobody to tell.
    lonely = make_product(make_producer(commune=legacy_commune(VU_BAN)), name="Chè Vũ Bản")
    cert = issue(lonely, valid_from=D(2024, 3, 15))
    out = run(D(2027, 3, 1))
    assert f"{cert.number}: nobody" in out
    assert not CertificateReminder.objects.exists()


def test_people_without_an_address_are_reminded_in_their_inbox(honey, issue, producer_account):
    cert = issue(honey, valid_from=D(2024, 3, 15))
    out = run(D(2027, 3, 1))
    assert f"{cert.number}: 30-day reminder sent to the inbox only" in out
    assert mail.outbox == []
    notice = producer_account.notices.get(kind="certificate_expiring")
    assert (
        notice.title
        == f"Giấy chứng nhận {cert.number} của “Mật ong Thanh An” hết hạn ngày 14/03/2027"
    )
    assert "Còn 13 ngày" in notice.body
    run(D(2027, 3, 2))
    assert producer_account.notices.filter(kind="certificate_expiring").count() == 1


def test_everyone_told_gets_an_inbox_notice_per_threshold(honey, issue, people, producer_account):
    issue(honey, valid_from=D(2024, 3, 15))
    run(D(2026, 12, 15))
    run(D(2027, 2, 13))
    notices = producer_account.notices.filter(kind="certificate_expiring")
    assert notices.count() == 2
    # The province office of another province hears nothing.
    from ocophub.accounts.models import User

    assert not User.objects.get(username="hanoi").notices.exists()
    assert (
        User.objects.get(username="quyetthang").notices.filter(kind="certificate_expiring").count()
        == 2
    )


def test_a_person_who_keeps_expiry_notices_to_the_inbox_gets_no_letter(
    honey, issue, people, producer_account
):
    from ocophub.notices.models import Preferences

    Preferences.objects.create(user=producer_account, inbox_only=["certificate_expiring"])
    issue(honey, valid_from=D(2024, 3, 15))
    run(D(2027, 3, 1))
    assert sorted(m.to[0] for m in mail.outbox) == ["ocop@phutho.gov.vn", "xa@qt.vn"]
    assert producer_account.notices.filter(kind="certificate_expiring").count() == 1


def test_failed_send_is_not_recorded(honey, issue, people, monkeypatch):
    def broken(self, messages):
        raise OSError("SMTP down")

    issue(honey, valid_from=D(2024, 3, 15))
    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    with pytest.raises(OSError):
        run(D(2027, 3, 1))
    assert not CertificateReminder.objects.exists()


def test_revoked_and_superseded_certificates_get_no_reminder(honey, issue, people):
    cert = issue(honey, valid_from=D(2024, 3, 15))
    revoke(cert, D(2026, 12, 1), "Vi phạm")
    run(D(2027, 3, 1))
    assert mail.outbox == []


def test_expired_products_are_synced(honey, issue):
    issue(honey, valid_from=D(2024, 3, 15))
    out = run(D(2027, 3, 14))
    honey.refresh_from_db()
    assert honey.status == Lifecycle.CERTIFIED
    out = run(D(2027, 3, 15))
    honey.refresh_from_db()
    assert (honey.status, honey.stars) == (Lifecycle.EXPIRED, None)
    assert "product updated: Mật ong Thanh An" in out


def test_certificate_starting_later_updates_stars_on_its_day(honey, issue):
    issue(honey, stars=3, valid_from=D(2024, 3, 15))
    issue(honey, stars=4, valid_from=D(2099, 1, 1))
    honey.refresh_from_db()
    assert honey.stars == 3
    run(D(2099, 1, 1))
    honey.refresh_from_db()
    assert honey.stars == 4


def test_bad_date_is_a_clear_error(db):
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_certificate_reminders", "--date", "31/12/2026")
