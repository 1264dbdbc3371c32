"""The scan page on a phone: readable status, no sideways scrolling, nothing fetched from
anywhere but the platform."""

import datetime

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from ocophub.products.models import ProductPhoto

from .conftest import GTIN_HONEY


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_scan_page_at_phone_size(
    phone, too_wide, live_server, reference_data, honey, honey_certificate, honey_batch, tmp_path
):
    # A wide photo: it must shrink to the screen, not widen the page.
    image = tmp_path / "wide.jpg"
    Image.new("RGB", (1600, 600), (200, 150, 40)).save(image)
    photo = ProductPhoto(product=honey)
    photo.image.save("wide.jpg", ContentFile(image.read_bytes()), save=True)

    page = phone(device_scale_factor=2, is_mobile=True, has_touch=True)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/01/{GTIN_HONEY}/10/{honey_batch.lot}")

    status = page.locator("[data-status]")
    assert status.get_attribute("data-status") == "valid"
    assert status.is_visible()
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    headline = status.locator("strong")
    # Large enough to read at arm's length.
    size = float(headline.evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))
    assert size >= 18
    until = honey_certificate.valid_until.strftime("%d/%m/%Y")
    assert until in status.inner_text()
    assert page.locator("h1").inner_text() == honey.name
    assert not too_wide(page)
    assert page.locator("img.photo").evaluate("e => e.getBoundingClientRect().width") <= 390
    assert all(url.startswith(live_server.url) for url in requests), requests

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Valid until" in page.locator("[data-status]").inner_text()

    honey_certificate.revoked_on = datetime.date.today() - datetime.timedelta(days=1)
    honey_certificate.save()
    page.reload()
    assert page.locator("[data-status]").get_attribute("data-status") == "bad"
    assert "REVOKED" in page.locator("[data-status] strong").inner_text()
