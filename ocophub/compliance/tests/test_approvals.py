"""Approvals per market move through their lifecycle with a history of who did what;
a critical finding suspends in the inspection's own transaction; only a follow-up
inspection lifts a suspension."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from ocophub.accounts.models import ApiToken
from ocophub.compliance.areas import register_area
from ocophub.compliance.inspections import FindingIn, record_inspection
from ocophub.compliance.models import (
    Approval,
    ApprovalEvent,
    ApprovalStatus,
    Finding,
    FindingKind,
    Inspection,
    InspectionKind,
    Market,
    Severity,
)

from .shapes import square

D = datetime.date


@pytest.fixture
def area(inspector, make_producer, producer_account):
    grower = make_producer(account=producer_account, name="HTX Dổi Chí Đạo")
    return register_area(
        {
            "code": "VN-HBOR-0100",
            "producer": grower.pk,
            "crop": "doi",
            "commune": "legacy:5323",
            "geometry": square(150),
            "valid_from": D(2024, 1, 1),
        },
        inspector,
    )


def approved(area, market_code, user):
    on, expires = D(2024, 3, 1), D(2027, 3, 1)
    approval = Approval.request(area, Market.objects.get(code=market_code), user, on=on)
    approval.move(ApprovalStatus.SUBMITTED, user, on=on)
    approval.move(
        ApprovalStatus.APPROVED, user, on=on, reference=f"{market_code}-1", expires_on=expires
    )
    return approval


def test_the_legal_path_is_recorded_with_who_and_when(area, inspector, province_officer):
    approval = Approval.request(area, Market.objects.get(code="CN"), inspector, on=D(2024, 2, 1))
    approval.move(ApprovalStatus.SUBMITTED, inspector, on=D(2024, 2, 5))
    approval.move(
        ApprovalStatus.APPROVED,
        province_officer,
        on=D(2024, 3, 1),
        reference="GACC-2024-17",
        expires_on=D(2026, 3, 1),
    )
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED
    assert (approval.reference, approval.approved_on) == ("GACC-2024-17", D(2024, 3, 1))
    history = [(e.from_status, e.to_status, e.by.username) for e in approval.events.all()]
    assert history == [
        ("", "requested", "inspector"),
        ("requested", "submitted", "inspector"),
        ("submitted", "approved", "province"),
    ]
    assert approval.status_on(D(2024, 1, 31)) is None
    assert approval.status_on(D(2024, 2, 10)) == ApprovalStatus.SUBMITTED
    assert approval.status_on(D(2025, 1, 1)) == ApprovalStatus.APPROVED
    # Past its expiry an approval counts as expired, recorded or not.
    assert approval.status_on(D(2026, 3, 2)) == ApprovalStatus.EXPIRED


@pytest.mark.parametrize(
    "path, refused",
    [
        ([], ApprovalStatus.APPROVED),  # requested -> approved skips the authority
        ([], ApprovalStatus.SUSPENDED),
        ([ApprovalStatus.SUBMITTED], ApprovalStatus.EXPIRED),
        ([ApprovalStatus.REVOKED], ApprovalStatus.SUBMITTED),  # revoked is final
    ],
)
def test_illegal_moves_are_refused_saying_what_is_possible(area, inspector, path, refused):
    approval = Approval.request(area, Market.objects.get(code="EU"), inspector)
    for status in path:
        approval.move(status, inspector, reason="test")
    before = approval.events.count()
    with pytest.raises(ValidationError) as error:
        approval.move(refused, inspector, reason="test", reference="X")
    assert "cannot become" in str(error.value)
    approval.refresh_from_db()
    assert approval.events.count() == before


def test_approving_needs_a_reference_and_suspending_a_reason(area, inspector):
    approval = Approval.request(area, Market.objects.get(code="EU"), inspector)
    approval.move(ApprovalStatus.SUBMITTED, inspector)
    with pytest.raises(ValidationError) as error:
        approval.move(ApprovalStatus.APPROVED, inspector)
    assert "reference" in error.value.message_dict
    approval.move(ApprovalStatus.APPROVED, inspector, reference="EU-7")
    with pytest.raises(ValidationError) as error:
        approval.move(ApprovalStatus.SUSPENDED, inspector)
    assert "reason" in error.value.message_dict


def test_a_critical_finding_suspends_the_approvals_in_the_same_transaction(area, inspector):
    china, europe = approved(area, "CN", inspector), approved(area, "EU", inspector)
    inspection, suspended = record_inspection(
        area,
        inspector,
        D(2025, 6, 10),
        [
            FindingIn("banned_substance", Severity.CRITICAL, note="chlorpyrifos"),
            FindingIn("diary_missing", Severity.MINOR),
        ],
        latitude=20.451,
        longitude=105.451,
    )
    assert {a.pk for a in suspended} == {china.pk, europe.pk}
    for approval in (china, europe):
        approval.refresh_from_db()
        assert approval.status == ApprovalStatus.SUSPENDED
        assert approval.suspended_on == D(2025, 6, 10)
        assert str(FindingKind.BANNED_SUBSTANCE.label) in approval.reason
        assert "chlorpyrifos" in approval.reason
        move = approval.events.last()
        assert move.inspection == inspection and move.by == inspector


def test_a_critical_finding_for_one_market_suspends_only_that_market(area, inspector):
    china, europe = approved(area, "CN", inspector), approved(area, "EU", inspector)
    record_inspection(
        area,
        inspector,
        D(2025, 6, 10),
        [FindingIn("pest", Severity.CRITICAL, market=Market.objects.get(code="CN"))],
    )
    china.refresh_from_db(), europe.refresh_from_db()
    assert (china.status, europe.status) == (ApprovalStatus.SUSPENDED, ApprovalStatus.APPROVED)


def test_when_a_suspension_fails_the_inspection_is_not_saved_either(area, inspector):
    approved(area, "CN", inspector)
    approved(area, "EU", inspector)
    real_save = Approval.save
    calls = []

    def fail_on_second(self, *args, **kwargs):
        calls.append(self.pk)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_save(self, *args, **kwargs)

    with (
        mock.patch.object(Approval, "save", autospec=True, side_effect=fail_on_second),
        pytest.raises(RuntimeError),
    ):
        record_inspection(area, inspector, D(2025, 6, 10), [FindingIn("pest", Severity.CRITICAL)])
    assert len(calls) == 2
    assert not Inspection.objects.exists() and not Finding.objects.exists()
    assert ApprovalEvent.objects.filter(to_status=ApprovalStatus.SUSPENDED).count() == 0
    assert set(Approval.objects.values_list("status", flat=True)) == {ApprovalStatus.APPROVED}


def test_lifting_a_suspension_needs_a_follow_up_inspection(area, inspector):
    approval = approved(area, "CN", inspector)
    record_inspection(area, inspector, D(2025, 6, 10), [FindingIn("pest", Severity.CRITICAL)])
    approval.refresh_from_db()
    with pytest.raises(ValidationError, match="follow-up inspection"):
        approval.move(ApprovalStatus.APPROVED, inspector, on=D(2025, 7, 1))
    # A routine visit is no follow-up; a follow-up that finds it critical still is not.
    record_inspection(area, inspector, D(2025, 6, 20))
    record_inspection(
        area,
        inspector,
        D(2025, 6, 25),
        [FindingIn("pest", Severity.CRITICAL)],
        kind=InspectionKind.FOLLOW_UP,
    )
    with pytest.raises(ValidationError):
        approval.move(ApprovalStatus.APPROVED, inspector, on=D(2025, 7, 1))
    follow_up, _none = record_inspection(
        area,
        inspector,
        D(2025, 6, 30),
        [FindingIn("pest", Severity.MINOR)],
        kind=InspectionKind.FOLLOW_UP,
    )
    approval.move(ApprovalStatus.APPROVED, inspector, on=D(2025, 7, 1))
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED and approval.suspended_on is None
    assert approval.events.last().inspection == follow_up
    assert approval.status_on(D(2025, 6, 15)) == ApprovalStatus.SUSPENDED


def test_an_inspector_of_another_province_cannot_inspect_here(area, other_inspector):
    with pytest.raises(ValidationError, match="do not supervise"):
        record_inspection(area, other_inspector, D(2025, 6, 10))


def api(client, user, method, url, payload=None):
    token = ApiToken.issue(user)
    return getattr(client, method)(
        url,
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_api_moves_approvals_and_records_inspections(client, area, inspector, other_inspector):
    created = api(
        client,
        inspector,
        "post",
        "/api/v1/compliance/approvals",
        {"code": area.code, "market": "cn", "on": "2024-02-01"},
    )
    assert created.status_code == 201, created.content
    approval_id = created.json()["id"]
    moves = f"/api/v1/compliance/approvals/{approval_id}/moves"
    wrong = api(client, inspector, "post", moves, {"status": "approved"})
    assert wrong.status_code == 400 and "cannot become" in wrong.json()["detail"]
    submitted = {"status": "submitted", "on": "2024-02-05"}
    assert api(client, inspector, "post", moves, submitted).status_code == 200
    done = api(
        client,
        inspector,
        "post",
        moves,
        {
            "status": "approved",
            "reference": "GACC-1",
            "on": "2024-03-01",
            "expires_on": "2027-01-01",
        },
    )
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert [m["by"] for m in done.json()["history"]] == ["inspector"] * 3
    assert api(
        client, other_inspector, "post", moves, {"status": "revoked", "reason": "x"}
    ).status_code in (403, 404)
    inspected = api(
        client,
        inspector,
        "post",
        "/api/v1/compliance/inspections",
        {
            "code": area.code,
            "on": "2025-06-10",
            "latitude": 20.45,
            "longitude": 105.45,
            "findings": [{"kind": "pest", "severity": "critical", "note": "ruồi đục quả"}],
        },
    )
    assert inspected.status_code == 201, inspected.content
    assert inspected.json()["suspended"] == [approval_id]
    shown = api(client, inspector, "get", f"/api/v1/compliance/approvals/{approval_id}")
    assert shown.json()["status"] == "suspended" and shown.json()["history"][-1]["inspection_id"]
    bad = api(
        client,
        inspector,
        "post",
        "/api/v1/compliance/inspections",
        {"code": area.code, "on": "2025-06-11", "findings": [{"kind": "x", "severity": "minor"}]},
    )
    assert bad.status_code == 400 and "findings" in bad.json()["errors"]
