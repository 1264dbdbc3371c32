"""The farmers' union's records over the API, read-only: founding cases, the rosters of
the organisations they found as of a date, courses with their sessions and attendance,
and the union's figures (the very ones of the report page, reports.py).

Who reads what: a union officer their communes (or province), the provincial office its
province, a producer account only the organisation it speaks for and its roster (no
courses, no figures); anyone else 403, no caller 401. A record out of scope is 404."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ocophub.accounts.api_auth import caller
from ocophub.core.api_errors import api_error, error_responses
from ocophub.places.schemas import InCommuneOut
from ocophub.places.units import unit_q

from . import progress, reports
from .models import (
    Course,
    Presence,
    RosterView,
    Session,
    Stage,
    SupportCase,
    active_on_q,
    may_work,
)
from .rosters import roster_figures

router = Router(tags=["support"])

# A list asked without a period runs over every date.
EVER = (datetime.date(1900, 1, 1), datetime.date(9999, 12, 31))


def _reader(request: Any, producers: bool = True) -> Any:
    user = caller(request)
    if not user.is_authenticated:
        raise api_error(401, _("Sign in or send an API token (Authorization: Bearer ...)."))
    if may_work(user) or (producers and user.role == "producer"):
        return user
    if user.role == "producer":
        raise api_error(403, _("The union's figures are for union officers and the office."))
    raise api_error(403, _("These records are for the farmers' union and the provincial office."))


class ScopeQuery(Schema):
    """The unit (a code in the era; `level` or `level:code` picks province, district or
    commune) and the period; dates are YYYY-MM-DD."""

    unit: str = ""
    level: str = ""
    era: str = ""
    from_: str = Field("", alias="from")
    to: str = ""

    def scope(self, since: datetime.date | None = None, until: datetime.date | None = None) -> Any:
        params = {"unit": self.unit, "level": self.level, "era": self.era}
        params.update({"from": self.from_, "to": self.to})
        try:
            return reports.scope_from(params, since, until)
        except reports.ReportError as exc:
            raise api_error(400, exc.message, {exc.param: exc.message}) from exc


def _limit(limit: int) -> int:
    return max(1, min(limit, 500))


# --------------------------------------------------------------------------- founding


class HelpOut(Schema):
    kind: str
    given_on: datetime.date
    note: str


class CaseOut(InCommuneOut):
    id: int
    name: str
    org_type: str
    stage: str
    commune: str
    commune_ref: str
    district: str | None
    province: str
    officer: str | None
    founding_group_on: datetime.date
    conference_on: datetime.date | None
    registration_number: str
    registered_on: datetime.date | None
    producer_id: int | None
    operating_on: datetime.date | None
    dissolved_on: datetime.date | None
    members: int = Field(description="Members on the day asked (as_of, today by default).")
    is_sample: bool

    @staticmethod
    def resolve_officer(obj: SupportCase) -> str | None:
        if obj.officer is None:
            return None
        return obj.officer.get_full_name() or obj.officer.username


class CaseDetail(CaseOut):
    help: list[HelpOut]
    minimum_members: int | None = Field(
        description="The least members its type needs to register (data, unconfirmed)."
    )
    below_minimum: bool

    @staticmethod
    def resolve_help(obj: SupportCase) -> list[Any]:
        return list(obj.help.all())

    @staticmethod
    def resolve_minimum_members(obj: SupportCase) -> int | None:
        rule = obj.minimum_members()
        return rule.minimum if rule else None

    @staticmethod
    def resolve_below_minimum(obj: SupportCase) -> bool:
        # `members` is counted on the day asked (see _cases).
        rule = obj.minimum_members()
        return rule is not None and obj.members < rule.minimum  # type: ignore[attr-defined]


class CasePage(Schema):
    count: int
    items: list[CaseOut]


class CaseQuery(Schema):
    stage: str = ""
    org_type: str = ""
    unit: str = ""
    level: str = ""
    era: str = ""
    as_of: datetime.date | None = None
    limit: int = 100
    offset: int = 0


def _cases(user: Any, day: datetime.date) -> Any:
    return (
        SupportCase.objects.readable_by(user)
        .select_related("commune__province", "commune__district", "officer")
        .annotate(members=Count("memberships", filter=active_on_q(day, "memberships__")))
    )


@router.get("/support/cases", response={200: CasePage, **error_responses(400, 401, 403)})
def list_cases(request: Any, filters: Query[CaseQuery]) -> Any:
    """Founding cases you may read, newest first, with their members on `as_of`."""
    user = _reader(request)
    rows = _cases(user, filters.as_of or timezone.localdate())
    if filters.stage:
        if filters.stage not in Stage.values:
            message = _("stage must be one of: %s.") % ", ".join(Stage.values)
            raise api_error(400, message, {"stage": message})
        rows = rows.filter(stage=filters.stage)
    if filters.org_type:
        rows = rows.filter(org_type=filters.org_type)
    if filters.unit:
        # from_ has a default; mypy asks for it by its alias "from".
        query = ScopeQuery(unit=filters.unit, level=filters.level, era=filters.era)  # type: ignore[call-arg]
        scope = query.scope()
        rows = rows.filter(unit_q(scope.unit, "commune"))
    limit = _limit(filters.limit)
    return {"count": rows.count(), "items": list(rows[filters.offset : filters.offset + limit])}


def _case(user: Any, case_id: int, day: datetime.date) -> SupportCase:
    case = _cases(user, day).filter(pk=case_id).first()
    if case is None:
        raise api_error(404, _("No founding case %(id)s that you may read.") % {"id": case_id})
    return case


@router.get(
    "/support/cases/{case_id}", response={200: CaseDetail, **error_responses(401, 403, 404)}
)
def get_case(request: Any, case_id: int, as_of: datetime.date | None = None) -> Any:
    """One case with the help given, and its members against the (unconfirmed) minimum."""
    return _case(_reader(request), case_id, as_of or timezone.localdate())


class MemberOut(Schema):
    id: int
    person_id: int
    full_name: str
    gender: str
    ethnicity: str
    citizen_id: str = Field(description="Masked except for the officer who entered it.")
    joined_on: datetime.date
    left_on: datetime.date | None


class MemberPage(Schema):
    count: int
    as_of: datetime.date
    women: int
    ethnic_minority: int
    items: list[MemberOut]


@router.get(
    "/support/organisations/{case_id}/members",
    response={200: MemberPage, **error_responses(401, 403, 404)},
)
def organisation_members(request: Any, case_id: int, as_of: datetime.date | None = None) -> Any:
    """The roster of the organisation a case founds, as of a day (today by default).
    Each look is kept in the roster's history (Decree 13/2023)."""
    user = _reader(request)
    day = as_of or timezone.localdate()
    case = _case(user, case_id, day)
    members = list(case.members_on(day).select_related("person"))
    RosterView.objects.create(case=case, user=user, as_of=day)
    figures = roster_figures(members)
    items = [
        {
            "id": m.pk,
            "person_id": m.person_id,
            "full_name": m.person.full_name,
            "gender": m.person.gender,
            "ethnicity": m.person.ethnicity,
            "citizen_id": m.person.citizen_id_for(user),
            "joined_on": m.joined_on,
            "left_on": m.left_on,
        }
        for m in members
    ]
    return {
        "count": figures["total"],
        "as_of": day,
        "women": figures["women"],
        "ethnic_minority": figures["minority"],
        "items": items,
    }


# --------------------------------------------------------------------------- training


class CourseOut(InCommuneOut):
    id: int
    topic: str
    field: str
    starts_on: datetime.date
    ends_on: datetime.date
    place: str
    commune: str
    commune_ref: str
    district: str | None
    province: str
    trainer: str
    organiser: str
    partner: str
    budget: Decimal | None
    completion_share: Decimal
    session_count: int
    participations: int = Field(description="People who attended, once per course (lượt người).")
    participants: int = Field(description="Distinct people, merged duplicates counted once.")
    completed: int = Field(description="People who attended the completion share of sessions.")
    is_sample: bool

    @staticmethod
    def resolve_participations(obj: Course) -> int:
        return progress.participations(progress.attended(Course.objects.filter(pk=obj.pk)))

    @staticmethod
    def resolve_participants(obj: Course) -> int:
        return progress.participants(progress.attended(Course.objects.filter(pk=obj.pk)))

    @staticmethod
    def resolve_completed(obj: Course) -> int:
        return len(obj.completers())


class SessionOut(Schema):
    id: int
    held_on: datetime.date
    topic: str
    attendance: dict[str, int] = Field(description="People per status: present, late, ...")

    @staticmethod
    def resolve_attendance(obj: Session) -> dict[str, int]:
        return {status: getattr(obj, f"n_{status}") for status in Presence.values}


class CourseDetail(CourseOut):
    sessions: list[SessionOut]

    @staticmethod
    def resolve_sessions(obj: Course) -> list[Any]:
        counts = {
            f"n_{status}": Count("attendance", filter=Q(attendance__status=status))
            for status in Presence.values
        }
        # An aggregate query drops Meta.ordering: order the sessions by date here.
        return list(obj.sessions.annotate(**counts).order_by("held_on", "pk"))


class CoursePage(Schema):
    count: int
    items: list[CourseOut]


def _courses(user: Any) -> Any:
    return (
        Course.objects.visible_to(user)
        .select_related("commune__province", "commune__district")
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("-starts_on", "topic", "pk")  # an aggregate drops Meta.ordering
    )


@router.get("/support/courses", response={200: CoursePage, **error_responses(400, 401, 403)})
def list_courses(request: Any, scope: Query[ScopeQuery], limit: int = 100, offset: int = 0) -> Any:
    """Courses you may read that started in the unit and period (every date if no
    period is asked), newest first."""
    user = _reader(request)
    asked = scope.scope(*EVER)
    rows = _courses(user).filter(
        unit_q(asked.unit, "commune"), starts_on__range=(asked.start, asked.end)
    )
    limit = _limit(limit)
    return {"count": rows.count(), "items": list(rows[offset : offset + limit])}


@router.get(
    "/support/courses/{course_id}", response={200: CourseDetail, **error_responses(401, 403, 404)}
)
def get_course(request: Any, course_id: int) -> Any:
    """One course with its sessions and the attendance of each, by status."""
    course = _courses(_reader(request)).filter(pk=course_id).first()
    if course is None:
        raise api_error(404, _("No course %(id)s that you may read.") % {"id": course_id})
    return course


class AttendanceOut(Schema):
    person_id: int
    counts_as: int = Field(description="The person this one counts as once a merge is confirmed.")
    full_name: str
    gender: str
    ethnicity: str
    status: str
    via: str


class AttendancePage(Schema):
    count: int
    session_id: int
    held_on: datetime.date
    items: list[AttendanceOut]


@router.get(
    "/support/sessions/{session_id}/attendance",
    response={200: AttendancePage, **error_responses(401, 403, 404)},
)
def session_attendance(request: Any, session_id: int) -> Any:
    """Who was marked at a session (ticked, scanned in or imported), and how."""
    user = _reader(request)
    session = Session.objects.filter(
        pk=session_id, course__in=Course.objects.visible_to(user)
    ).first()
    if session is None:
        raise api_error(404, _("No session %(id)s that you may read.") % {"id": session_id})
    marks = session.attendance.select_related("person").order_by("person__full_name", "pk")
    items = [
        {
            "person_id": a.person_id,
            "counts_as": a.person.merged_into_id or a.person_id,
            "full_name": a.person.full_name,
            "gender": a.person.gender,
            "ethnicity": a.person.ethnicity,
            "status": a.status,
            "via": a.via,
        }
        for a in marks
    ]
    return {
        "count": len(items),
        "session_id": session.pk,
        "held_on": session.held_on,
        "items": items,
    }


# --------------------------------------------------------------------------- figures


class ReportedOut(Schema):
    indicator: str
    value: int
    period: str = Field(description="from/to, ISO dates.")
    source: str


class FiguresOut(Schema):
    computed: dict[str, int] = Field(
        description="cooperatives_founded, cooperative_members, groups_founded, "
        "group_members, organisations_founded and organisation_members (the two kinds "
        "together), courses, participations (lượt người), participants (distinct), "
        "products_listed (distinct products with a live listing made in the period)."
    )
    reported: list[ReportedOut]


@router.get("/support/figures", response={200: FiguresOut, **error_responses(400, 401, 403)})
def figures(request: Any, scope: Query[ScopeQuery]) -> Any:
    """The union's figures for a unit (either era) and period (this year so far by
    default), as on the report page: computed from the records you may read, and the
    reported totals for that very unit beside them, never added in."""
    user = _reader(request, producers=False)
    asked = scope.scope()
    return {"computed": reports.figures(asked, user), "reported": reports.reported(asked)}
