"""Rate limits: past the rate for an endpoint a client address gets 429 with Retry-After,
a page in the site's look (Vietnamese, or English after the switch) or the API's JSON
error; addresses count apart; a refused bearer token counts against the token rate; a
cache that cannot be reached lets requests through."""

import io
import os

import pytest
from django.core.cache import caches
from django.core.management import call_command

EN = {"HTTP_COOKIE": "django_language=en"}
SCAN = "/01/08930000000019/10/LOT1"


@pytest.fixture
def limits(settings):
    """Tight rates for the test: `limits(scan="2/d")`."""

    def tighten(**rates):
        settings.RATE_LIMITS = {
            name: {**rule, "rate": rates.get(name, rule["rate"])}
            for name, rule in settings.RATE_LIMITS.items()
        }

    return tighten


@pytest.mark.django_db
def test_login_attempts_past_the_rate_answer_429_in_vietnamese(client, limits):
    limits(login="3/d")
    for _ in range(3):
        answer = client.post("/accounts/login/", {"username": "x", "password": "wrong"})
        assert answer.status_code == 200
    refused = client.post("/accounts/login/", {"username": "x", "password": "wrong"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 24 * 3600
    assert refused["Cache-Control"] == "no-store"
    page = refused.content.decode()
    assert "Quá nhiều yêu cầu" in page and 'lang="vi"' in page
    assert "core/app.css" in page
    # Reading the login page is not an attempt.
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.django_db
def test_password_reset_requests_past_the_rate_answer_429_and_send_no_more_mail(
    client, limits, mailoutbox, django_user_model
):
    django_user_model.objects.create_user("lan", email="lan@example.vn", password="x-9-long-pw")
    limits(password_reset="2/h")
    for _ in range(2):
        sent = client.post("/accounts/password/reset/", {"email": "lan@example.vn"})
        assert sent.status_code == 302
    refused = client.post("/accounts/password/reset/", {"email": "lan@example.vn"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) <= 3600
    assert len(mailoutbox) == 2
    assert client.get("/accounts/password/reset/").status_code == 200


@pytest.mark.django_db
def test_the_refusal_page_speaks_english_after_the_switch(client, limits):
    limits(scan="1/d")
    client.get(SCAN, **EN)
    page = client.get(SCAN, **EN)
    assert page.status_code == 429
    assert "Too many requests" in page.content.decode()


@pytest.mark.django_db
def test_scan_pages_count_per_client_address(client, limits, settings):
    limits(scan="2/d")
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    shopper, neighbour = {"HTTP_X_REAL_IP": "203.0.113.7"}, {"HTTP_X_REAL_IP": "203.0.113.8"}
    assert [client.get(SCAN, **shopper).status_code for _ in range(3)][-1] == 429
    assert client.get(SCAN, **neighbour).status_code != 429
    # IPv6 phones share their /64: one household, one count.
    first, second = {"HTTP_X_REAL_IP": "2001:db8::1"}, {"HTTP_X_REAL_IP": "2001:db8::2"}
    client.get(SCAN, **first)
    client.get(SCAN, **first)
    assert client.get(SCAN, **second).status_code == 429


@pytest.mark.django_db
def test_the_api_answers_429_in_its_json_error_shape(client, limits):
    limits(search="2/d")
    for _ in range(2):
        assert client.get("/api/v1/catalogue").status_code == 200
    refused = client.get("/api/v1/catalogue", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "Too many requests" in refused.json()["detail"]
    assert int(refused["Retry-After"]) >= 1


@pytest.mark.django_db
def test_refused_bearer_tokens_count_until_tokens_are_refused_outright(
    client, limits, province_officer
):
    limits(api_token="2/h")
    printed = io.StringIO()
    call_command("api_token", province_officer.username, stdout=printed)
    token = printed.getvalue().strip()
    wrong = {"HTTP_AUTHORIZATION": "Bearer ocop_guessed"}
    right = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/epcis/capture", **right).status_code == 200
    assert client.get("/api/v1/epcis/capture", **wrong).status_code == 401
    assert client.get("/api/v1/epcis/capture", **wrong).status_code == 401
    assert client.get("/api/v1/epcis/capture", **wrong).status_code == 429
    # From this address no token is tried for the rest of the window; reads without one go on.
    assert client.get("/api/v1/epcis/capture", **right).status_code == 429
    assert client.get("/api/v1/catalogue").status_code == 200


@pytest.mark.django_db
def test_limits_can_be_turned_off(client, limits, settings):
    limits(scan="1/d")
    settings.RATE_LIMITS_ENABLED = False
    assert {client.get(SCAN).status_code for _ in range(3)} != {429}


@pytest.mark.django_db
def test_an_unreachable_cache_lets_requests_through(client, limits, settings):
    limits(scan="1/d")
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    assert [client.get(SCAN).status_code for _ in range(3)].count(429) == 0


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (make test)")
def test_counts_live_in_the_shared_redis_cache(client, limits):
    limits(scan="2/d")
    cache = caches["ratelimit"]
    assert type(cache).__name__ == "RedisCache"
    statuses = [client.get(SCAN).status_code for _ in range(3)]
    assert statuses[-1] == 429 and 429 not in statuses[:2]
    # Another worker (a fresh client of the same Redis) sees the same count.
    keys = cache._cache.get_client().keys("ocop-rl:*")
    assert keys
