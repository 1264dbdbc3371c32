"""Decree 13/2023: the office exports or erases a person's data on request, every record
of theirs (merged ones too); union officers find people with citizen IDs masked."""

import json

import pytest
from django.urls import reverse

from ocophub.support.models import (
    ERASED_NAME,
    Attendance,
    DataRequest,
    DuplicateProposal,
    Membership,
    ProposalStatus,
)
from ocophub.support.progress import attended, participations


@pytest.fixture
def hoa(make_person, make_case, make_course, commune_union_officer):
    """Bùi Thị Hoa, entered by the commune union officer, member of a case, present at a
    course's session; a second record of her, merged; a third still proposed."""
    person = make_person(
        "Bùi Thị Hoa",
        gender="female",
        ethnicity="Mường",
        phone="0912345678",
        citizen_id="017300001234",
        entered_by=commune_union_officer,
    )
    twin = make_person("Bùi T. Hoa", phone="0912345678")
    DuplicateProposal.propose_for(twin)[0].confirm(commune_union_officer)
    third = make_person("Hoa Bùi", phone="0912345678")
    DuplicateProposal.propose_for(third)
    Membership.objects.create(case=make_case(), person=person, joined_on="2024-02-01")
    course = make_course(sessions=2)
    Attendance.objects.create(session=course.sessions.first(), person=person, status="present")
    Attendance.objects.create(session=course.sessions.last(), person=twin, status="late")
    return person


def test_union_officers_find_people_in_their_territory_with_citizen_ids_masked(
    client, hoa, make_person, elsewhere, union_officer, commune_union_officer
):
    make_person("Bùi Thị Hoa", commune=elsewhere)
    client.force_login(commune_union_officer)
    found = client.get(reverse("support:people"), {"q": "0912345678"}).context["people"]
    assert len(found) == 3  # her records here, not the namesake in Lạc Sơn
    assert len(client.get(reverse("support:people"), {"q": "Bùi Thị Hoa"}).context["people"]) == 1
    own = client.get(reverse("support:person", args=[hoa.pk])).content.decode()
    assert "017300001234" in own  # the officer who entered it sees it whole
    assert "Các hồ sơ của người này" in own and "Xóa dữ liệu của họ" not in own  # not the office
    client.force_login(union_officer)
    page = client.get(reverse("support:person", args=[hoa.pk])).content.decode()
    assert "********1234" in page and "017300001234" not in page
    assert client.get(reverse("support:person_export", args=[hoa.pk])).status_code == 403
    erase = client.post(reverse("support:person_erase", args=[hoa.pk]), {"confirm": "yes"})
    assert erase.status_code == 403


def test_the_office_exports_every_record_of_the_person(client, hoa, province_officer):
    client.force_login(province_officer)
    r = client.get(reverse("support:person_export", args=[hoa.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    assert "attachment" in r["Content-Disposition"]
    data = json.loads(r.content)
    assert {p["full_name"] for p in data["records"]} == {"Bùi Thị Hoa", "Bùi T. Hoa"}
    assert data["records"][0]["citizen_id"] == "017300001234"
    assert [m["joined_on"] for m in data["memberships"]] == ["2024-02-01"]
    assert [a["status"] for a in data["attendance"]] == ["present", "late"]
    assert data["courses_completed"] == ["Nuôi ong lấy mật"]  # both sessions, as one person
    trail = DataRequest.objects.get()
    assert (trail.kind, trail.person, trail.handled_by) == ("export", hoa, province_officer)


def test_the_office_erases_the_data_and_the_figures_stay(client, hoa, province_officer):
    course = Attendance.objects.filter(person=hoa).get().session.course
    before = participations(attended([course]))
    client.force_login(province_officer)
    url = reverse("support:person_erase", args=[hoa.pk])
    client.post(url)  # not confirmed: nothing happens
    hoa.refresh_from_db()
    assert hoa.full_name == "Bùi Thị Hoa" and not DataRequest.objects.exists()

    r = client.post(url, {"confirm": "yes"}, follow=True)
    assert r.status_code == 200
    for person in hoa.records():
        assert (person.full_name, person.phone, person.citizen_id) == (ERASED_NAME, "", "")
        assert (person.gender, person.ethnicity, person.entered_by) == ("", "", None)
        assert person.erased_on is not None
    assert Membership.objects.filter(person=hoa).count() == 1
    assert participations(attended([course])) == before
    # The proposal about the third record went; the confirmed merge stays.
    statuses = list(DuplicateProposal.objects.values_list("status", flat=True))
    assert statuses == [ProposalStatus.MERGED]
    assert DataRequest.objects.get().kind == "erase"
    assert "Bùi Thị Hoa" not in r.content.decode()


def test_another_provinces_office_cannot_reach_the_person(client, hoa, other_province_officer):
    client.force_login(other_province_officer)
    assert client.get(reverse("support:person_export", args=[hoa.pk])).status_code == 404
    r = client.post(reverse("support:person_erase", args=[hoa.pk]), {"confirm": "yes"})
    assert r.status_code == 404
