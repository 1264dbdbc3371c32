"""After login each role lands on its start page: panels of what waits for it, with
counts, drawn from crafted data in two provinces so that nobody sees another scope."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from ocophub.accounts.models import Role
from ocophub.compliance import reference
from ocophub.compliance.models import (
    Approval,
    ApprovalStatus,
    CodeScheme,
    Crop,
    GrowingArea,
    Inspection,
    Market,
)
from ocophub.conftest import QUYET_THANG, current_commune, make_user
from ocophub.evaluation import workflow
from ocophub.evaluation.loading import load_shipped
from ocophub.evaluation.models import (
    Council,
    CouncilMember,
    DossierDocument,
    DossierStatus,
    Round,
    ScoreSheet,
    required_documents,
)
from ocophub.market.models import Enquiry, EnquiryStatus, Listing, ListingStatus
from ocophub.places.models import Commune, Era, Province
from ocophub.site import start
from ocophub.support.models import Course, Session, SupportCase
from ocophub.testing.builders import make_batch, make_certificate

TODAY = timezone.localdate()


def hanoi_commune():
    return Commune.objects.filter(era=Era.CURRENT, province__code=1).order_by("code").first()


def with_documents(dossier):
    for kind in required_documents():
        DossierDocument.objects.create(
            dossier=dossier, kind=kind, file=ContentFile(b"%PDF-1.4", name=f"{kind}.pdf")
        )
    return dossier


def make_round(province, number=1):
    return Round.objects.create(
        province=province,
        year=TODAY.year,
        number=number,
        opens_on=TODAY - datetime.timedelta(days=30),
        closes_on=TODAY + datetime.timedelta(days=30),
    )


@pytest.fixture
def world(
    phu_tho,
    province_officer,
    other_province_officer,
    commune_officer,
    producer_account,
    make_producer,
    make_product,
):
    """Phú Thọ: the producer's cooperative in Quyết Thắng (the commune officer's) with
    a dossier missing documents, one complete and waiting for the commune, one before
    a council of two; Hà Nội: a cooperative with the same kinds of records, which no
    Phú Thọ account may see."""
    load_shipped()
    hanoi = other_province_officer.province
    coop = make_producer(commune=current_commune(QUYET_THANG), account=producer_account)
    other_account = make_user("producer-hn", Role.PRODUCER)
    far = make_producer(commune=hanoi_commune(), account=other_account)

    honey = make_product(coop, name="Mật ong Thanh An", gtin="8930000000019")
    tea = make_product(coop, name="Chè xanh Thanh An")
    salt = make_product(coop, name="Muối hạt dổi")
    rice = make_product(far, name="Gạo nếp Hà Nội")
    far_tea = make_product(far, name="Chè Ba Vì")

    rnd = make_round(phu_tho)
    incomplete = workflow.register_dossier(rnd, honey, "new", producer_account)
    waiting = with_documents(workflow.register_dossier(rnd, tea, "new", producer_account))
    before_council = with_documents(workflow.register_dossier(rnd, salt, "new", producer_account))
    chair = make_user("council1", Role.COUNCIL_MEMBER, province=phu_tho)
    member = make_user("council2", Role.COUNCIL_MEMBER, province=phu_tho)
    council = Council.objects.create(round=rnd, name="Hội đồng OCOP tỉnh Phú Thọ")
    seat = CouncilMember.objects.create(council=council, user=chair, is_chair=True)
    CouncilMember.objects.create(council=council, user=member)
    before_council.status, before_council.council = DossierStatus.PROPOSED, council
    before_council.save()

    hanoi_round = make_round(hanoi)
    with_documents(workflow.register_dossier(hanoi_round, rice, "new", other_account))
    far_proposed = workflow.register_dossier(hanoi_round, far_tea, "new", other_account)
    far_proposed.status = DossierStatus.PROPOSED
    far_proposed.save()
    hanoi_member = make_user("council-hn", Role.COUNCIL_MEMBER, province=hanoi)
    hanoi_council = Council.objects.create(round=hanoi_round, name="Hội đồng Hà Nội")
    CouncilMember.objects.create(council=hanoi_council, user=hanoi_member)

    soon = make_certificate(honey, valid_until=TODAY + datetime.timedelta(days=20))
    make_certificate(tea, valid_until=TODAY + datetime.timedelta(days=400))
    make_certificate(rice, valid_until=TODAY + datetime.timedelta(days=10))

    buyer = make_user("buyer", Role.BUYER, first_name="Hà", last_name="Trần Thu")
    other_buyer = make_user("buyer2", Role.BUYER)
    Enquiry.objects.create(buyer=buyer, product=honey, quantity="200 hũ")
    Enquiry.objects.create(
        buyer=buyer, product=tea, quantity="50 kg", status=EnquiryStatus.ANSWERED
    )
    Enquiry.objects.create(buyer=other_buyer, product=rice, quantity="1 tấn")
    Listing.objects.create(
        product=tea,
        platform="shopee",
        url="https://shopee.vn/x",
        status=ListingStatus.LIVE,
        broken=True,
    )
    Listing.objects.create(product=honey, platform="voso", url="https://voso.vn/y")
    Listing.objects.create(product=rice, platform="tiki", url="https://tiki.vn/z", broken=True)
    make_batch(honey, producer_account, lot="MO-01")
    return {
        "round": rnd,
        "council": council,
        "seat": seat,
        "incomplete": incomplete,
        "waiting": waiting,
        "before_council": before_council,
        "far_proposed": far_proposed,
        "chair": chair,
        "member": member,
        "hanoi_member": hanoi_member,
        "buyer": buyer,
        "soon": soon,
        "users": {
            "province": province_officer,
            "hanoi": other_province_officer,
            "commune": commune_officer,
            "producer": producer_account,
            "producer-hn": other_account,
        },
    }


def counts(user):
    with translation.override("en"):
        return {p["title"]: p["count"] for p in start.panels_for(user)}


def labels(user):
    with translation.override("en"):
        return {p["title"]: [i["label"] for i in p["items"]] for p in start.panels_for(user)}


def page(client, user):
    """The start page in English (staff pages turn English only by the switch)."""
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("site:start"))
    assert response.status_code == 200
    return response.content.decode()


def panel_count(html, title):
    """The count badge beside a panel's title on the rendered page."""
    match = re.search(
        re.escape(title) + r'\s*<span class="start-count[^"]*" data-count="(\d+)"', html
    )
    assert match, f"no panel {title!r}"
    return int(match.group(1))


def test_login_lands_on_the_start_page(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "council1", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("site:start")


def test_the_start_page_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("site:start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_council_member_sees_the_dossiers_waiting_for_their_score(client, world):
    html = page(client, world["chair"])
    assert panel_count(html, "Dossiers waiting for your score") == 1
    assert "Muối hạt dổi" in html
    assert reverse("evaluation:score", args=[world["before_council"].pk]) in html
    # The Hà Nội member sits on a council with no dossier: nothing of Phú Thọ.
    assert counts(world["hanoi_member"]) == {"Dossiers waiting for your score": 0}


def test_a_submitted_sheet_or_a_conflict_leaves_the_members_list(world):
    ScoreSheet.objects.create(
        dossier=world["before_council"], member=world["seat"], submitted_at=timezone.now()
    )
    assert counts(world["chair"])["Dossiers waiting for your score"] == 0
    member_seat = world["council"].members.get(user=world["member"])
    member_seat.declared_conflicts.add(world["before_council"].product.producer)
    assert counts(world["member"])["Dossiers waiting for your score"] == 0


def test_a_producer_sees_its_dossiers_certificates_enquiries_listings_and_batches(client, world):
    html = page(client, world["users"]["producer"])
    assert panel_count(html, "Dossiers to complete") == 1
    assert panel_count(html, "Certificates expiring within 90 days") == 1
    assert panel_count(html, "Enquiries to answer") == 1
    assert panel_count(html, "Shop listings whose link no longer opens") == 1
    assert panel_count(html, "Batches whose labels lead to an unpublished product") == 1
    assert "Trần Thu Hà asks for 200 hũ" in html
    # An enquiry opens where it is answered; "See all" is the enquiries inbox.
    honey_enquiry = Enquiry.objects.get(quantity="200 hũ")
    assert reverse("market:enquiry", args=[honey_enquiry.pk]) in html
    assert f'href="{reverse("market:enquiries")}"' in html
    inbox = client.get(reverse("market:enquiries")).content.decode()
    assert "200 hũ" in inbox and "1 tấn" not in inbox
    assert client.get(reverse("market:enquiry", args=[honey_enquiry.pk])).status_code == 200
    seen = labels(world["users"]["producer"])
    assert seen["Dossiers to complete"] == ["Mật ong Thanh An"]
    assert seen["Shop listings whose link no longer opens"] == ["Chè xanh Thanh An · Shopee"]
    assert seen["Certificates expiring within 90 days"] == [
        f"Mật ong Thanh An · {world['soon'].number}"
    ]
    assert "Gạo nếp Hà Nội" not in html


def test_a_producer_of_another_province_sees_only_its_own(world):
    seen = counts(world["users"]["producer-hn"])
    assert seen["Enquiries to answer"] == 1
    assert seen["Shop listings whose link no longer opens"] == 1
    assert seen["Certificates expiring within 90 days"] == 1
    # Its rice dossier is complete and its tea proposed: the Phú Thọ honey is not its own.
    assert seen["Dossiers to complete"] == 0
    assert seen["Batches whose labels lead to an unpublished product"] == 0


def test_a_commune_officer_sees_the_dossiers_waiting_for_the_commune_check(client, world):
    html = page(client, world["users"]["commune"])
    assert panel_count(html, "Dossiers waiting for the commune check") == 1
    assert reverse("evaluation:local_step", args=[world["waiting"].pk]) in html
    assert panel_count(html, "Certificates expiring within 90 days") == 1
    assert "Gạo nếp Hà Nội" not in html


def test_the_provincial_office_sees_councils_ready_to_close_and_dossiers_without_one(client, world):
    office = world["users"]["province"]
    assert counts(office)["Councils ready to close scoring"] == 0
    for seat in world["council"].members.all():
        ScoreSheet.objects.create(
            dossier=world["before_council"], member=seat, submitted_at=timezone.now()
        )
    html = page(client, office)
    assert panel_count(html, "Councils ready to close scoring") == 1
    assert "Hội đồng OCOP tỉnh Phú Thọ" in html
    assert panel_count(html, "Proposed dossiers without a council") == 0
    assert panel_count(html, "Certificates expiring within 90 days") == 1
    hanoi = counts(world["users"]["hanoi"])
    assert hanoi["Proposed dossiers without a council"] == 1
    assert hanoi["Councils ready to close scoring"] == 0
    assert hanoi["Certificates expiring within 90 days"] == 1
    assert "Chè Ba Vì" in labels(world["users"]["hanoi"])["Proposed dossiers without a council"]


def test_a_buyer_sees_their_enquiries_and_not_anothers(client, world):
    html = page(client, world["buyer"])
    assert panel_count(html, "Your enquiries") == 2
    assert "Gạo nếp Hà Nội" not in html
    assert counts(Enquiry.objects.get(quantity="1 tấn").buyer) == {"Your enquiries": 1}


def test_a_union_officer_sees_sessions_today_and_groups_being_founded(client, phu_tho):
    union = make_user("union", Role.UNION_OFFICER, province=phu_tho)
    home = current_commune(QUYET_THANG)
    course = Course.objects.create(
        topic="Nuôi ong lấy mật",
        field="husbandry",
        starts_on=TODAY - datetime.timedelta(days=1),
        ends_on=TODAY + datetime.timedelta(days=1),
        commune=home,
    )
    Session.objects.create(course=course, held_on=TODAY)
    Session.objects.create(course=course, held_on=TODAY + datetime.timedelta(days=1))
    SupportCase.objects.create(
        name="Tổ hợp tác mật ong", org_type="cooperative", commune=home, founding_group_on=TODAY
    )
    SupportCase.objects.create(
        name="HTX đã hoạt động",
        org_type="cooperative",
        commune=home,
        founding_group_on=TODAY,
        stage="operating",
    )
    far = Course.objects.create(
        topic="Khóa Hà Nội",
        field="husbandry",
        starts_on=TODAY,
        ends_on=TODAY,
        commune=hanoi_commune(),
    )
    Session.objects.create(course=far, held_on=TODAY)
    html = page(client, union)
    assert panel_count(html, "Course sessions today") == 1
    assert panel_count(html, "Groups being founded") == 1
    assert "Khóa Hà Nội" not in html


def test_an_inspector_sees_inspections_due_and_codes_suspended_or_expiring(client, phu_tho):
    reference.load()
    inspector = make_user("inspector", Role.INSPECTOR, province=phu_tho)
    hanoi = Province.objects.get(era=Era.CURRENT, code=1)
    other = make_user("inspector-hn", Role.INSPECTOR, province=hanoi)
    from ocophub.testing.builders import make_producer

    coop = make_producer(commune=current_commune(QUYET_THANG))
    scheme = CodeScheme.objects.filter(kind="area").first()
    crop, market = Crop.objects.first(), Market.objects.first()

    def area(code, commune=None):
        return GrowingArea.objects.create(
            code=code,
            scheme=scheme,
            crop=crop,
            producer=coop,
            commune=commune or current_commune(QUYET_THANG),
        )

    due, later, far = area("VN-A-1"), area("VN-A-2"), area("VN-A-3", hanoi_commune())
    week_ago = TODAY - datetime.timedelta(days=7)
    Inspection.objects.create(
        area=due,
        on=week_ago - datetime.timedelta(days=90),
        inspector=inspector,
        next_visit=week_ago,
    )
    # A newer inspection replaces the older one's due date.
    Inspection.objects.create(
        area=later,
        on=week_ago - datetime.timedelta(days=90),
        inspector=inspector,
        next_visit=week_ago,
    )
    Inspection.objects.create(
        area=later, on=week_ago, inspector=inspector, next_visit=TODAY + datetime.timedelta(days=90)
    )
    Inspection.objects.create(area=far, on=week_ago, inspector=other, next_visit=TODAY)
    Approval.objects.create(area=due, market=market, status=ApprovalStatus.SUSPENDED)
    Approval.objects.create(
        area=later,
        market=market,
        status=ApprovalStatus.APPROVED,
        expires_on=TODAY + datetime.timedelta(days=40),
        product=None,
    )
    Approval.objects.create(area=far, market=market, status=ApprovalStatus.SUSPENDED)

    html = page(client, inspector)
    assert panel_count(html, "Inspections due") == 1
    assert panel_count(html, "Export codes suspended or expiring") == 2
    assert labels(inspector)["Inspections due"] == ["VN-A-1"]
    assert "VN-A-3" not in html
    assert counts(other) == {"Inspections due": 1, "Export codes suspended or expiring": 1}


def test_the_start_page_reads_in_vietnamese_by_default(client, world):
    client.force_login(world["chair"])
    html = client.get(reverse("site:start")).content.decode()
    assert "Hồ sơ chờ bạn chấm điểm" in html
    assert 'lang="vi"' in html
