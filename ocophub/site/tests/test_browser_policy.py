"""Chromium enforces the Content-Security-Policy: the pages people use, with htmx, the
dashboard, the API docs and the scan page, run without one violation."""

import pytest

from ocophub.conftest import log_in
from ocophub.products.models import Lifecycle
from ocophub.testing import builders

GTIN = "08930000000019"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy_without_violations(
    page, reference_data, province_officer, make_producer, make_product, producer_account
):
    product = make_product(make_producer(account=producer_account), gtin=GTIN[1:])
    product.status = Lifecycle.CERTIFIED
    product.save()
    batch = builders.make_batch(product, producer_account)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(page.base_url + "/")
    page.goto(f"{page.base_url}/01/{GTIN}/10/{batch.lot}")
    assert page.locator("h1").inner_text() == product.name
    log_in(page, "province")
    for path in ("/programme/", "/products/", "/api/v1/docs"):
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
    assert page.locator(".swagger-ui").count() == 1
    assert refused == []
