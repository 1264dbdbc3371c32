"""A serialised item's code scanned from many devices or places warns the shopper, and
shows on the batch page and the list of its producer and office."""

import datetime
import re

import pytest
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.testing.builders import make_batch
from ocophub.trace import scan_buffer
from ocophub.trace.models import ItemScan, SuspectCode
from ocophub.trace.services import add_serials

from .conftest import GTIN_HONEY

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def phone(n):
    return f"Mozilla/5.0 (Linux; Android 14; Phone-{n}) Mobile Safari/537.36"


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.TRACE_SUSPECT_DEVICES = 3
    settings.TRACE_SUSPECT_PLACES = 3
    settings.TRACE_SUSPECT_WINDOW_DAYS = 30


@pytest.fixture
def item(honey_batch, honey_certificate, producer_account):
    return add_serials(honey_batch, 1, producer_account)[0]


def scan(client, item, ua=None, address="203.0.113.9", **headers):
    return client.get(
        f"/01/{GTIN_HONEY}/21/{item.serial}",
        HTTP_USER_AGENT=ua or phone(0),
        REMOTE_ADDR=address,
        **headers,
    )


def warning(html):
    found = re.search(
        r'<section class="status bad" role="alert" id="copied-code">(.*?)</section>', html, re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def test_a_code_checked_from_fewer_devices_and_places_than_the_thresholds_shows_no_warning(
    client, item
):
    for n in range(2):  # two phones, the same network, several times each
        for _ in range(4):
            scan(client, item, phone(n), f"203.0.113.{n}")
    scan_buffer.flush()
    assert not SuspectCode.objects.exists()
    assert warning(scan(client, item, **ENGLISH).content.decode()) is None


def test_a_code_checked_from_as_many_devices_as_the_threshold_warns_the_shopper(client, item):
    for n in range(3):
        scan(client, item, phone(n))
    scan_buffer.flush()
    suspect = SuspectCode.objects.get(item=item)
    assert (suspect.scans, suspect.devices, suspect.places) == (3, 3, 1)

    today = timezone.localdate()
    text = warning(scan(client, item, **ENGLISH).content.decode())
    assert text == (
        f"Check your package This code has been checked 3 times since {today:%d/%m/%Y}, "
        "from many different devices or places. The code of one package is rarely checked "
        "that often: it may have been copied. If your package was sealed, tell the "
        "producer. HTX Thanh An · 0912 345 678"
    )
    text = warning(scan(client, item).content.decode())
    assert text.startswith(
        f"Kiểm tra gói hàng của bạn Mã này đã được kiểm tra 3 lần kể từ {today:%d/%m/%Y}"
    )
    assert "hãy báo cho nhà sản xuất" in text


def test_a_code_checked_from_as_many_networks_as_the_threshold_warns_the_shopper(client, item):
    for n in range(3):  # one phone, carried through three networks (first 16 bits)
        scan(client, item, address=f"198.{51 + n}.100.7")
    for n in range(5):  # the same network's other addresses are the same place
        scan(client, item, address=f"198.51.{n}.9")
    scan_buffer.flush()
    suspect = SuspectCode.objects.get(item=item)
    assert (suspect.scans, suspect.devices, suspect.places) == (8, 1, 3)


def test_devices_count_within_the_window_and_checks_since_the_first(client, item, settings):
    today = timezone.localdate()
    for n in range(2):  # two other phones long ago: the window has forgotten them
        ItemScan.objects.create(
            day=today - datetime.timedelta(days=40 + n),
            gtin=GTIN_HONEY,
            serial=item.serial,
            device=f"old{n}",
            place="",
            count=5,
        )
    scan(client, item)
    scan_buffer.flush()
    assert not SuspectCode.objects.exists()

    settings.TRACE_SUSPECT_WINDOW_DAYS = 60
    scan(client, item)
    scan_buffer.flush()
    suspect = SuspectCode.objects.get(item=item)
    assert suspect.scans == 12 and suspect.devices == 3
    assert suspect.first_day == today - datetime.timedelta(days=41)


def test_a_flagged_code_keeps_its_warning_and_its_counts_follow_the_scans(client, item):
    for n in range(3):
        scan(client, item, phone(n))
    scan_buffer.flush()
    for _ in range(2):
        scan(client, item)
    scan_buffer.flush()
    assert SuspectCode.objects.get(item=item).scans == 5


def test_robots_and_batch_codes_are_not_followed(client, item, honey_batch):
    for n in range(5):
        scan(client, item, f"LinkChecker-bot/{n}", f"10.{n}.0.1")
        client.get(
            f"/01/{GTIN_HONEY}/10/{honey_batch.lot}",
            HTTP_USER_AGENT=phone(n),
            REMOTE_ADDR=f"10.{n}.0.1",
        )
    scan_buffer.flush()
    assert not ItemScan.objects.exists() and not SuspectCode.objects.exists()


def test_an_item_scan_keeps_no_address_and_no_browser_string(client, item):
    scan(client, item, phone(7), "203.0.113.77")
    scan_buffer.flush()
    (row,) = ItemScan.objects.values()
    stored = " ".join(str(v) for v in row.values())
    assert "203.0.113" not in stored and "Android" not in stored
    assert len(row["device"]) == 4 and len(row["place"]) == 4


def test_behind_the_proxy_the_place_is_the_address_nginx_forwarded(client, item):
    for n in range(3):
        scan(client, item, address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, 198.{51 + n}.0.1")
    scan_buffer.flush()
    assert SuspectCode.objects.get(item=item).places == 3


@pytest.fixture
def flagged(client, item):
    for n in range(3):
        scan(client, item, phone(n))
    scan_buffer.flush()
    return item


def test_the_producer_sees_its_flagged_codes_on_the_batch_page_and_in_the_list(
    client, flagged, honey_batch, producer_account, settings
):
    client.force_login(producer_account)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/trace/batches/{honey_batch.pk}/").content.decode()
    card = re.search(r'<div class="card" id="suspects">(.*?)</div>', html, re.S).group(1)
    assert "Codes checked too often" in card and flagged.serial in card

    html = client.get("/trace/checked-too-often/").content.decode()
    assert flagged.serial in html and "1 code" in html and honey_batch.lot in html


def test_a_batch_without_flagged_codes_has_no_such_card(
    client, item, honey_batch, producer_account
):
    client.force_login(producer_account)
    html = client.get(f"/trace/batches/{honey_batch.pk}/").content.decode()
    assert 'id="suspects"' not in html


def test_another_producer_and_another_province_see_none_of_them(
    client, flagged, make_producer, make_product, province_officer, other_province_officer
):
    other = make_user("other-producer", Role.PRODUCER)
    product = make_product(make_producer(account=other, name="HTX Khác"), gtin="8930000000026")
    other_batch = make_batch(product, other, lot="K1", production_date=datetime.date(2025, 1, 1))
    add_serials(other_batch, 1, other)
    for user in (other, other_province_officer):
        client.force_login(user)
        html = client.get("/trace/checked-too-often/").content.decode()
        assert flagged.serial not in html and "Chưa có mã nào bị kiểm tra quá nhiều lần." in html

    client.force_login(province_officer)
    html = client.get("/trace/checked-too-often/").content.decode()
    assert flagged.serial in html


def test_the_list_asks_for_a_login(client):
    assert client.get("/trace/checked-too-often/").status_code == 302
