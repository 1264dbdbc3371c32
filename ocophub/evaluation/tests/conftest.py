import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from ocophub.accounts.models import Role
from ocophub.conftest import QUYET_THANG, current_commune, make_user
from ocophub.evaluation import workflow
from ocophub.evaluation.loading import load_shipped
from ocophub.evaluation.models import CriteriaSet, DossierDocument, Round, required_documents

FOOD_2023 = "148-2023-thuc-pham"
FRESH_2019 = "1048-2019-nong-san-tuoi-song"


@pytest.fixture
def criteria_sets(db):
    load_shipped()
    return {s.code: s for s in CriteriaSet.objects.all()}


@pytest.fixture
def food_set(criteria_sets):
    return criteria_sets[FOOD_2023]


def full_scores(criteria_set, pick=max):
    """A score for every criterion: `pick` chooses among its allowed levels."""
    return {c.code: float(pick(c.allowed_points)) for c in criteria_set.criteria()}


def scores_totalling(criteria_set, total):
    """Allowed levels adding up to exactly `total`, every minimum requirement met."""
    criteria = list(criteria_set.criteria())
    scores = {c.code: c.required_points or min(c.allowed_points) for c in criteria}
    remaining = total - sum(scores.values())
    assert remaining >= 0, "total below the minimum-requirement floor"
    for c in criteria:
        for level in sorted(c.allowed_points, reverse=True):
            step = level - scores[c.code]
            if 0 < step <= remaining:
                scores[c.code] = level
                remaining -= step
                break
    # Fill any remainder one small step at a time.
    changed = True
    while remaining and changed:
        changed = False
        for c in criteria:
            higher = [
                p
                for p in c.allowed_points
                if p > scores[c.code] and p - scores[c.code] <= remaining
            ]
            if higher:
                step = min(higher) - scores[c.code]
                scores[c.code] += step
                remaining -= step
                changed = True
                if not remaining:
                    break
    assert remaining == 0, f"cannot reach {total}"
    return {k: float(v) for k, v in scores.items()}


@pytest.fixture
def council_users(phu_tho):
    return (
        make_user("chair", Role.COUNCIL_MEMBER, province=phu_tho),
        make_user("member2", Role.COUNCIL_MEMBER, province=phu_tho),
    )


@pytest.fixture
def cycle(
    criteria_sets,
    province_officer,
    commune_officer,
    make_producer,
    make_product,
    producer_account,
    council_users,
):
    """An open round (opened 1 Aug 2025) with one proposed dossier before a council of
    two, the chair and a member."""
    producer = make_producer(commune=current_commune(QUYET_THANG), account=producer_account)
    product = make_product(producer, name="Muối hạt dổi Chí Đạo")
    round_ = Round.objects.create(
        province=province_officer.province,
        year=2025,
        number=2,
        opens_on=datetime.date(2025, 8, 1),
        closes_on=datetime.date(2025, 10, 31),
    )
    dossier = workflow.register_dossier(round_, product, "new", producer_account)
    dossier.self_assessment = full_scores(dossier.criteria_set)
    dossier.save()

    for kind in required_documents():
        DossierDocument.objects.create(
            dossier=dossier, kind=kind, file=ContentFile(b"%PDF-1.4", name=f"{kind}.pdf")
        )
    chair, member = council_users
    council = workflow.form_council(round_, province_officer, "Hội đồng tỉnh", chair, [member])
    workflow.record_local_step(
        dossier,
        commune_officer,
        origin_confirmed=True,
        local_workers=8,
        total_workers=10,
        proposed=True,
    )
    dossier.refresh_from_db()
    return {
        "round": round_,
        "dossier": dossier,
        "council": council,
        "chair": chair,
        "member": member,
        "product": product,
        "producer": producer,
    }


@pytest.fixture(autouse=True)
def _english_messages():
    # Messages are asserted in English; pages are checked in Vietnamese through HTTP.

    with translation.override("en"):
        yield
