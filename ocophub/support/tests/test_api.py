import datetime

import pytest
from django.test import Client

from ocophub.accounts.models import ApiToken, Role
from ocophub.conftest import current_commune, make_user
from ocophub.support.models import (
    Attendance,
    DuplicateProposal,
    Membership,
    ReportedFigure,
    RosterView,
)
from ocophub.support.progress import figures as progress_figures

from .conftest import LAC_SON

D = datetime.date
API = "/api/v1/support"


def token_client(user):
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


@pytest.fixture
def officer(commune_union_officer):
    return token_client(commune_union_officer)


@pytest.fixture
def world(make_case, make_course, make_person, make_producer, elsewhere, commune_union_officer):
    """A registered cooperative here with a member who left and one who stayed, a case
    elsewhere; a course here with two sessions, one elsewhere."""
    coop = make_case(
        name="HTX Mật ong Quyết Thắng",
        stage="registered",
        conference_on=D(2024, 2, 1),
        registered_on=D(2024, 3, 1),
        registration_number="5400123456",
        producer=make_producer(name="HTX Mật ong Quyết Thắng"),
    )
    hoa = make_person(
        "Bùi Thị Hoa",
        gender="female",
        ethnicity="Mường",
        phone="0912000001",
        citizen_id="017300001234",
        entered_by=commune_union_officer,
    )
    nam = make_person("Đinh Văn Nam", gender="male", ethnicity="Kinh", citizen_id="017300005678")
    Membership.objects.create(case=coop, person=hoa, joined_on=D(2024, 1, 10))
    Membership.objects.create(
        case=coop, person=nam, joined_on=D(2024, 1, 10), left_on=D(2024, 6, 1)
    )
    far = make_case(name="THT Chè Lạc Sơn", commune=elsewhere, org_type="coop_group")
    course = make_course(sessions=2)
    first, second = course.sessions.all()
    Attendance.objects.create(session=first, person=hoa, status="present")
    Attendance.objects.create(session=second, person=hoa, status="late")
    Attendance.objects.create(session=first, person=nam, status="absent")
    again = make_person("Bùi T. Hoa", phone="0912000001")
    Attendance.objects.create(session=second, person=again, status="present")
    (proposal,) = DuplicateProposal.propose_for(again)
    proposal.confirm(commune_union_officer)
    other_course = make_course(sessions=1, topic="Nuôi cá", commune=elsewhere)
    return {
        "coop": coop,
        "far": far,
        "course": course,
        "other_course": other_course,
        "hoa": hoa,
        "again": again,
    }


def test_cases_list_the_officers_communes_with_members_on_the_day(officer, world):
    r = officer.get(f"{API}/cases", {"as_of": "2024-05-01"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    (case,) = body["items"]
    assert (case["name"], case["stage"], case["members"]) == (
        "HTX Mật ong Quyết Thắng",
        "registered",
        2,
    )
    assert case["registration_number"] == "5400123456" and case["commune_ref"] == "current:5323"
    later = officer.get(f"{API}/cases", {"as_of": "2024-07-01"}).json()
    assert later["items"][0]["members"] == 1
    assert officer.get(f"{API}/cases", {"stage": "dissolved"}).json()["count"] == 0


def test_a_provincial_union_officer_reads_every_commune_and_filters_by_unit(union_officer, world):
    client = token_client(union_officer)
    assert client.get(f"{API}/cases").json()["count"] == 2
    here = client.get(f"{API}/cases", {"unit": "commune:5323"}).json()
    assert [c["name"] for c in here["items"]] == ["HTX Mật ong Quyết Thắng"]
    # Legacy era: Lạc Sơn district holds both communes' records.
    legacy = client.get(f"{API}/cases", {"unit": "district:" + lac_son_code(), "era": "legacy"})
    assert legacy.json()["count"] == 2


def lac_son_code():
    from ocophub.conftest import legacy_commune

    from .conftest import MY_THANH

    return str(legacy_commune(MY_THANH).district.code)


def test_a_case_shows_the_help_and_the_unconfirmed_minimum(officer, world):
    coop = world["coop"]
    coop.help.create(kind="dossier", given_on=D(2024, 2, 10), note="Điều lệ")
    body = officer.get(f"{API}/cases/{coop.pk}", {"as_of": "2024-07-01"}).json()
    assert body["help"] == [{"kind": "dossier", "given_on": "2024-02-10", "note": "Điều lệ"}]
    assert (body["members"], body["minimum_members"], body["below_minimum"]) == (1, 5, True)


def test_members_as_of_a_date_mask_citizen_ids_and_leave_a_trace(officer, union_officer, world):
    coop = world["coop"]
    url = f"{API}/organisations/{coop.pk}/members"
    body = officer.get(url, {"as_of": "2024-05-01"}).json()
    assert (body["count"], body["as_of"], body["women"], body["ethnic_minority"]) == (
        2,
        "2024-05-01",
        1,
        1,
    )
    ids = {m["full_name"]: m["citizen_id"] for m in body["items"]}
    # The officer who entered Hoa's ID sees it; Nam's was entered by someone else.
    assert ids == {"Bùi Thị Hoa": "017300001234", "Đinh Văn Nam": "********5678"}
    later = token_client(union_officer).get(url, {"as_of": "2024-06-01"}).json()
    assert [m["full_name"] for m in later["items"]] == ["Bùi Thị Hoa"]
    assert later["items"][0]["citizen_id"] == "********1234"
    assert list(RosterView.objects.values_list("as_of", flat=True).order_by("at")) == [
        D(2024, 5, 1),
        D(2024, 6, 1),
    ]


def test_courses_in_a_unit_and_period_count_participations_and_people(officer, world):
    r = officer.get(f"{API}/courses", {"unit": "5323", "from": "2024-01-01", "to": "2024-12-31"})
    body = r.json()
    assert body["count"] == 1
    (course,) = body["items"]
    # Hoa and her merged duplicate are one person, who attended both sessions.
    assert (course["session_count"], course["participations"], course["participants"]) == (
        2,
        1,
        1,
    )
    assert course["completed"] == 1 and course["field"] == "husbandry"
    assert officer.get(f"{API}/courses", {"from": "2025-01-01"}).json()["count"] == 0
    assert officer.get(f"{API}/courses").json()["count"] == 1  # no period: every date


def test_a_course_lists_its_sessions_and_a_session_its_attendance(officer, world):
    course = world["course"]
    body = officer.get(f"{API}/courses/{course.pk}").json()
    assert [s["attendance"] for s in body["sessions"]] == [
        {"present": 1, "late": 0, "excused": 0, "absent": 1},
        {"present": 1, "late": 1, "excused": 0, "absent": 0},
    ]
    second = body["sessions"][1]["id"]
    marks = officer.get(f"{API}/sessions/{second}/attendance").json()
    assert marks["count"] == 2
    hoa = world["hoa"].pk
    assert {(m["full_name"], m["status"], m["counts_as"]) for m in marks["items"]} == {
        ("Bùi Thị Hoa", "late", hoa),
        ("Bùi T. Hoa", "present", hoa),
    }


def test_figures_are_those_of_the_report_with_reported_totals_beside(union_officer, world, phu_tho):
    ReportedFigure.objects.create(
        indicator="cooperatives_founded",
        value=72,
        period_from=D(2018, 1, 1),
        period_to=D(2023, 12, 31),
        unit_ref="legacy:17",
        source="Báo Hòa Bình, 2024",
    )
    client = token_client(union_officer)
    r = client.get(f"{API}/figures", {"unit": "25", "from": "2024-01-01", "to": "2024-12-31"})
    assert r.status_code == 200
    body = r.json()
    assert body == {
        "computed": progress_figures(phu_tho, D(2024, 1, 1), D(2024, 12, 31), union_officer),
        "reported": [],
    }
    assert body["computed"]["cooperatives_founded"] == 1
    assert body["computed"]["cooperative_members"] == 1  # Nam left before 31 December
    assert (body["computed"]["participations"], body["computed"]["participants"]) == (1, 1)
    old = client.get(
        f"{API}/figures", {"unit": "17", "era": "legacy", "from": "2018-01-01", "to": "2023-12-31"}
    ).json()
    assert old["reported"] == [
        {
            "indicator": "cooperatives_founded",
            "value": 72,
            "period": "2018-01-01/2023-12-31",
            "source": "Báo Hòa Bình, 2024",
        }
    ]
    assert old["computed"]["cooperatives_founded"] == 0


def test_the_province_office_reads_the_figures_too(province_officer, world):
    r = token_client(province_officer).get(f"{API}/figures", {"from": "2024-01-01"})
    assert r.status_code == 200 and r.json()["computed"]["courses"] == 2


@pytest.mark.parametrize(
    "query, param",
    [
        ({"unit": "xyz"}, "unit"),
        ({"unit": "17", "era": "past"}, "era"),
        ({"from": "01/02/2024"}, "from"),
        ({"from": "2024-05-01", "to": "2024-01-01"}, "to"),
    ],
)
def test_bad_figures_parameters_answer_400_naming_the_parameter(officer, world, query, param):
    r = officer.get(f"{API}/figures", query, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    body = r.json()
    assert list(body["errors"]) == [param] and body["detail"] == body["errors"][param]


def test_a_commune_union_officer_gets_nothing_of_another_commune(officer, world):
    far, other = world["far"], world["other_course"]
    for url in (
        f"{API}/cases/{far.pk}",
        f"{API}/organisations/{far.pk}/members",
        f"{API}/courses/{other.pk}",
        f"{API}/sessions/{other.sessions.get().pk}/attendance",
    ):
        r = officer.get(url)
        assert r.status_code == 404 and "detail" in r.json()
    assert officer.get(f"{API}/courses", {"unit": f"commune:{LAC_SON}"}).json()["count"] == 0
    fig = officer.get(f"{API}/figures", {"from": "2024-01-01"}).json()["computed"]
    assert fig["courses"] == 1  # the other commune's course is not counted


def test_a_producer_reads_only_its_own_organisation_and_roster(world, producer_account):
    world["coop"].producer.accounts.add(producer_account)
    client = token_client(producer_account)
    cases = client.get(f"{API}/cases").json()
    assert [c["id"] for c in cases["items"]] == [world["coop"].pk]
    roster = client.get(f"{API}/organisations/{world['coop'].pk}/members").json()
    assert roster["count"] == 1 and roster["items"][0]["citizen_id"] == "********1234"
    assert client.get(f"{API}/organisations/{world['far'].pk}/members").status_code == 404
    assert client.get(f"{API}/courses").json()["count"] == 0
    assert client.get(f"{API}/figures").status_code == 403


def test_other_roles_get_403_and_no_caller_401(client, commune_officer, world):
    r = token_client(commune_officer).get(f"{API}/cases")
    assert r.status_code == 403 and "Hội Nông dân" in r.json()["detail"]  # Vietnamese first
    inspector = make_user("inspector", Role.INSPECTOR, province=commune_officer.province)
    assert token_client(inspector).get(f"{API}/figures").status_code == 403
    for url in (f"{API}/cases", f"{API}/courses", f"{API}/figures"):
        assert client.get(url).status_code == 401


def test_a_signed_in_union_officer_reads_with_the_session(client, commune_union_officer, world):
    client.force_login(commune_union_officer)
    assert client.get(f"{API}/cases").json()["count"] == 1
    assert current_commune(5323).name in client.get(f"{API}/cases").json()["items"][0]["commune"]
