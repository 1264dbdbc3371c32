"""The evaluation cycle tells people what waits for them: the producer where its dossier
is, each council member a dossier that needs their score, the chair that all scores are
in, the producer its certificate; each once, however often a step is repeated."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ocophub.accounts.models import Role
from ocophub.conftest import QUYET_THANG, current_commune, make_user
from ocophub.evaluation import workflow
from ocophub.evaluation.models import Council, CouncilMember, Round
from ocophub.notices.models import Kind, Notice

from .conftest import full_scores, scores_totalling


def kinds(user):
    return sorted(user.notices.values_list("kind", flat=True))


def test_a_proposed_dossier_tells_each_member_and_the_producer(cycle, producer_account):
    dossier, council = cycle["dossier"], cycle["council"]
    for member in (cycle["chair"], cycle["member"]):
        notice = member.notices.get()
        assert notice.kind == Kind.SCORE_NEEDED
        assert notice.url == f"/evaluation/dossiers/{dossier.pk}/score/"
        assert notice.event == f"dossier:{dossier.pk}:council:{council.pk}"
        assert notice.title == "“Muối hạt dổi Chí Đạo” needs your score"
    told = producer_account.notices.get()
    assert told.kind == Kind.DOSSIER_PROPOSED
    assert told.title == "The dossier of “Muối hạt dổi Chí Đạo” went to Hội đồng tỉnh"


def test_repeating_the_local_step_tells_nobody_again(cycle, commune_officer):
    before = Notice.objects.count()
    workflow.record_local_step(
        cycle["dossier"], commune_officer, origin_confirmed=True, proposed=True
    )
    assert Notice.objects.count() == before


def test_a_member_tied_to_the_producer_is_not_asked_to_score(
    criteria_sets, province_officer, commune_officer, make_producer, make_product, phu_tho
):
    owner = make_user("owner", Role.COUNCIL_MEMBER, province=phu_tho)
    chair = make_user("chair", Role.COUNCIL_MEMBER, province=phu_tho)
    producer = make_producer(commune=current_commune(QUYET_THANG), account=owner)
    product = make_product(producer, name="Chè Quyết Thắng")
    round_ = Round.objects.create(
        province=phu_tho,
        year=2025,
        number=3,
        opens_on=datetime.date(2025, 8, 1),
        closes_on=datetime.date(2025, 10, 31),
    )
    dossier = workflow.register_dossier(round_, product, "new", province_officer)
    # Proposed before the council exists: the producer hears it went to the province.
    dossier.status = "proposed"
    dossier.save()
    workflow.form_council(round_, province_officer, "Hội đồng tỉnh", chair, [owner])
    assert kinds(chair) == [Kind.SCORE_NEEDED]
    assert Kind.SCORE_NEEDED not in kinds(owner)
    assert Kind.DOSSIER_PROPOSED in kinds(owner)  # as the producer's account


def test_a_local_step_that_does_not_propose_returns_the_dossier(
    criteria_sets, province_officer, commune_officer, make_producer, make_product, producer_account
):
    producer = make_producer(commune=current_commune(QUYET_THANG), account=producer_account)
    product = make_product(producer, name="Mật ong Quyết Thắng")
    round_ = Round.objects.create(
        province=province_officer.province,
        year=2025,
        number=4,
        opens_on=datetime.date(2025, 8, 1),
        closes_on=datetime.date(2025, 10, 31),
    )
    dossier = workflow.register_dossier(round_, product, "new", producer_account)
    with pytest.raises(ValidationError):
        # Refused (incomplete): nobody is told anything.
        workflow.record_local_step(dossier, commune_officer, origin_confirmed=True, proposed=True)
    assert not producer_account.notices.exists()

    dossier.refresh_from_db()
    step = workflow.record_local_step(
        dossier,
        commune_officer,
        origin_confirmed=False,
        proposed=False,
        assessed_on=datetime.date(2025, 9, 2),
    )
    notice = producer_account.notices.get()
    assert notice.kind == Kind.DOSSIER_RETURNED
    assert notice.url == f"/evaluation/dossiers/{dossier.pk}/"
    assert "The assessment of 02/09/2025 did not propose" in notice.body
    workflow.record_local_step(dossier, commune_officer, origin_note="Đang xác minh")
    assert producer_account.notices.count() == 1  # same assessment day: told once
    assert step.dossier_id == dossier.pk


def test_a_forwarded_dossier_tells_the_higher_councils_members(cycle, province_officer):
    dossier = cycle["dossier"]
    for member in (cycle["chair"], cycle["member"]):
        workflow.save_sheet(
            workflow.sheet_for(dossier, member), full_scores(dossier.criteria_set), member, True
        )
    workflow.close_scoring(cycle["council"], cycle["chair"])
    national = Council.objects.create(round=cycle["round"], level="national", name="Hội đồng TW")
    tw = make_user("tw", Role.COUNCIL_MEMBER)
    CouncilMember.objects.create(council=national, user=tw, is_chair=True)
    workflow.forward_dossier(dossier, national, province_officer)
    notice = tw.notices.get()
    assert notice.kind == Kind.SCORE_NEEDED
    assert notice.event == f"dossier:{dossier.pk}:council:{national.pk}"


def test_the_chair_and_the_office_hear_when_all_scores_are_in(cycle, province_officer):
    dossier = cycle["dossier"]
    chair, member = cycle["chair"], cycle["member"]
    workflow.save_sheet(
        workflow.sheet_for(dossier, chair), full_scores(dossier.criteria_set), chair, True
    )
    assert Kind.SCORES_IN not in kinds(chair)
    workflow.save_sheet(
        workflow.sheet_for(dossier, member), full_scores(dossier.criteria_set), member, True
    )
    assert chair.notices.filter(kind=Kind.SCORES_IN).count() == 1
    assert province_officer.notices.get(kind=Kind.SCORES_IN).title == (
        "All scores are in for Hội đồng tỉnh"
    )
    assert Kind.SCORES_IN not in kinds(member)


def test_the_decision_tells_the_producer_its_certificate(
    cycle,
    province_officer,
    producer_account,
    commune_officer,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    producer_account.email = "htx@example.vn"
    producer_account.save()
    scores = scores_totalling(cycle["dossier"].criteria_set, 75)
    for member in (cycle["chair"], cycle["member"]):
        workflow.save_sheet(workflow.sheet_for(cycle["dossier"], member), scores, member, True)
    workflow.close_scoring(cycle["council"], cycle["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        decision = workflow.issue_decision(
            cycle["council"],
            province_officer,
            number="1234/QĐ-UBND",
            date=datetime.date(2025, 11, 20),
            issuing_body="UBND tỉnh Phú Thọ",
            body_level="province",
        )
    certificate = decision.items.get().certificate
    notice = producer_account.notices.get(kind=Kind.CERTIFICATE_ISSUED)
    assert notice.subject == certificate
    assert notice.title == f"Certificate {certificate.number} issued for “Muối hạt dổi Chí Đạo”"
    assert "4-star OCOP product, valid from 20/11/2025 until 19/11/2028" in notice.body
    assert commune_officer.notices.filter(kind=Kind.CERTIFICATE_ISSUED).count() == 1
    assert not province_officer.notices.filter(kind=Kind.CERTIFICATE_ISSUED).exists()
    letters = [m for m in mail.outbox if m.to == ["htx@example.vn"]]
    assert [m.subject for m in letters] == [
        f"Đã cấp giấy chứng nhận {certificate.number} cho “Muối hạt dổi Chí Đạo”"
    ]
