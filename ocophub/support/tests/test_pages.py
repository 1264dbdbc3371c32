import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from ocophub.accounts.models import Role
from ocophub.conftest import current_commune, make_user
from ocophub.support.models import (
    Attendance,
    DuplicateProposal,
    Membership,
    Person,
    Presence,
    ProposalStatus,
    Stage,
    Via,
)

from .conftest import LAC_SON

D = datetime.date


def en(client):
    client.cookies["django_language"] = "en"  # staff pages: English only by the switch
    return client


@pytest.fixture
def officer_client(client, commune_union_officer):
    client.force_login(commune_union_officer)
    return client


@pytest.fixture
def other_officer(phu_tho):
    user = make_user("union-other", Role.UNION_OFFICER, province=phu_tho)
    user.communes.set([current_commune(LAC_SON)])
    return user


def test_the_union_officer_moves_a_case_to_registered_with_its_number(officer_client, make_case):
    case = make_case(stage=Stage.CONFERENCE, conference_on=D(2024, 2, 1))
    url = reverse("support:case_advance", args=[case.pk])
    r = en(officer_client).post(url, {"stage": "registered", "day": "2024-03-01"})
    assert r.status_code == 200
    assert "registration number" in r.content.decode()
    r = officer_client.post(
        url, {"stage": "registered", "day": "2024-03-01", "registration_number": "5400123"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.registration_number) == (Stage.REGISTERED, "5400123")


def test_a_roster_shows_members_of_the_day_asked_with_the_inclusion_figures(
    officer_client, make_case, make_person
):
    case = make_case()
    hoa = make_person("Bùi Thị Hoa", gender="female", ethnicity="Mường", citizen_id="017300001234")
    nam = make_person("Đinh Văn Nam", gender="male", ethnicity="Kinh")
    Membership.objects.create(case=case, person=hoa, joined_on=D(2024, 1, 10))
    Membership.objects.create(
        case=case, person=nam, joined_on=D(2024, 1, 10), left_on=D(2024, 6, 1)
    )
    url = reverse("support:roster", args=[case.pk])
    page = officer_client.get(url, {"as_of": "2024-05-01"}).context
    assert page["figures"]["total"] == 2 and page["figures"]["women"] == 1
    assert page["figures"]["minority"] == 1
    later = officer_client.get(url, {"as_of": "2024-07-01"})
    assert [m.person for m in later.context["members"]] == [hoa]
    # Someone else entered the citizen ID: masked; the look is kept in the history.
    assert "********1234" in later.content.decode()
    assert case.views.count() == 2


def test_ticking_attendance_on_the_phone_records_each_status(
    officer_client, make_course, make_person
):
    course = make_course(sessions=2)
    session = course.sessions.first()
    hoa = make_person("Bùi Thị Hoa", phone="0912000001")
    Attendance.objects.create(session=course.sessions.last(), person=hoa, status=Presence.PRESENT)
    url = reverse("support:attendance", args=[session.pk])
    r = officer_client.post(url, {f"p{hoa.pk}": "late", "new-full_name": "Quách Văn Tư"})
    assert r.status_code == 302
    assert session.attendance.get(person=hoa).status == Presence.LATE
    newcomer = Person.objects.get(full_name="Quách Văn Tư")
    assert session.attendance.get(person=newcomer).status == Presence.PRESENT


def test_a_participant_scanning_the_session_code_is_marked_present_on_the_day(
    client, make_course, make_person
):
    today = timezone.localdate()
    course = make_course(sessions=1, starts_on=today, ends_on=today)
    session = course.sessions.get()
    hoa = make_person("Bùi Thị Hoa", phone="0912000001")
    url = reverse("support:check_in", args=[session.token])
    r = client.post(url, {"phone": "0912 000 001"})
    assert r.status_code == 200
    got = session.attendance.get(person=hoa)
    assert (got.status, got.via) == (Presence.PRESENT, Via.QR)
    r = en(client).post(url, {"phone": "0999999999"})
    assert "not on the list" in r.content.decode()
    # A number without digits matches nobody, not those recorded without a phone.
    nophone = make_person("Đinh Văn Nam")
    r = client.post(url, {"phone": "không có"})
    assert "not on the list" in r.content.decode()
    assert not session.attendance.filter(person=nophone).exists()


def test_the_session_qr_code_is_an_svg_of_the_check_in_address(officer_client, make_course):
    session = make_course(sessions=1).sessions.get()
    r = officer_client.get(reverse("support:session_qr_svg", args=[session.pk]))
    assert r["Content-Type"] == "image/svg+xml" and b"<svg" in r.content


def test_an_attendance_import_with_one_bad_row_writes_nothing(officer_client, make_course):
    course = make_course(sessions=2)
    url = reverse("support:attendance_import", args=[course.pk])
    bad = (
        "ngay,ho_ten,diem_danh,dien_thoai\n"
        "2024-03-01,Bùi Thị Hoa,có mặt,0912000001\n"
        "2024-05-09,Đinh Văn Nam,vắng,0912000002\n"
    )
    officer_client.post(url, {"file": SimpleUploadedFile("a.csv", bad.encode())})
    assert not Attendance.objects.exists() and not Person.objects.exists()
    good = bad.replace("2024-05-09", "02/03/2024")
    officer_client.post(url, {"file": SimpleUploadedFile("a.csv", good.encode())})
    got = dict(Attendance.objects.values_list("person__full_name", "status"))
    assert got == {"Bùi Thị Hoa": Presence.PRESENT, "Đinh Văn Nam": Presence.ABSENT}


def test_a_large_attendance_import_runs_in_the_task_worker_for_its_course(
    officer_client, make_course, settings
):
    """The worker rebuilds the importer with the course the upload was for."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 2
    course = make_course(sessions=2)
    url = reverse("support:attendance_import", args=[course.pk])
    lines = [f"2024-03-01,Người {i},có mặt,09120000{i:02}" for i in range(5)]
    csv = "ngay,ho_ten,diem_danh,dien_thoai\n" + "\n".join(lines) + "\n"
    officer_client.post(url, {"file": SimpleUploadedFile("a.csv", csv.encode())})
    assert not Attendance.objects.exists()
    queued = DBTaskResult.objects.get()
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
    ).run_task(queued)
    assert Attendance.objects.filter(session__course=course).count() == 5
    assert set(Person.objects.values_list("commune", flat=True)) == {course.commune_id}


def test_completion_letters_are_a_pdf_for_those_who_completed(
    officer_client, make_course, make_person
):
    course = make_course(sessions=1)
    url = reverse("support:letters", args=[course.pk])
    assert officer_client.get(url).status_code == 404
    Attendance.objects.create(
        session=course.sessions.get(), person=make_person(), status=Presence.PRESENT
    )
    r = officer_client.get(url)
    assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_a_duplicate_is_merged_only_on_confirmation_and_the_merge_undone(
    officer_client, make_person
):
    a = make_person("Bùi Thị Hoa", phone="0912000001")
    b = make_person("Bùi T. Hoa", phone="0912000001")
    (proposal,) = DuplicateProposal.propose_for(b)
    b.refresh_from_db()
    assert b.merged_into is None
    officer_client.post(reverse("support:duplicate_decide", args=[proposal.pk, "merge"]))
    b.refresh_from_db()
    assert b.merged_into == a
    officer_client.post(reverse("support:duplicate_decide", args=[proposal.pk, "undo"]))
    b.refresh_from_db()
    proposal.refresh_from_db()
    assert b.merged_into is None and proposal.status == ProposalStatus.UNDONE


def test_a_union_officer_of_another_commune_sees_nothing_of_this_one(
    client, other_officer, make_case, make_course, make_person
):
    case, course = make_case(), make_course(sessions=1)
    a = make_person(phone="0912000001")
    b = make_person(phone="0912000001")
    (proposal,) = DuplicateProposal.propose_for(b)
    client.force_login(other_officer)
    for name, args in (
        ("case", [case.pk]),
        ("roster", [case.pk]),
        ("course", [course.pk]),
        ("attendance", [course.sessions.get().pk]),
        ("letters", [course.pk]),
    ):
        assert client.get(reverse(f"support:{name}", args=args)).status_code == 404
    assert client.get(reverse("support:cases")).context["cases"].count() == 0
    assert client.get(reverse("support:courses")).context["courses"].count() == 0
    assert not client.get(reverse("support:duplicates")).context["proposals"]
    r = client.post(reverse("support:duplicate_decide", args=[proposal.pk, "merge"]))
    assert r.status_code == 404 and a.merged.count() == 0


def test_a_producer_or_a_registry_officer_gets_none_of_the_union_pages(
    client, producer_account, make_case
):
    case = make_case()
    client.force_login(producer_account)
    assert client.get(reverse("support:home")).status_code == 403
    assert client.get(reverse("support:case", args=[case.pk])).status_code == 403
    assert "Hội Nông dân" not in client.get("/").content.decode()


def test_the_pages_answer_in_vietnamese_by_default_and_english_on_request(officer_client):
    assert "Hỗ trợ của Hội Nông dân" in officer_client.get(reverse("support:home")).content.decode()
    english = en(officer_client).get(reverse("support:home")).content.decode()
    assert "Farmers' union support" in english
