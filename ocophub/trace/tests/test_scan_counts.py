"""Scan counts as the batch's people see them on the batch page."""

import datetime
import re

from django.utils import timezone

from ocophub.testing.builders import make_batch
from ocophub.trace import scan_buffer
from ocophub.trace.models import ScanCount, path_keys
from ocophub.trace.services import add_serials

from .conftest import GTIN_HONEY

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


def scans_card(html):
    card = re.search(r'<div class="card" id="scans">(.*?)</div>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


def test_the_batch_page_counts_scans_of_its_qr_code_and_of_its_items_only(
    client, honey, honey_certificate, honey_batch, producer_account
):
    other = make_batch(
        honey, producer_account, lot="MO2025-08", production_date=datetime.date(2025, 8, 1)
    )
    serial = add_serials(honey_batch, 1, producer_account)[0].serial
    for _ in range(2):
        client.get(f"/01/{GTIN_HONEY}/10/{honey_batch.lot}", HTTP_USER_AGENT=PHONE)
    client.get(f"/01/{GTIN_HONEY}/21/{serial}?lang=en", HTTP_USER_AGENT=DESKTOP)
    for _ in range(5):  # another batch of the same product, and the product itself
        client.get(f"/01/{GTIN_HONEY}/10/{other.lot}", HTTP_USER_AGENT=PHONE)
    client.get(f"/01/{GTIN_HONEY}", HTTP_USER_AGENT=PHONE)
    scan_buffer.flush()
    # Older scans count in the total, not in the last 30 days.
    today = timezone.localdate()
    ScanCount.objects.create(
        day=today - datetime.timedelta(days=40),
        path=f"/01/{GTIN_HONEY}/10/{honey_batch.lot}",
        device="phone",
        language="vi",
        count=4,
        gtin=GTIN_HONEY,
        lot=honey_batch.lot,
    )

    client.force_login(producer_account)
    card = scans_card(client.get(f"/trace/batches/{honey_batch.pk}/").content.decode())
    assert "Tổng số lượt quét 7" in card
    assert "Trong 30 ngày qua 3" in card
    assert f"Lần quét gần nhất {today:%d/%m/%Y}" in card
    assert "Theo thiết bị điện thoại: 6; máy tính: 1" in card
    assert "Theo ngôn ngữ trang Tiếng Việt Nam: 6; Tiếng Anh: 1" in card

    card = scans_card(client.get(f"/trace/batches/{other.pk}/").content.decode())
    assert "Tổng số lượt quét 5" in card


def test_a_batch_nobody_scanned_says_so(client, honey_batch, producer_account):
    client.force_login(producer_account)
    card = scans_card(client.get(f"/trace/batches/{honey_batch.pk}/").content.decode())
    assert "Chưa có ai quét mã QR của lô này." in card


def test_counts_keep_the_keys_of_their_path():
    assert path_keys(f"/01/{GTIN_HONEY}/10/MO2025-07") == (GTIN_HONEY, "MO2025-07", "")
    assert path_keys(f"/01/{GTIN_HONEY}/21/A%2F1") == (GTIN_HONEY, "", "A/1")
    assert path_keys("/not-a-link") == ("", "", "")
