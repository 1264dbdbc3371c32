import datetime

from ocophub.conftest import legacy_commune
from ocophub.places.models import Era, Province
from ocophub.support.models import Attendance, Indicator, Membership, Programme, Target
from ocophub.support.progress import figures

from .conftest import MY_THANH

D = datetime.date


def registered(make_case, day, **fields):
    fields.setdefault("stage", "registered")
    return make_case(
        conference_on=day, registered_on=day, registration_number=f"R{day:%y%m%d}", **fields
    )


def test_agreement_progress_is_computed_from_linked_records(
    make_case, make_course, make_person, home
):
    deal = Programme.objects.create(
        kind="agreement",
        name="Bưu điện tỉnh",
        partner="Bưu điện",
        starts_on=D(2024, 1, 1),
        commune=home,
    )
    targets = {
        i: Target.objects.create(programme=deal, indicator=i, target=10) for i in Indicator.values
    }
    coop = registered(make_case, D(2024, 3, 1))
    group = registered(make_case, D(2024, 3, 2), org_type="coop_group", name="THT")
    before = registered(make_case, D(2023, 12, 1), founding_group_on=D(2023, 11, 1), name="Cũ")
    unregistered = make_case(name="Chưa")
    course = make_course(sessions=1)
    a, b = make_person("A"), make_person("B")
    for p in (a, b):
        Attendance.objects.create(session=course.sessions.get(), person=p, status="present")
    assert targets[Indicator.COOPERATIVES_FOUNDED].achieved() == 0  # nothing linked yet
    deal.cases.set([coop, group, before, unregistered])
    deal.courses.set([course])
    got = {i: t.achieved() for i, t in targets.items()}
    assert got == {
        Indicator.COOPERATIVES_FOUNDED: 1,
        Indicator.GROUPS_FOUNDED: 1,
        Indicator.COURSES_HELD: 1,
        Indicator.MEMBERS_TRAINED: 2,
        # Counted from the market's listings (test_products_listed_progress): none here.
        Indicator.PRODUCTS_LISTED: 0,
    }


def test_figures_for_a_unit_in_either_era(make_case, make_course, make_person, phu_tho):
    my_thanh = legacy_commune(MY_THANH)
    old = registered(make_case, D(2024, 3, 1), commune=my_thanh)
    new = registered(make_case, D(2025, 9, 1), name="Mới")
    for case, n in ((old, 3), (new, 2)):
        for i in range(n):
            Membership.objects.create(
                case=case, person=make_person(f"{case} {i}"), joined_on=case.registered_on
            )
    course = make_course(sessions=2, commune=my_thanh)
    for p in (make_person("X"), make_person("Y")):
        for s in course.sessions.all():
            Attendance.objects.create(session=s, person=p, status="present")
    hoa_binh = Province.objects.get(era=Era.LEGACY, code=17)
    legacy = figures(my_thanh.district, D(2018, 1, 1), D(2025, 12, 31))
    # Quyết Thắng was formed wholly from Lạc Sơn district's communes: its case counts there.
    assert (legacy["cooperatives_founded"], legacy["cooperative_members"]) == (2, 5)
    assert (legacy["courses"], legacy["participations"], legacy["participants"]) == (1, 2, 2)
    current = figures(phu_tho, D(2018, 1, 1), D(2025, 12, 31))
    assert (current["cooperatives_founded"], current["cooperative_members"]) == (2, 5)
    assert figures(hoa_binh, D(2024, 1, 1), D(2024, 12, 31))["cooperatives_founded"] == 1
    assert figures(phu_tho, D(2025, 1, 1), D(2025, 12, 31))["cooperatives_founded"] == 1


def test_a_commune_union_officer_sees_only_their_communes(
    make_case,
    make_course,
    elsewhere,
    commune_union_officer,
    union_officer,
    commune_officer,
    producer_account,
):
    here, there = make_case(name="Ở đây"), make_case(name="Ở kia", commune=elsewhere)
    make_course(), make_course(commune=elsewhere)
    from ocophub.support.models import Course, SupportCase

    assert list(SupportCase.objects.visible_to(commune_union_officer)) == [here]
    assert set(SupportCase.objects.visible_to(union_officer)) == {here, there}
    assert Course.objects.visible_to(commune_union_officer).count() == 1
    assert not SupportCase.objects.visible_to(commune_officer).exists()
    assert not SupportCase.objects.visible_to(producer_account).exists()
