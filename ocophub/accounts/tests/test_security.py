"""Passwords, log-in throttling, CSRF and the audit history of every write."""

import pytest
from django.test import Client

from ocophub.accounts.models import User

pytestmark = pytest.mark.django_db


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(province_officer):
    stored = User.objects.get(pk=province_officer.pk).password
    assert stored.startswith("argon2$argon2id$")
    assert "pw-for-tests-1" not in stored
    assert province_officer.check_password("pw-for-tests-1")


def test_logging_in_and_out(client, province_officer):
    response = log_in(client, "province", "pw-for-tests-1")
    assert response.status_code == 302 and response["Location"] == "/start/"
    assert client.get("/accounts/me/").status_code == 200
    # Log-out is a POST (a link cannot sign someone out).
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/accounts/me/").status_code == 302


def test_five_failed_logins_lock_the_account_from_that_address(client, province_officer):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for _attempt in range(4):
        response = log_in(client, "province", "wrong")
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
    locked = log_in(client, "province", "wrong")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    # Even the right password is refused while locked.
    response = log_in(client, "province", "pw-for-tests-1")
    assert response.status_code == 429
    assert client.get("/accounts/me/").status_code == 302
    # Another address is not locked out.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert log_in(other, "province", "pw-for-tests-1").status_code == 302


def test_lockout_page_is_vietnamese_by_default(client, province_officer):
    for _attempt in range(5):
        response = log_in(client, "province", "wrong")
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_a_successful_login_resets_the_failure_count(client, province_officer):
    for _attempt in range(4):
        log_in(client, "province", "wrong")
    assert log_in(client, "province", "pw-for-tests-1").status_code == 302
    client.post("/accounts/logout/")
    for _attempt in range(4):
        assert log_in(client, "province", "wrong").status_code == 200


def test_forms_need_the_csrf_token(province_officer):
    browser = Client(enforce_csrf_checks=True)
    assert log_in(browser, "province", "pw-for-tests-1").status_code == 403
    page = browser.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = browser.post(
        "/accounts/login/",
        {"username": "province", "password": "pw-for-tests-1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    # Session cookies are not readable by scripts.
    assert response.cookies["sessionid"]["httponly"]


def test_profile_issues_and_revokes_api_tokens(client, province_officer):
    client.force_login(province_officer)
    page = client.post("/accounts/me/", {"name": "laptop"})
    token = page.context["new_token"]
    assert token.startswith("ocop_") and token in page.content.decode()
    api = Client(headers={"Authorization": f"Bearer {token}"})
    body = {
        "kind": "cooperative",
        "name": "X",
        "registration_number": "1",
        "representative": "A",
        "commune": "legacy:5275",
    }
    assert api.post("/api/v1/producers", body, content_type="application/json").status_code == 400
    # The token is stored only as a digest.
    stored = province_officer.api_tokens.get()
    assert token not in (stored.digest, stored.prefix) and stored.last_used is not None
    client.post("/accounts/me/", {"revoke": stored.pk})
    assert api.post("/api/v1/producers", body, content_type="application/json").status_code == 401
