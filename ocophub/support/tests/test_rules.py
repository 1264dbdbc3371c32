import datetime

import pytest
from django.core.exceptions import ValidationError

from ocophub.support.models import (
    Attendance,
    DuplicateProposal,
    Membership,
    MinimumMembers,
    Person,
    ProposalStatus,
    Stage,
)
from ocophub.support.progress import attended, participants, participations

D = datetime.date


def join(case, person, joined, left=None):
    m = Membership(case=case, person=person, joined_on=joined, left_on=left)
    m.full_clean()
    m.save()
    return m


def tick(course, person, statuses):
    for session, status in zip(course.sessions.all(), statuses, strict=False):
        Attendance.objects.create(session=session, person=person, status=status)


# ---------------------------------------------------------------- cases


def test_a_case_moves_forward_one_stage_at_a_time_and_records_each_date(make_case, make_producer):
    case = make_case()
    case.advance(Stage.CONFERENCE, D(2024, 2, 1))
    with pytest.raises(ValidationError):
        case.advance(Stage.OPERATING, D(2024, 3, 1))
    case.advance(Stage.REGISTERED, D(2024, 3, 1), registration_number="5400123456")
    producer = make_producer(name="HTX Mật ong Quyết Thắng")
    case.producer = producer
    case.full_clean()
    case.save()
    case.advance(Stage.OPERATING, D(2024, 4, 1))
    case.refresh_from_db()
    assert (case.stage, case.conference_on, case.registered_on) == (
        Stage.OPERATING,
        D(2024, 2, 1),
        D(2024, 3, 1),
    )
    assert producer.support_case == case


def test_registering_needs_the_registration_number(make_case):
    case = make_case(stage=Stage.CONFERENCE, conference_on=D(2024, 2, 1))
    with pytest.raises(ValidationError) as err:
        case.advance(Stage.REGISTERED, D(2024, 3, 1))
    assert "registration_number" in err.value.message_dict


def test_stage_dates_cannot_run_backwards(make_case):
    case = make_case(stage=Stage.CONFERENCE, conference_on=D(2024, 2, 1))
    with pytest.raises(ValidationError):
        case.advance(Stage.REGISTERED, D(2024, 1, 1), registration_number="1")


def test_a_case_can_be_dissolved_from_any_stage_and_then_stays_dissolved(make_case):
    case = make_case()
    case.advance(Stage.DISSOLVED, D(2024, 5, 1))
    with pytest.raises(ValidationError):
        case.advance(Stage.CONFERENCE, D(2024, 6, 1))


def test_the_minimum_members_are_data_marked_unconfirmed_and_only_warn(make_case, make_person):
    rule = MinimumMembers.objects.get(org_type="cooperative")
    assert (rule.minimum, rule.confirmed) == (5, False)
    case = make_case()
    for i in range(4):
        join(case, make_person(f"Thành viên {i}"), D(2024, 1, 10))
    assert case.below_minimum(D(2024, 2, 1))
    join(case, make_person("Thành viên 5"), D(2024, 1, 20))
    assert not case.below_minimum(D(2024, 2, 1))
    assert case.below_minimum(D(2024, 1, 15))


# ---------------------------------------------------------------- rosters


def test_a_roster_is_asked_as_of_any_day(make_case, make_person):
    case = make_case()
    a, b, c = make_person("A"), make_person("B"), make_person("C")
    join(case, a, D(2024, 1, 10))
    join(case, b, D(2024, 1, 10), left=D(2024, 6, 1))
    join(case, c, D(2024, 3, 1))
    names = lambda day: sorted(m.person.full_name for m in case.members_on(day))  # noqa: E731
    assert names(D(2024, 1, 9)) == []
    assert names(D(2024, 2, 1)) == ["A", "B"]
    assert names(D(2024, 5, 31)) == ["A", "B", "C"]
    assert names(D(2024, 6, 1)) == ["A", "C"]


def test_a_member_leaves_after_joining_and_memberships_do_not_overlap(make_case, make_person):
    case, a = make_case(), make_person()
    with pytest.raises(ValidationError):
        join(case, a, D(2024, 2, 1), left=D(2024, 2, 1))
    join(case, a, D(2024, 1, 10), left=D(2024, 3, 1))
    with pytest.raises(ValidationError):
        join(case, a, D(2024, 2, 1))
    join(case, a, D(2024, 4, 1))  # rejoining later is fine
    assert case.members_on(D(2024, 5, 1)).count() == 1


# ---------------------------------------------------------------- training


def test_a_course_is_completed_at_its_share_of_sessions(make_course, make_person):
    course = make_course(sessions=5)  # default share 0.8: four of five
    four, three = make_person("Bốn"), make_person("Ba")
    tick(course, four, ["present", "late", "present", "present", "absent"])
    tick(course, three, ["present", "excused", "present", "present", "absent"])
    assert course.completers() == [four.pk]
    course.completion_share = "0.6"
    course.save()
    assert course.completers() == sorted([four.pk, three.pk])


def test_the_completion_share_comes_from_settings(settings, make_course):
    settings.SUPPORT_COMPLETION_SHARE = 0.5
    assert str(make_course(sessions=1).completion_share) == "0.5"


def test_reports_count_participations_and_distinct_people(make_course, make_person):
    one, two = make_course(topic="Một"), make_course(topic="Hai")
    a, b = make_person("A"), make_person("B")
    tick(one, a, ["present", "present"])
    tick(two, a, ["late"])
    tick(one, b, ["absent", "excused"])  # never attended: neither count
    tick(two, b, ["present"])
    att = attended([one.pk, two.pk])
    assert (participations(att), participants(att)) == (3, 2)


# ---------------------------------------------------------------- duplicates


def test_a_shared_phone_or_citizen_id_proposes_a_duplicate_never_merges_it(make_person):
    first = make_person("Bùi Thị Hoa", phone="0912 345 678", citizen_id="017190000123")
    make_person("Người khác", phone="0987000000")
    again = make_person("Bùi T. Hoa", phone="0912345678")
    by_id = make_person("Hoa Bùi", citizen_id="017190000123")
    (p1,) = DuplicateProposal.propose_for(again)
    (p2,) = DuplicateProposal.propose_for(by_id)
    assert (p1.keep, p1.reason, p2.keep, p2.reason) == (first, "phone", first, "citizen_id")
    again.refresh_from_db()
    assert again.merged_into is None
    assert DuplicateProposal.propose_for(again) == []  # proposed once


def test_a_confirmed_merge_counts_one_person_and_can_be_undone(
    make_course, make_person, commune_union_officer
):
    course, other = make_course(), make_course(topic="Khác")
    first = make_person("Bùi Thị Hoa", phone="0912345678")
    again = make_person("Bùi T. Hoa", phone="0912345678")
    tick(course, first, ["present", "present", "present"])
    for session in list(course.sessions.all())[3:]:
        Attendance.objects.create(session=session, person=again, status="present")
    tick(other, again, ["present"])
    assert course.completers() == []
    (proposal,) = DuplicateProposal.propose_for(again)
    proposal.confirm(commune_union_officer)
    assert course.completers() == [first.pk]
    assert participants(attended([course.pk, other.pk])) == 1
    assert participations(attended([course.pk, other.pk])) == 2
    proposal.undo(commune_union_officer)
    again.refresh_from_db()
    assert again.merged_into is None and proposal.status == ProposalStatus.UNDONE
    assert participants(attended([course.pk, other.pk])) == 2
    with pytest.raises(ValidationError):
        proposal.undo(commune_union_officer)


def test_a_citizen_id_is_masked_except_for_the_officer_who_entered_it(
    make_person, union_officer, commune_union_officer
):
    person = make_person(citizen_id="017190000123", entered_by=commune_union_officer)
    assert person.citizen_id_for(commune_union_officer) == "017190000123"
    assert person.citizen_id_for(union_officer) == "********0123"


def test_a_citizen_id_has_twelve_digits(make_person):
    with pytest.raises(ValidationError):
        make_person(citizen_id="12345")
    assert Person.objects.count() == 0
