"""Compliance fixtures: the shipped reference data, inspectors of two provinces and the
demo's codes (the browser tests' phone-sized page is in ocophub/conftest.py)."""

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


@pytest.fixture
def demo_codes(reference_data):
    """The demo's accounts, producers, products, batches and export codes."""
    for module in (accounts_demo, producers_demo, products_demo, trace_demo, demo):
        module.load()
