"""A person's data as the union holds it, for the office to hand over on request
(Decree 13/2023/NĐ-CP): every record of theirs (merged ones too), with the full citizen
ID, since it goes to the person it belongs to."""

from typing import Any

from .models import Attendance, Membership, Person


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def export(person: Person) -> dict[str, Any]:
    people = list(person.records().select_related("commune", "entered_by").order_by("pk"))
    memberships = Membership.objects.filter(person__in=people).select_related("case")
    attendance = Attendance.objects.filter(person__in=people).select_related("session__course")
    completed = {a.session.course for a in attendance}
    return {
        "records": [
            {
                "id": p.pk,
                "full_name": p.full_name,
                "gender": p.gender,
                "ethnicity": p.ethnicity,
                "phone": p.phone,
                "citizen_id": p.citizen_id,
                "commune": p.commune.full_name(),
                "entered_by": p.entered_by.get_username() if p.entered_by else None,
                "merged_into": p.merged_into_id,
                "erased_on": _day(p.erased_on),
            }
            for p in people
        ],
        "memberships": [
            {
                "organisation": m.case.name,
                "type": m.case.org_type,
                "joined_on": _day(m.joined_on),
                "left_on": _day(m.left_on),
            }
            for m in memberships
        ],
        "attendance": [
            {
                "course": a.session.course.topic,
                "session": _day(a.session.held_on),
                "status": a.status,
                "recorded_via": a.via,
            }
            for a in attendance.order_by("session__held_on", "pk")
        ],
        "courses_completed": sorted(c.topic for c in completed if c.has_completed(person)),
        "requests": [
            {"kind": r.kind, "at": r.at.isoformat()} for r in person.canonical.data_requests.all()
        ],
    }
