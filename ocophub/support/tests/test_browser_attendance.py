"""Attendance taken on a 390 px phone: the officer ticks each participant and adds one
not on the list; a participant scans the session's code and signs in with their phone
number; no page scrolls sideways."""

import datetime

import pytest
from django.utils import timezone

from ocophub.conftest import log_in
from ocophub.support.models import Attendance, Person, Presence, Via


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_attendance_is_taken_on_a_phone_by_ticks_and_by_the_sessions_code(
    phone, too_wide, live_server, reference_data, union_officer, make_course, make_person
):
    today = timezone.localdate()
    course = make_course(sessions=2, starts_on=today - datetime.timedelta(days=1), ends_on=today)
    first, session = course.sessions.order_by("held_on")
    hoa = make_person("Bùi Thị Hoa", phone="0912000001")
    nam = make_person("Đinh Văn Nam", phone="0912000002")
    lan = make_person("Quách Thị Lan", phone="0912000003")
    for person in (hoa, nam, lan):
        Attendance.objects.create(session=first, person=person, status=Presence.PRESENT)

    page = phone(is_mobile=True, has_touch=True)
    log_in(page, "union")
    page.goto(f"{live_server.url}/support/sessions/{session.pk}/")
    assert not too_wide(page)
    page.check(f"input[name=p{hoa.pk}][value=present]")
    page.check(f"input[name=p{nam.pk}][value=late]")
    page.fill("#id_new-full_name", "Hà Văn Tuấn")
    page.fill("#id_new-phone", "0912 000 004")
    page.click("button.btn.big")
    page.wait_for_load_state()
    assert "Đã lưu điểm danh." in page.content()
    assert not too_wide(page)
    marked = {a.person.full_name: (a.status, a.via) for a in session.attendance.all()}
    assert marked == {
        "Bùi Thị Hoa": ("present", Via.OFFICER),
        "Đinh Văn Nam": ("late", Via.OFFICER),
        "Hà Văn Tuấn": ("present", Via.OFFICER),
    }
    assert Person.objects.get(full_name="Hà Văn Tuấn").phone == "0912000004"

    # Lan scans the code on her own phone, not signed in.
    own = phone(is_mobile=True, has_touch=True)
    own.goto(f"{live_server.url}/support/check-in/{session.token}/")
    assert not too_wide(own)
    own.fill("#id_phone", "0912 000 003")
    own.click("button.btn.big")
    own.wait_for_selector("[role=status]")
    assert "Quách Thị Lan" in own.inner_text("[role=status]")
    assert not too_wide(own)
    own.context.close()
    assert session.attendance.get(person=lan).via == Via.QR

    page.reload()
    assert page.is_checked(f"input[name=p{lan.pk}][value=present]")
    assert page.is_checked(f"input[name=p{nam.pk}][value=late]")
    # The person's page (for requests about their data) fits the phone too.
    for url in ("/support/people/?q=0912000003", f"/support/people/{lan.pk}/"):
        page.goto(live_server.url + url)
        assert "Quách Thị Lan" in page.content() and not too_wide(page)
