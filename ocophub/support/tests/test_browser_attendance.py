"""Attendance taken on a 390 px phone: the officer ticks each participant and adds one
not on the list; a participant scans the session's code and signs in with their phone
number; no page scrolls sideways."""

import datetime

import pytest
from django.utils import timezone

from ocophub.conftest import log_in
from ocophub.support.models import Attendance, Person, Presence, Via

PHONE = {"width": 390, "height": 844}


def fits(page):
    size = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    return size[0] <= size[1]


def on_phone(browser, base_url):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = base_url
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_attendance_is_taken_on_a_phone_by_ticks_and_by_the_sessions_code(
    browser, live_server, reference_data, union_officer, make_course, make_person
):
    today = timezone.localdate()
    course = make_course(sessions=2, starts_on=today - datetime.timedelta(days=1), ends_on=today)
    first, session = course.sessions.order_by("held_on")
    hoa = make_person("Bùi Thị Hoa", phone="0912000001")
    nam = make_person("Đinh Văn Nam", phone="0912000002")
    lan = make_person("Quách Thị Lan", phone="0912000003")
    for person in (hoa, nam, lan):
        Attendance.objects.create(session=first, person=person, status=Presence.PRESENT)

    officer, page = on_phone(browser, live_server.url)
    log_in(page, "union")
    page.goto(f"{live_server.url}/support/sessions/{session.pk}/")
    assert fits(page)
    page.check(f"input[name=p{hoa.pk}][value=present]")
    page.check(f"input[name=p{nam.pk}][value=late]")
    page.fill("#id_new-full_name", "Hà Văn Tuấn")
    page.fill("#id_new-phone", "0912 000 004")
    page.click("button.btn.big")
    page.wait_for_load_state()
    assert "Đã lưu điểm danh." in page.content()
    assert fits(page)
    marked = {a.person.full_name: (a.status, a.via) for a in session.attendance.all()}
    assert marked == {
        "Bùi Thị Hoa": ("present", Via.OFFICER),
        "Đinh Văn Nam": ("late", Via.OFFICER),
        "Hà Văn Tuấn": ("present", Via.OFFICER),
    }
    assert Person.objects.get(full_name="Hà Văn Tuấn").phone == "0912000004"

    # Lan scans the code on her own phone, not signed in.
    participant, phone = on_phone(browser, live_server.url)
    phone.goto(f"{live_server.url}/support/check-in/{session.token}/")
    assert fits(phone)
    phone.fill("#id_phone", "0912 000 003")
    phone.click("button.btn.big")
    phone.wait_for_selector("[role=status]")
    assert "Quách Thị Lan" in phone.inner_text("[role=status]")
    assert fits(phone)
    participant.close()
    assert session.attendance.get(person=lan).via == Via.QR

    page.reload()
    assert page.is_checked(f"input[name=p{lan.pk}][value=present]")
    assert page.is_checked(f"input[name=p{nam.pk}][value=late]")
    # The person's page (for requests about their data) fits the phone too.
    for url in ("/support/people/?q=0912000003", f"/support/people/{lan.pk}/"):
        page.goto(live_server.url + url)
        assert "Quách Thị Lan" in page.content() and fits(page)
    officer.close()
