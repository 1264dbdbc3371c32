"""The demo's export codes in Lạc Sơn: loaded by `load_demo` (twice adds nothing),
marked as sample data, with one consignment the export check lets go to China and one
it refuses for the EU with reasons, and the inspector's codes, inspections and
suspension in place."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ocophub.accounts import demo as accounts_demo
from ocophub.accounts.models import User
from ocophub.compliance import demo, eligibility
from ocophub.compliance.models import (
    Approval,
    ApprovalStatus,
    CodeStatus,
    GrowingArea,
    Inspection,
    Market,
    PackingFacility,
)
from ocophub.producers import demo as producers_demo
from ocophub.products import demo as products_demo
from ocophub.trace import demo as trace_demo
from ocophub.trace.models import Batch

D = datetime.date


@pytest.fixture
def loaded(db):
    for module in (accounts_demo, producers_demo, products_demo, trace_demo, demo):
        module.load()


def batch(lot):
    return Batch.objects.get(lot=lot)


def test_the_demo_command_loads_the_codes_and_adds_nothing_the_second_time(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert GrowingArea.objects.filter(sample=True).count() == 4
    assert PackingFacility.objects.filter(sample=True).count() == 1
    counts = (Approval.objects.count(), Inspection.objects.count())
    assert demo.load() == "0 sample export codes created"
    assert (Approval.objects.count(), Inspection.objects.count()) == counts
    assert GrowingArea.objects.filter(sample=False).count() == 0


def test_the_areas_have_plausible_polygons_in_lac_son(loaded):
    for area in GrowingArea.objects.all():
        boundary = area.current_boundary
        assert area.crop.min_area_ha <= boundary.area_ha < 20
        assert 20.3 < boundary.min_lat < boundary.max_lat < 20.6
        assert 105.3 < boundary.min_lon < boundary.max_lon < 105.6
    domestic = GrowingArea.objects.get(crop__key="pomelo")
    assert domestic.code.startswith("VN-") and domestic.scheme.key == "vn-domestic-area"


def test_the_salt_may_go_to_china_and_the_chili_may_not_go_to_the_eu(loaded):
    china, eu = Market.objects.get(code="CN"), Market.objects.get(code="EU")
    for day in (D(2025, 3, 10), timezone.localdate()):
        result = eligibility.check([batch("MD-2503")], china, day)
        assert result.eligible, [r.message for r in result.reasons]
    refused = eligibility.check([batch("PL-2508")], eu, D(2025, 10, 1))
    assert not refused.eligible
    codes = {r.code for r in refused.reasons}
    assert {"code_suspended", "approval_suspended", "banned_substance"} <= codes
    assert {r.batch.lot for r in refused.reasons} == {"PL-2508"}
    assert any("Mancozeb" in r.message or "mancozeb" in r.message for r in refused.reasons)


def test_the_inspector_finds_a_passed_inspection_a_finding_and_a_suspended_code(client, loaded):
    chi_dao = GrowingArea.objects.get(code="VN-HBOR-0001")
    phu_luong = GrowingArea.objects.get(code="VN-HBOR-0004")
    passed = chi_dao.inspections.get()
    assert not passed.findings.exists()
    assert phu_luong.inspections.get().has_critical
    assert phu_luong.status == CodeStatus.SUSPENDED
    assert phu_luong.approvals.get(market__code="EU").status == ApprovalStatus.SUSPENDED
    inspector = User.objects.get(username="inspector")
    client.force_login(inspector)
    html = client.get(reverse("compliance:codes")).content.decode()
    for code in ("VN-HBOR-0001", "VN-HBOR-0002", "VN-HBOR-0004", "VNHBPH-0001"):
        assert f'data-code="{code}"' in html
    page = client.get(reverse("compliance:code", args=["VN-HBOR-0004"])).content.decode()
    assert 'data-move="suspended"' in page and "Mancozeb" in page
    # The suspension's reason is written in the office's language, whatever the loader's.
    reason = phu_luong.approvals.get(market__code="EU").reason
    assert reason.startswith("Phát hiện nghiêm trọng"), reason
