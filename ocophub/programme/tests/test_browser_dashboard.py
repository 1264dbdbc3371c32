import datetime

import pytest

from ocophub.conftest import log_in

from .conftest import MY_THANH

D = datetime.date


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_and_prints(page, reference_data, province_officer, product_in, certify):
    certify(product_in(MY_THANH, name="Mật ong Thanh An"), stars=4, valid_from=D(2024, 1, 1))
    log_in(page, "province")
    page.goto(page.base_url + "/programme/?as_of=2024-06-01&era=legacy")
    assert page.locator("h1").inner_text().endswith("Phú Thọ")
    # Each chart is an SVG drawn on the server, beside its table.
    stars_panel = page.locator("#panel-stars").locator("xpath=..")
    assert stars_panel.locator("svg rect").count() == 3
    assert "1" in stars_panel.locator("table tbody tr").nth(1).inner_text()  # 4 ★: 1
    assert page.locator(".filters").first.is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".filters").first.is_visible()
    assert not page.locator(".exports").first.is_visible()
    assert stars_panel.locator("svg").is_visible()
    assert page.locator("header.top").is_hidden()
