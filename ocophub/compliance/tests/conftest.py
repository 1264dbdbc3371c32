"""Compliance fixtures: the shipped reference data and inspectors of two provinces."""

import pytest

from ocophub.accounts.models import Role
from ocophub.compliance import reference
from ocophub.conftest import make_user
from ocophub.places.models import Era, Province


@pytest.fixture(autouse=True)
def compliance_reference(db):
    reference.load()


@pytest.fixture
def inspector(phu_tho):
    return make_user("inspector", Role.INSPECTOR, province=phu_tho)


@pytest.fixture
def other_inspector(db):
    hanoi = Province.objects.get(era=Era.CURRENT, code=1)
    return make_user("inspector-hn", Role.INSPECTOR, province=hanoi)
