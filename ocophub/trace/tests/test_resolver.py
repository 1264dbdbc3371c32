"""The resolver at /01/...: status codes, redirects, scan page, linkset, scan counts."""

import datetime
import re

import pytest
from django.conf import settings as conf
from django.core.cache import caches
from django.db import DatabaseError
from django.db.backends.utils import CursorWrapper
from django.test import TestCase
from django.utils import timezone

from ocophub.products.models import Lifecycle
from ocophub.testing.builders import make_batch
from ocophub.trace import scan_buffer
from ocophub.trace.models import ScanCount
from ocophub.trace.services import add_serials, record_step
from ocophub.trace.views.resolver import device_class

from .conftest import GTIN_HONEY

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1"


def test_malformed_link_is_400_with_the_reason(client):
    response = client.get("/01/08930000000018", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "check digit" in response.content.decode()
    assert "should be 9" in response.content.decode()


def test_bad_date_attribute_is_400(client, honey):
    response = client.get(f"/01/{GTIN_HONEY}?17=271332", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "month 13" in response.content.decode()


def test_well_formed_but_unknown_is_404(client, honey):
    assert client.get("/01/09520123456788").status_code == 404
    assert client.get(f"/01/{GTIN_HONEY}/10/NOLOT").status_code == 404
    assert client.get(f"/01/{GTIN_HONEY}/21/NOSERIAL").status_code == 404
    assert client.get("/414/9520123456788").status_code == 404


def test_gtin13_and_short_names_redirect_to_canonical(client, honey):
    response = client.get(f"/01/{GTIN_HONEY[1:]}")
    assert response.status_code == 301 and response.url == f"/01/{GTIN_HONEY}"
    response = client.get(f"/gtin/{GTIN_HONEY}/lot/L1?17=270630")
    assert response.status_code == 301 and response.url == f"/01/{GTIN_HONEY}/10/L1?17=270630"
    response = client.get(f"/01/{GTIN_HONEY}/")
    assert response.status_code == 301 and response.url == f"/01/{GTIN_HONEY}"


def test_known_product_shows_scan_page_with_valid_certificate(client, honey, honey_certificate):
    response = client.get(f"/01/{GTIN_HONEY}?lang=en", HTTP_USER_AGENT=PHONE)
    assert response.status_code == 200
    html = response.content.decode()
    until = honey_certificate.valid_until.strftime("%d/%m/%Y")
    assert "Thanh An honey" in html
    assert 'data-status="valid"' in html
    assert "VALID" in html and f"Valid until {until}" in html
    assert "★★★" in html
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert "linkset" in response["Link"]


def test_scan_is_counted_without_personal_data(client, honey, honey_certificate):
    for _ in range(3):
        client.get(f"/01/{GTIN_HONEY}", HTTP_USER_AGENT=PHONE, REMOTE_ADDR="203.0.113.9")
    client.get(f"/01/{GTIN_HONEY}?lang=en", HTTP_USER_AGENT="curl/8.0")
    scan_buffer.flush()  # counts are written in batches every few seconds
    counts = {
        (c.path, c.device, c.language): c.count
        for c in ScanCount.objects.filter(day=timezone.localdate())
    }
    assert counts == {
        (f"/01/{GTIN_HONEY}", "phone", "vi"): 3,
        (f"/01/{GTIN_HONEY}", "bot", "en"): 1,
    }
    stored = " ".join(str(v) for row in ScanCount.objects.values() for v in row.values())
    assert "203.0.113.9" not in stored and "iPhone" not in stored


def test_expired_and_revoked_cannot_be_misread(client, honey, honey_certificate):
    honey_certificate.valid_from = datetime.date(2020, 1, 1)
    honey_certificate.valid_until = datetime.date(2022, 12, 31)
    honey_certificate.save()
    html = client.get(f"/01/{GTIN_HONEY}?lang=en").content.decode()
    assert 'data-status="bad"' in html and "EXPIRED" in html and "31/12/2022" in html
    assert "★" not in html.split("<h1>")[1].split("</section>")[0]

    honey_certificate.valid_until = timezone.localdate() + datetime.timedelta(days=500)
    honey_certificate.revoked_on = timezone.localdate() - datetime.timedelta(days=1)
    honey_certificate.save()
    html = client.get(f"/01/{GTIN_HONEY}?lang=en").content.decode()
    assert 'data-status="bad"' in html and "REVOKED" in html
    assert "VALID" not in html.replace("NOT YET VALID", "")


def test_batch_and_serial_pages(client, honey, honey_certificate, honey_batch):
    html = client.get(f"/01/{GTIN_HONEY}/10/MO2025-07?lang=en").content.decode()
    assert "MO2025-07" in html and "01/07/2025" in html and "30/06/2027" in html
    # The commissioning event recorded when the batch was made is on the timeline.
    assert "Produced and labelled" in html
    serial = add_serials(honey_batch, 1)[0]
    html = client.get(f"/01/{GTIN_HONEY}/21/{serial.serial}?lang=en").content.decode()
    assert serial.serial in html and "MO2025-07" in html
    # A lot given with the serial must be the serial's own.
    assert client.get(f"/01/{GTIN_HONEY}/10/OTHER/21/{serial.serial}").status_code == 404
    assert client.get(f"/01/{GTIN_HONEY}/10/MO2025-07/21/{serial.serial}").status_code == 200


def test_origin_commune_shows_old_and_current_name(client, honey, honey_batch):
    html = client.get(f"/01/{GTIN_HONEY}/10/MO2025-07?lang=en").content.decode()
    origin = honey.commune
    assert origin.name in html
    if origin.successor_id:
        assert origin.successor.name in html


def test_linkset_by_accept_header_and_link_type(client, honey, honey_certificate, settings):
    settings.SITE_URL = "https://ocop.example.vn"
    response = client.get(f"/01/{GTIN_HONEY}", HTTP_ACCEPT="application/linkset+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/linkset+json"
    body = response.json()
    (entry,) = body["linkset"]
    assert entry["anchor"] == f"https://ocop.example.vn/01/{GTIN_HONEY}"
    assert entry["https://gs1.org/voc/pip"][0]["href"] == (
        f"https://ocop.example.vn/products/{honey.pk}/"
    )
    cert = entry["https://gs1.org/voc/certificationInfo"][0]["href"]
    assert cert.startswith("https://ocop.example.vn/") and "OCOP-HB-2024-017" in cert
    trace = entry["https://gs1.org/voc/traceability"][0]["href"]
    assert "/api/v1/epcis/events?MATCH_anyEPC=" in trace
    assert "https://gs1.org/voc/brandHomepageClient" in entry

    same = client.get(f"/01/{GTIN_HONEY}?linkType=all").json()
    assert same == body
    redirect = client.get(f"/01/{GTIN_HONEY}?linkType=gs1:pip")
    assert redirect.status_code == 307
    assert redirect.url == f"https://ocop.example.vn/products/{honey.pk}/"


def test_certificate_link_opens_the_verification_page(client, honey, honey_certificate):
    entry = client.get(f"/01/{GTIN_HONEY}?linkType=all").json()["linkset"][0]
    href = entry["https://gs1.org/voc/certificationInfo"][0]["href"]
    path = re.sub(r"^https?://[^/]+", "", href)
    assert client.get(path).status_code == 200


def test_unpublished_product_resolves_only_for_its_people(client, honey, producer_account):
    honey.status = "preparing"
    honey.save()
    assert client.get(f"/01/{GTIN_HONEY}").status_code == 404
    client.force_login(producer_account)
    assert client.get(f"/01/{GTIN_HONEY}").status_code == 200


def test_scan_page_is_small_and_loads_nothing_from_outside(
    client, honey, honey_certificate, honey_batch, settings
):
    settings.SITE_URL = "https://ocop.example.vn"
    response = client.get(f"/01/{GTIN_HONEY}/10/MO2025-07")
    html = response.content.decode()
    assert len(response.content) < 50 * 1024
    assert "<script" not in html
    assert 'rel="stylesheet"' not in html  # CSS is inline: one request
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        external = re.match(r"^(?:https?:)?//", url)
        assert not external or url.startswith(settings.SITE_URL), url
    assert "@import" not in html and "url(" not in html


def test_english_switch_link(client, honey, honey_certificate):
    html = client.get(f"/01/{GTIN_HONEY}?17=270630").content.decode()
    assert f'href="/01/{GTIN_HONEY}?17=270630&amp;lang=en"' in html


def test_registry_stars_without_certificate_on_record_are_not_shown_as_valid(client, honey):
    honey.stars = 3
    honey.save()
    html = client.get(f"/01/{GTIN_HONEY}?lang=en").content.decode()
    assert 'data-status="none"' in html
    assert "OCOP 3-star product" in html and "not on record" in html
    assert "VALID" not in html


def test_timeline_names_input_batches(client, honey, honey_batch):
    make_batch(honey, lot="CHAI-1", production_date=datetime.date(2025, 7, 5), inputs=[honey_batch])
    html = client.get(f"/01/{GTIN_HONEY}/10/CHAI-1?lang=en").content.decode()
    journey = html.split('id="h-trace"')[1]
    assert "Made from its ingredients" in journey
    assert "MO2025-07" in journey  # the input batch's own commissioning is one step back


def test_draft_product_page_is_never_publicly_cached(client, honey, producer_account):
    honey.status = "preparing"
    honey.save()
    client.force_login(producer_account)
    response = client.get(f"/01/{GTIN_HONEY}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_scan_counts_are_written_in_batches(client, honey, settings):
    settings.TRACE_SCAN_FLUSH_SECONDS = 3600
    for _ in range(5):
        client.get(f"/01/{GTIN_HONEY}", HTTP_USER_AGENT=PHONE)
    assert not ScanCount.objects.exists()  # held in memory, nothing written per scan
    scan_buffer.flush()
    assert ScanCount.objects.get().count == 5
    settings.TRACE_SCAN_FLUSH_SECONDS = 0
    client.get(f"/01/{GTIN_HONEY}", HTTP_USER_AGENT=PHONE)
    assert ScanCount.objects.get().count == 6


def test_scan_counts_survive_a_failed_write(client, honey, settings, monkeypatch):
    settings.TRACE_SCAN_FLUSH_SECONDS = 3600
    for _ in range(3):
        client.get(f"/01/{GTIN_HONEY}", HTTP_USER_AGENT=PHONE)

    def locked(*args, **kwargs):
        raise DatabaseError("deadlock detected")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "executemany", locked)
        scan_buffer.flush()  # logged, not raised
    assert not ScanCount.objects.exists()
    scan_buffer.flush()
    assert ScanCount.objects.get().count == 3


@pytest.mark.parametrize(
    "agent,device",
    [
        (PHONE, "phone"),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36", "phone"),
        ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)", "tablet"),
        ("Mozilla/5.0 (Linux; Android 13; SM-X200) Safari/537.36", "tablet"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0", "desktop"),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", "bot"),
        ("", "bot"),
        ("Zalo/1.0", "other"),
    ],
)
def test_device_classes(agent, device):
    assert device_class(agent) == device


def test_language_follows_query_then_accept_language_never_the_cookie(client, honey):
    assert (
        'lang="en"'
        in client.get(f"/01/{GTIN_HONEY}", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    )
    assert (
        'lang="vi"'
        in client.get(f"/01/{GTIN_HONEY}", HTTP_ACCEPT_LANGUAGE="fr, vi;q=0.5").content.decode()
    )
    client.cookies[conf.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/01/{GTIN_HONEY}")
    assert 'lang="vi"' in response.content.decode()
    assert "Cookie" not in response.get("Vary", "")
    assert 'lang="en"' in client.get(f"/01/{GTIN_HONEY}?lang=en").content.decode()


def test_head_requests_are_not_counted(client, honey, settings):
    settings.TRACE_SCAN_FLUSH_SECONDS = 0
    assert client.head(f"/01/{GTIN_HONEY}").status_code == 200
    assert not ScanCount.objects.exists()


@pytest.fixture
def scan_cache(settings):
    settings.TRACE_SCAN_CACHE = True
    caches["scan"].clear()
    yield caches["scan"]
    caches["scan"].clear()


def test_the_page_is_kept_as_long_as_its_max_age_says(
    client, honey, honey_certificate, scan_cache, settings, monkeypatch
):
    settings.TRACE_SCAN_MAX_AGE = 17
    kept_for = []
    backend_timeout = scan_cache.get_backend_timeout

    def recording(timeout):
        kept_for.append(timeout)
        return backend_timeout(timeout)

    monkeypatch.setattr(scan_cache, "get_backend_timeout", recording)
    response = client.get(f"/01/{GTIN_HONEY}?lang=en", HTTP_USER_AGENT=PHONE)
    assert response["Cache-Control"] == "public, max-age=17"
    assert kept_for == [17]


def test_a_published_page_is_rendered_once_a_minute_and_every_scan_counted(
    client, honey, honey_certificate, honey_batch, scan_cache, settings, django_assert_num_queries
):
    settings.TRACE_SCAN_FLUSH_SECONDS = 3600
    url = f"/01/{GTIN_HONEY}/10/{honey_batch.lot}?lang=en"
    first = client.get(url, HTTP_USER_AGENT=PHONE)
    assert "VALID" in first.content.decode() and "Shipped" not in first.content.decode()
    record_step(honey_batch, "shipping", timezone.now())
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_USER_AGENT=PHONE)
    # A new event waits out the minute the page sends as max-age, as shared caches do.
    assert again.content == first.content
    for header in ("Content-Type", "Cache-Control", "Link", "Vary", "Content-Language"):
        assert again[header] == first[header]
    # Each language and the linkset are kept apart.
    assert "Xuất hàng" in client.get(url.replace("lang=en", "lang=vi")).content.decode()
    linkset = client.get(f"/01/{GTIN_HONEY}/10/{honey_batch.lot}?linkType=all")
    assert linkset["Content-Type"] == "application/linkset+json"
    scan_buffer.flush()
    assert sum(ScanCount.objects.values_list("count", flat=True)) == 4


def test_a_revocation_shows_on_the_next_scan(client, honey, honey_certificate, scan_cache):
    assert "VALID" in client.get(f"/01/{GTIN_HONEY}?lang=en").content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        honey_certificate.revoked_on = timezone.localdate()
        honey_certificate.revocation_reason = "test"
        honey_certificate.save()
    assert "REVOKED" in client.get(f"/01/{GTIN_HONEY}?lang=en").content.decode()


def test_a_draft_page_is_never_kept(client, honey, producer_account, scan_cache):
    honey.status = Lifecycle.IN_PREPARATION
    honey.save()
    client.force_login(producer_account)
    assert client.get(f"/01/{GTIN_HONEY}").status_code == 200
    client.logout()
    assert client.get(f"/01/{GTIN_HONEY}").status_code == 404
