import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ocophub.accounts import demo as accounts_demo
from ocophub.accounts.demo import password_for
from ocophub.accounts.models import Role, User
from ocophub.market.models import Listing
from ocophub.producers import demo as producers_demo
from ocophub.support import demo
from ocophub.support.models import (
    Course,
    DuplicateProposal,
    Person,
    Programme,
    ProposalStatus,
    ReportedFigure,
    Stage,
    SupportCase,
)
from ocophub.support.progress import figures

D = datetime.date


def load():
    """The demo data the union's records rest on (users, the registry), then theirs."""
    for module in (accounts_demo, producers_demo, demo):
        module.load()


def test_the_demo_command_fills_the_union_pages_and_adds_nothing_the_second_time(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    union = User.objects.get(username="union")
    assert union.role == Role.UNION_OFFICER and union.check_password(password_for("union"))
    counts = (SupportCase.objects.count(), Course.objects.count(), Person.objects.count())
    assert counts[0] >= 4 and counts[1] >= 3
    assert demo.load() == "0 founding cases, 0 courses, 0 people, 0 reported figures created"
    assert (SupportCase.objects.count(), Course.objects.count(), Person.objects.count()) == counts


def test_the_demo_agreements_count_the_market_demo_listings_on_their_platform(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    post = Programme.objects.get(partner="Bưu điện tỉnh Hòa Bình")
    viettel = Programme.objects.get(partner="Viettel Hòa Bình")
    for deal, platform in ((post, "postmart"), (viettel, "voso")):
        live = Listing.objects.live().filter(platform=platform).values("product").distinct()
        target = deal.targets.get(indicator="products_listed")
        assert live.count() > 0 and target.achieved() == live.count()


def test_one_demo_case_ends_as_the_registered_cooperative_of_the_registry(db):
    load()
    case = SupportCase.objects.get(name="Hợp tác xã Dổi Chí Đạo")
    assert case.stage == Stage.OPERATING and case.producer.name == case.name
    assert case.registration_number == case.producer.registration_number
    assert case.members_on(D(2021, 1, 1)).count() == 8
    assert case.members_on(D(2021, 12, 31)).count() == 10  # two joined
    assert case.members_on(D(2022, 6, 1)).count() == 9  # one left


def test_a_cooperative_is_being_established_with_its_founding_members(db):
    load()
    being = SupportCase.objects.get(stage=Stage.CONFERENCE)
    assert being.commune.name == "Xã Quyết Thắng" and being.help.count() == 2
    assert being.members_on(D(2025, 12, 1)).count() == 6


def test_demo_courses_in_lac_son_and_tan_lac_have_attendance_and_completers(db):
    load()
    courses = Course.objects.filter(is_sample=True)
    assert {c.commune.name for c in courses} == {"Xã Lạc Sơn", "Xã Tân Lạc"}
    chicken = courses.get(field="husbandry")
    assert chicken.sessions.count() == 3 and 0 < len(chicken.completers()) < 10
    today = timezone.localdate()
    running = courses.get(field="aquaculture")
    assert running.sessions.filter(held_on=today).exists()  # open to QR check-in
    assert not running.sessions.get(held_on=today).attendance.exists()
    got = figures(None, D(2025, 7, 1), D(2025, 12, 31))
    assert got["participations"] > got["participants"] > 0  # some came to two courses


def test_the_reported_provincial_figures_and_a_proposed_duplicate_are_there(db):
    load()
    reported = dict(
        ReportedFigure.objects.filter(unit_ref="legacy:17").values_list("indicator", "value")
    )
    assert reported["cooperatives_founded"] == 72 and reported["group_members"] == 4973
    (proposal,) = DuplicateProposal.objects.all()
    assert proposal.status == ProposalStatus.PROPOSED and proposal.reason == "phone"


def test_the_union_user_sees_the_demo_records_on_its_pages(client, db):
    load()
    client.force_login(User.objects.get(username="union"))
    home = client.get(reverse("support:home")).context
    assert home["cases"] >= 4 and home["courses"] >= 3 and home["proposals"] == 1
    report = client.get(
        reverse("support:report"),
        {"unit": "17", "era": "legacy", "from": "2018-01-01", "to": "2023-12-31"},
    )
    assert len(report.context["reported"]) == len(demo.REPORTED)
    # Shown by their labels in the user's language, not by their keys.
    page = report.content.decode()
    assert "Tổng số hợp tác xã trong tỉnh" in page and "cooperatives_in_province" not in page
