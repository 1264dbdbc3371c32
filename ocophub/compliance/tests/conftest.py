"""Compliance fixtures: the shipped reference data, inspectors of two provinces, the
demo's codes, and a phone-sized page for the browser tests."""

import pytest
from django.utils import translation

from ocophub.accounts import demo as accounts_demo
from ocophub.accounts.models import Role
from ocophub.compliance import demo, reference
from ocophub.conftest import make_user
from ocophub.places.models import Era, Province
from ocophub.producers import demo as producers_demo
from ocophub.products import demo as products_demo
from ocophub.trace import demo as trace_demo


@pytest.fixture(autouse=True)
def compliance_reference(db):
    reference.load()


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the API clients send Accept-Language: en, and
    tests of the Vietnamese wording switch back."""
    with translation.override("en"):
        yield


@pytest.fixture
def inspector(phu_tho):
    return make_user("inspector", Role.INSPECTOR, province=phu_tho)


@pytest.fixture
def other_inspector(db):
    hanoi = Province.objects.get(era=Era.CURRENT, code=1)
    return make_user("inspector-hn", Role.INSPECTOR, province=hanoi)


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    """Open a page the size of a 390 px phone, in Vietnamese, on the live server:
    `phone(**options)` passes browser context options (a geolocation, say). The page
    keeps in `page.outside` every request it made to anywhere but the site."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(locale="vi-VN", viewport=PHONE, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        page.outside = []
        page.on(
            "request",
            lambda r: None if r.url.startswith(live_server.url) else page.outside.append(r.url),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def too_wide():
    """too_wide(page): whether the page scrolls sideways."""

    def check(page):
        size = page.evaluate(
            "() => ({width: document.documentElement.scrollWidth, viewport: window.innerWidth})"
        )
        return size["width"] > size["viewport"]

    return check


@pytest.fixture
def demo_codes(reference_data):
    """The demo's accounts, producers, products, batches and export codes."""
    for module in (accounts_demo, producers_demo, products_demo, trace_demo, demo):
        module.load()
