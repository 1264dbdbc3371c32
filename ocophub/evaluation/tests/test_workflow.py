import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from ocophub.accounts.models import ApiToken, Role
from ocophub.certificates.issuing import issue_certificate
from ocophub.certificates.models import Certificate
from ocophub.conftest import QUYET_THANG, current_commune, make_user
from ocophub.evaluation import workflow
from ocophub.evaluation.classify import council_score
from ocophub.evaluation.models import (
    Council,
    CouncilMember,
    Decision,
    DecisionItem,
    DossierDocument,
    DossierStatus,
    Frozen,
    Round,
    ScoreSheet,
    required_documents,
)

from .conftest import full_scores, scores_totalling

DECISION_DAY = datetime.date(2025, 11, 20)


def score(cycle, user, scores, submit=True):
    sheet = workflow.sheet_for(cycle["dossier"], user)
    return workflow.save_sheet(sheet, scores, user, submit=submit)


def test_local_step_proposes_to_the_province_council(cycle):
    dossier = cycle["dossier"]
    assert dossier.status == DossierStatus.PROPOSED
    assert dossier.council == cycle["council"]
    assert dossier.local_step.level == "commune"  # after 6 July 2025


def test_incomplete_dossier_cannot_be_proposed(cycle, commune_officer):
    dossier = cycle["dossier"]
    dossier.documents.filter(kind="food_safety").delete()
    assert "Document: Food-safety certificate" in dossier.missing()
    dossier.status = DossierStatus.DRAFT
    dossier.save()
    with pytest.raises(ValidationError) as exc:
        workflow.record_local_step(dossier, commune_officer, origin_confirmed=True, proposed=True)
    assert "Food-safety certificate" in str(exc.value)


def test_other_commune_officer_cannot_do_the_local_step(cycle, phu_tho):
    outsider = make_user("outsider", Role.COMMUNE_OFFICER, province=phu_tho)
    outsider.communes.set([current_commune(5266)])
    with pytest.raises(PermissionDenied):
        workflow.record_local_step(cycle["dossier"], outsider, origin_confirmed=True)


def test_member_tied_to_producer_cannot_score(cycle):
    member = cycle["member"]
    cycle["producer"].accounts.add(member)
    with pytest.raises(PermissionDenied) as exc:
        workflow.sheet_for(cycle["dossier"], member)
    assert "account of the producer" in str(exc.value)


def test_declared_conflict_blocks_scoring_and_not_needed_to_close(cycle):
    seat = cycle["council"].members.get(user=cycle["member"])
    seat.declared_conflicts.add(cycle["producer"])
    with pytest.raises(PermissionDenied) as exc:
        workflow.sheet_for(cycle["dossier"], cycle["member"])
    assert "declared a conflict" in str(exc.value)
    score(cycle, cycle["chair"], full_scores(cycle["dossier"].criteria_set))
    workflow.close_scoring(cycle["council"], cycle["chair"])  # the conflicted member is excused


def test_disallowed_level_refused_on_a_sheet(cycle):
    scores = full_scores(cycle["dossier"].criteria_set)
    scores["C01"] = 4  # C01 allows 1, 3, 5
    with pytest.raises(ValidationError) as exc:
        score(cycle, cycle["chair"], scores)
    assert "C01" in exc.value.message_dict
    assert not ScoreSheet.objects.exists()


def test_submit_needs_every_criterion(cycle):
    with pytest.raises(ValidationError) as exc:
        score(cycle, cycle["chair"], {"A01": 3})
    assert "A02" in str(exc.value)
    draft = score(cycle, cycle["chair"], {"A01": 3}, submit=False)
    assert draft.submitted_at is None


def test_independence_no_reading_before_own_submission(cycle):
    chair, member = cycle["chair"], cycle["member"]
    chair_sheet = score(cycle, chair, full_scores(cycle["dossier"].criteria_set))
    assert not workflow.may_read_sheet(member, chair_sheet)
    with pytest.raises(PermissionDenied):
        workflow.save_sheet(chair_sheet, {"A01": 1}, member)
    own = score(cycle, member, full_scores(cycle["dossier"].criteria_set, pick=min), submit=False)
    assert not workflow.may_read_sheet(member, chair_sheet)
    assert not workflow.may_read_sheet(chair, own)  # a draft is nobody else's business
    workflow.save_sheet(own, own.scores, member, submit=True)
    assert workflow.may_read_sheet(member, chair_sheet)
    with pytest.raises(ValidationError):  # submitted sheets are final
        workflow.save_sheet(own, own.scores, member, submit=True)


def test_council_score_is_the_mean_with_divergence_warning(cycle, settings):
    criteria_set = cycle["dossier"].criteria_set
    high = full_scores(criteria_set)
    low = dict(high, C01=1.0, A01=2.0)  # C01 differs by 4 points, A01 by 1
    score(cycle, cycle["chair"], high)
    score(cycle, cycle["member"], low)
    combined = council_score(cycle["dossier"])
    assert combined.per_criterion["C01"] == Decimal("3.00")
    assert combined.per_criterion["A01"] == Decimal("2.50")
    assert combined.total == Decimal("97.50")
    assert combined.diverging == ["C01"]
    settings.EVALUATION_SCORE_RULE = "median"
    assert council_score(cycle["dossier"]).per_criterion["C01"] == Decimal("3.00")
    settings.EVALUATION_DIVERGENCE_POINTS = 5
    assert council_score(cycle["dossier"]).diverging == []


def test_only_chair_closes_and_only_when_all_submitted(cycle):
    council = cycle["council"]
    score(cycle, cycle["chair"], full_scores(cycle["dossier"].criteria_set))
    with pytest.raises(ValidationError) as exc:
        workflow.close_scoring(council, cycle["chair"])
    assert "member2" in str(exc.value) or str(cycle["member"].get_full_name()) in str(exc.value)
    score(cycle, cycle["member"], full_scores(cycle["dossier"].criteria_set))
    with pytest.raises(PermissionDenied):
        workflow.close_scoring(council, cycle["member"])
    workflow.close_scoring(council, cycle["chair"])
    with pytest.raises(ValidationError):
        score(cycle, cycle["member"], {"A01": 1})


def _decide(cycle, province_officer, total=75, **kwargs):
    scores = scores_totalling(cycle["dossier"].criteria_set, total)
    score(cycle, cycle["chair"], scores)
    score(cycle, cycle["member"], scores)
    workflow.close_scoring(cycle["council"], cycle["chair"])
    params = {
        "number": "1234/QĐ-UBND",
        "date": DECISION_DAY,
        "issuing_body": "UBND tỉnh Phú Thọ",
        "body_level": "province",
    }
    params.update(kwargs)
    return workflow.issue_decision(cycle["council"], province_officer, **params)


def test_decision_issues_the_certificate(cycle, province_officer):
    decision = _decide(cycle, province_officer, total=75)
    item = decision.items.get()
    assert (item.stars, item.achieved, item.total) == (4, True, Decimal(75))
    certificate = item.certificate
    assert certificate.stars == 4 and certificate.valid_from == DECISION_DAY
    assert certificate.issued_by == "UBND tỉnh Phú Thọ"
    assert certificate.score == Decimal(75)
    cycle["product"].refresh_from_db()
    assert cycle["product"].stars == 4
    assert decision.issued_at is not None


def test_body_without_authority_refused_nothing_written(cycle, province_officer):
    with pytest.raises(ValidationError) as exc:
        _decide(cycle, province_officer, total=92)  # 5 stars: the ministry's
    assert "National" in str(exc.value)
    assert not Decision.objects.exists() and not Certificate.objects.exists()
    decision = workflow.issue_decision(
        cycle["council"],
        province_officer,
        number="99/QĐ-BNNMT",
        date=DECISION_DAY,
        issuing_body="Bộ Nông nghiệp và Môi trường",
        body_level="national",
    )
    assert decision.items.get().certificate.stars == 5


def test_district_decision_refused_after_july_2025(cycle, province_officer):
    with pytest.raises(ValidationError) as exc:
        _decide(cycle, province_officer, total=60, body_level="district", issuing_body="UBND huyện")
    assert "no District level" in str(exc.value)


def test_decisions_api_shows_the_producer_its_own(client, cycle, province_officer):
    _decide(cycle, province_officer, total=75)
    token = ApiToken.issue(cycle["product"].producer.accounts.get())
    body = client.get("/api/v1/evaluation/decisions", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [d["number"] for d in body] == ["1234/QĐ-UBND"]
    item = body[0]["items"][0]
    assert (item["stars"], item["achieved"], item["total"]) == (4, True, 75)
    assert item["certificate"] == cycle["dossier"].decision_items.get().certificate.number

    other = ApiToken.issue(make_user("p2", "producer"))
    assert (
        client.get("/api/v1/evaluation/decisions", HTTP_AUTHORIZATION=f"Bearer {other}").json()
        == []
    )


def test_not_achieved_gets_no_certificate(cycle, province_officer):
    decision = _decide(cycle, province_officer, total=45)
    item = decision.items.get()
    assert not item.achieved and item.stars is None and item.certificate is None


def test_nothing_changeable_after_the_decision(cycle, province_officer):
    decision = _decide(cycle, province_officer, total=75)
    sheet = ScoreSheet.objects.first()
    sheet.scores["A01"] = 1
    with pytest.raises(Frozen):
        sheet.save()
    with pytest.raises(Frozen):
        sheet.delete()
    decision.number = "changed"
    with pytest.raises(Frozen):
        decision.save()
    with pytest.raises(Frozen):
        decision.delete()
    item = DecisionItem.objects.get()
    item.stars = 5
    with pytest.raises(Frozen):
        item.save()
    with pytest.raises(ValidationError):  # already decided: only a correction may restate it
        workflow.issue_decision(
            cycle["council"],
            province_officer,
            number="1235/QĐ-UBND",
            date=DECISION_DAY,
            issuing_body="UBND tỉnh Phú Thọ",
            body_level="province",
        )


def test_correction_is_a_new_linked_decision(cycle, province_officer):
    decision = _decide(cycle, province_officer, total=75)
    correction = workflow.issue_decision(
        cycle["council"],
        province_officer,
        number="1300/QĐ-UBND",
        date=DECISION_DAY,
        issuing_body="UBND tỉnh Phú Thọ",
        body_level="province",
        corrects=decision,
    )
    assert correction.corrects == decision
    # Same stars: the correction points at the certificate already issued.
    assert correction.items.get().certificate == decision.items.get().certificate
    assert Certificate.objects.count() == 1


def test_dossier_kind_follows_the_products_certificates(cycle, province_officer, make_product):
    round_ = cycle["round"]
    fresh = make_product(cycle["producer"], name="Gà Ri Lạc Sơn")
    with pytest.raises(ValidationError) as exc:
        workflow.register_dossier(round_, fresh, "upgrade", province_officer)
    assert "upgrade needs a certificate" in str(exc.value)
    with pytest.raises(ValidationError):
        workflow.register_dossier(round_, fresh, "reevaluation", province_officer)
    certified = make_product(cycle["producer"], name="Mật ong Thanh An")
    issue_certificate(
        product=certified,
        stars=3,
        score=Decimal(60),
        issued_by="UBND huyện Lạc Sơn",
        valid_from=datetime.date(2024, 5, 1),
    )
    with pytest.raises(ValidationError) as exc:
        workflow.register_dossier(round_, certified, "new", province_officer)
    assert "already holds a certificate" in str(exc.value)
    assert (
        workflow.register_dossier(round_, certified, "upgrade", province_officer).kind == "upgrade"
    )


def test_forwarded_dossier_counts_only_the_new_councils_sheets(cycle, province_officer, phu_tho):
    dossier = cycle["dossier"]
    score(cycle, cycle["chair"], full_scores(dossier.criteria_set, pick=min))
    assert council_score(dossier).sheets == 1
    national = Council.objects.create(round=cycle["round"], level="national", name="Hội đồng TW")
    seat = CouncilMember.objects.create(
        council=national, user=make_user("tw", Role.COUNCIL_MEMBER), is_chair=True
    )
    dossier.council = national
    dossier.save()
    assert council_score(dossier).sheets == 0
    workflow.save_sheet(
        workflow.sheet_for(dossier, seat.user), full_scores(dossier.criteria_set), seat.user, True
    )
    combined = council_score(dossier)
    assert combined.sheets == 1 and combined.total == 100


def test_2024_round_district_decides_3_stars_province_4(
    criteria_sets, province_officer, commune_officer, make_producer, make_product, phu_tho
):
    """Under 148 (before 6 July 2025): the district council scores first and the district
    recognises 3 stars only; a 4-star candidate is forwarded to the province."""
    producer = make_producer(commune=current_commune(QUYET_THANG))
    round_ = Round.objects.create(
        province=phu_tho,
        year=2024,
        number=1,
        opens_on=datetime.date(2024, 4, 1),
        closes_on=datetime.date(2024, 6, 30),
    )
    users = [make_user(f"m{i}", Role.COUNCIL_MEMBER, province=phu_tho) for i in range(4)]
    district = workflow.form_council(
        round_, province_officer, "HĐ huyện Lạc Sơn", users[0], [users[1]], "district"
    )
    province = workflow.form_council(
        round_, province_officer, "HĐ tỉnh", users[2], [users[3]], "province"
    )
    dossiers = {}
    for name, total in (("Măng chua Văn Sơn", 60), ("Xúc xích ốc Lạc Sơn", 78)):
        product = make_product(producer, name=name)
        dossier = workflow.register_dossier(round_, product, "new", province_officer)
        dossier.self_assessment = full_scores(dossier.criteria_set)
        dossier.save()
        for kind in required_documents():
            DossierDocument.objects.create(
                dossier=dossier, kind=kind, file=ContentFile(b"x", name="x.pdf")
            )
        step = workflow.record_local_step(
            dossier,
            commune_officer,
            origin_confirmed=True,
            proposed=True,
            assessed_on=datetime.date(2024, 5, 1),
        )
        assert step.level == "district"
        dossier.refresh_from_db()
        assert dossier.council == district
        for user in users[:2]:
            workflow.save_sheet(
                workflow.sheet_for(dossier, user),
                scores_totalling(dossier.criteria_set, total),
                user,
                True,
            )
        dossiers[total] = dossier
    workflow.close_scoring(district, users[0])
    params = {
        "date": datetime.date(2024, 7, 15),
        "issuing_body": "UBND huyện Lạc Sơn",
        "body_level": "district",
    }
    with pytest.raises(ValidationError) as exc:
        workflow.issue_decision(district, province_officer, number="12/QĐ-UBND", **params)
    assert "Province level" in str(exc.value)
    decision = workflow.issue_decision(
        district, province_officer, number="12/QĐ-UBND", dossiers=[dossiers[60]], **params
    )
    assert decision.items.get().certificate.stars == 3
    workflow.forward_dossier(dossiers[78], province, province_officer)
    for user in users[2:]:
        workflow.save_sheet(
            workflow.sheet_for(dossiers[78], user),
            scores_totalling(dossiers[78].criteria_set, 76),
            user,
            True,
        )
    workflow.close_scoring(province, users[2])
    decision = workflow.issue_decision(
        province,
        province_officer,
        number="900/QĐ-UBND",
        date=datetime.date(2024, 8, 1),
        issuing_body="UBND tỉnh Hòa Bình",
        body_level="province",
    )
    item = decision.items.get()
    assert (item.total, item.certificate.stars) == (Decimal(76), 4)
