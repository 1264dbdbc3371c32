"""Compliance fixtures: the shipped reference data and inspectors of two provinces."""

import pytest
from django.utils import translation

from ocophub.accounts.models import Role
from ocophub.compliance import reference
from ocophub.conftest import make_user
from ocophub.places.models import Era, Province


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
