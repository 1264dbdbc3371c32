"""Account self-service: a signed-in person changes their password; someone who forgot
it gets a link by e-mail (the locmem backend keeps the letter) and sets a new one."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from ocophub.accounts.models import Role
from ocophub.conftest import make_user


@pytest.fixture(autouse=True)
def letters_kept(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def officer(phu_tho):
    return make_user(
        "lan",
        Role.PROVINCE_OFFICE,
        province=phu_tho,
        email="lan@example.vn",
        first_name="Lan",
        last_name="Nguyễn Thị",
    )


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_person_changes_their_password_from_their_profile(client, officer):
    client.force_login(officer)
    english(client)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:password_change") in profile
    wrong = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "not-it",
            "new_password1": "Mật-khẩu-mới-2026",
            "new_password2": "Mật-khẩu-mới-2026",
        },
    )
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "Mật-khẩu-mới-2026",
            "new_password2": "Mật-khẩu-mới-2026",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    officer.refresh_from_db()
    assert officer.check_password("Mật-khẩu-mới-2026")
    # The session stays signed in after the change.
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_changing_a_password_needs_a_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_forgotten_password_is_reset_by_a_link_sent_by_email(client, officer):
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login_page
    response = client.post(reverse("accounts:password_reset"), {"email": "lan@example.vn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["lan@example.vn"]
    # Vietnamese by default, addressed by the person's full name.
    assert letter.subject == "Mật khẩu mới cho OCOP Hub"
    assert "Nguyễn Thị Lan" in letter.body and "lan" in letter.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+)", letter.body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(
        set_url, {"new_password1": "Ong-mat-Thanh-An-9", "new_password2": "Ong-mat-Thanh-An-9"}
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    officer.refresh_from_db()
    assert officer.check_password("Ong-mat-Thanh-An-9")
    # The link works once.
    again = english(client).get(link, follow=True).content.decode()
    assert "This link does not work any more" in again


def test_an_unknown_address_gets_the_same_answer_and_no_letter(client, officer):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.vn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_the_letter_follows_the_language_of_the_page(client, officer):
    english(client).post(reverse("accounts:password_reset"), {"email": "lan@example.vn"})
    assert mail.outbox[0].subject == "A new password for OCOP Hub"
    assert "Someone asked for a new password" in mail.outbox[0].body


def test_the_self_service_pages_read_in_vietnamese(client, officer):
    html = client.get(reverse("accounts:password_reset")).content.decode()
    assert "Quên mật khẩu?" in html
    client.force_login(officer)
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert "Đổi mật khẩu" in html
    assert "Mật khẩu cũ" in html  # Django's own field labels, translated
