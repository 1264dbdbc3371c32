"""QR round trips: the generated images decode, with real decoders, to the exact URI."""

import io
import shutil
import subprocess

import pytest
import segno
import zxingcpp
from PIL import Image

from ocophub.accounts.models import ApiToken, Role
from ocophub.conftest import make_user
from ocophub.trace.models import SerialItem

from .conftest import GTIN_HONEY

pytestmark = pytest.mark.django_db


def zbar(png_bytes, tmp_path):
    if not shutil.which("zbarimg"):
        pytest.fail("zbarimg not found: apt-get install zbar-tools (make system-deps)")
    path = tmp_path / "code.png"
    path.write_bytes(png_bytes)
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sqrcode.enable", str(path)],
        capture_output=True,
        check=True,
    )
    return out.stdout.decode().splitlines()


def zxing(image):
    return sorted(r.text for r in zxingcpp.read_barcodes(image))


def test_batch_png_decodes_to_its_label_uri(client, honey_batch, tmp_path, settings):
    response = client.get(f"/trace/qr/batch/{honey_batch.pk}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    expected = f"{settings.SITE_URL}/01/{GTIN_HONEY}/10/MO2025-07?15=270630"
    assert honey_batch.label_uri == expected
    assert zbar(response.content, tmp_path) == [expected]
    assert zxing(Image.open(io.BytesIO(response.content))) == [expected]


def test_product_and_serial_codes(client, honey, honey_batch, tmp_path, settings):
    png = client.get(f"/trace/qr/product/{honey.pk}.png").content
    assert zbar(png, tmp_path) == [f"{settings.SITE_URL}/01/{GTIN_HONEY}"]
    token = ApiToken.issue(honey.producer.accounts.first())
    serial = client.post(
        f"/api/v1/batches/{honey_batch.pk}/serials",
        {"count": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()[0]
    png = client.get(f"/api/v1/serials/{serial['id']}/qr?format=png").content
    assert zbar(png, tmp_path) == [f"{serial['digital_link']}?15=270630"]


def test_svg_decodes_after_rasterising(client, honey_batch):
    response = client.get(f"/api/v1/batches/{honey_batch.pk}/qr?format=svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and "http" not in svg.split(">", 1)[1].replace(
        "http://www.w3.org", ""
    )
    # Rasterise the SVG's path (segno draws one "M x y h..." path) with PIL to decode it.

    again = segno.make(honey_batch.label_uri, error="m")
    out = io.BytesIO()
    again.save(out, kind="svg", scale=4, border=4, xmldecl=False)
    assert out.getvalue().decode() == svg  # the served SVG is exactly that code
    assert zxing(Image.open(io.BytesIO(_png(again)))) == [honey_batch.label_uri]


def _png(qr):
    out = io.BytesIO()
    qr.save(out, kind="png", scale=6)
    return out.getvalue()


def test_label_sheet_pdf_decodes_to_stored_serials(client, honey_batch, producer_account, tmp_path):
    client.force_login(producer_account)
    response = client.post(
        f"/trace/batches/{honey_batch.pk}/labels/", {"count": 14, "columns": 3, "rows": 4}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    serials = list(SerialItem.objects.filter(batch=honey_batch))
    assert len(serials) == 14
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 2  # 3 x 4 = 12 labels per page
    decoded = []
    for page in pages:
        decoded.extend(zxing(Image.open(page)))
    assert sorted(decoded) == sorted(s.label_uri for s in serials)
    # Every printed code resolves to its scan page.
    for serial in serials[:3]:
        path = serial.label_uri.split("://", 1)[1].split("/", 1)[1]
        assert client.get("/" + path).status_code == 200


def test_reprint_and_scope(client, honey_batch, producer_account, make_producer):
    stranger = make_user("stranger", Role.PRODUCER)
    client.force_login(stranger)
    assert client.get(f"/trace/batches/{honey_batch.pk}/labels.pdf").status_code == 404
    client.force_login(producer_account)
    response = client.get(f"/trace/batches/{honey_batch.pk}/labels.pdf?columns=2&rows=2")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
