"""The export check on a 390 px phone: a producer picks a batch, a market and a date,
reads the answer and its reasons without sideways scroll."""

import pytest

from ocophub.accounts.models import Role
from ocophub.conftest import PHU_THO, log_in, make_user
from ocophub.places.models import Era, Province
from ocophub.testing.builders import make_producer, make_product

from . import consignment


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_producer_checks_a_consignment_on_a_phone(phone, too_wide, live_server, reference_data):
    phu_tho = Province.objects.get(era=Era.CURRENT, code=PHU_THO)
    inspector = make_user("inspector", Role.INSPECTOR, province=phu_tho)
    account = make_user("producer", Role.PRODUCER)
    shipment = consignment.build(inspector, make_producer, make_product, account)
    page = phone()
    log_in(page, "producer")
    page.goto(live_server.url + "/compliance/eligibility/")
    assert not too_wide(page)
    page.select_option("#id_batches", str(shipment.salt.pk))
    page.select_option("#id_market", "CN")
    page.fill("#id_date", "2025-08-01")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#result").get_attribute("data-eligible") == "yes"
    assert not too_wide(page)
    # Japan: neither code is approved there; the reasons wrap on the phone.
    page.select_option("#id_market", "JP")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#result").get_attribute("data-eligible") == "no"
    assert page.locator("ol.reasons li").count() == 2
    assert not too_wide(page)
    href = page.locator("#result a.btn").get_attribute("href")
    pdf = page.context.request.get(live_server.url + href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
