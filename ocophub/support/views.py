"""The union officer's pages. Every record is read through `visible_to` (the officer's
communes, or their province for a provincial union); others get 404, non-union users 403.
The QR check-in page is the one public page: a session's token is its key."""

import datetime
import json
from functools import wraps

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocophub.core.import_views import import_page
from ocophub.market.models import Platform

from . import forms as f
from . import personal_data, progress
from .importing import AttendanceImporter
from .models import (
    ATTENDED,
    Attendance,
    Course,
    DataRequest,
    DuplicateProposal,
    Membership,
    Person,
    Presence,
    Programme,
    ProposalStatus,
    RequestKind,
    RosterView,
    Session,
    Stage,
    SupportCase,
    Via,
    may_handle_requests,
    may_work,
)
from .pdf import completion_letters_pdf
from .rosters import roster_figures


def union_only(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_work(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _day(value, default=None):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default or timezone.localdate()


def _errors(form, exc):
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@union_only
def home(request):
    user = request.user
    return render(
        request,
        "support/home.html",
        {
            "cases": SupportCase.objects.visible_to(user).count(),
            "courses": Course.objects.visible_to(user).count(),
            "people": Person.objects.visible_to(user).filter(merged_into__isnull=True).count(),
            "proposals": visible_proposals(user).filter(status=ProposalStatus.PROPOSED).count(),
            "programmes": Programme.objects.visible_to(user).count(),
        },
    )


# --------------------------------------------------------------------------- founding


@union_only
def case_list(request):
    qs = SupportCase.objects.visible_to(request.user).select_related("commune")
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    return render(
        request,
        "support/case_list.html",
        {"cases": qs, "stages": Stage.choices, "stage": stage},
    )


@union_only
@require_http_methods(["GET", "POST"])
def case_new(request):
    form = f.CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        case = form.save(commit=False)
        case.officer = request.user
        case.save()
        messages.success(request, _("Founding case saved."))
        return redirect("support:case", case.pk)
    return render(request, "support/form.html", {"form": form, "title": _("New founding case")})


def _case(request, pk):
    return get_object_or_404(
        SupportCase.objects.visible_to(request.user).select_related("commune", "producer"), pk=pk
    )


def case_page(request, case, advance=None):
    today = timezone.localdate()
    return render(
        request,
        "support/case_detail.html",
        {
            "case": case,
            "help": case.help.all(),
            "advance": advance
            or f.AdvanceForm(case=case, user=request.user, initial={"day": today}),
            "help_form": f.HelpForm(initial={"given_on": today}),
            "members_today": case.members_on(today).count(),
            "rule": case.minimum_members(),
            "below_minimum": case.below_minimum(today),
        },
    )


@union_only
def case_detail(request, pk):
    return case_page(request, _case(request, pk))


@union_only
@require_POST
def case_advance(request, pk):
    case = _case(request, pk)
    form = f.AdvanceForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        extra = {}
        if d.get("registration_number"):
            extra["registration_number"] = d["registration_number"]
        if d.get("producer"):
            extra["producer"] = d["producer"]
        try:
            with transaction.atomic():
                case.advance(d["stage"], d["day"], **extra)
        except ValidationError as exc:
            case.refresh_from_db()
            _errors(form, exc)
        else:
            messages.success(request, _("The case is now at “%s”.") % case.get_stage_display())
            return redirect("support:case", case.pk)
    return case_page(request, case, form)


@union_only
@require_POST
def case_help(request, pk):
    case = _case(request, pk)
    form = f.HelpForm(request.POST)
    if form.is_valid():
        item = form.save(commit=False)
        item.case, item.officer = case, request.user
        item.save()
        messages.success(request, _("Help recorded."))
    else:
        messages.error(request, _("Check the help's kind and date."))
    return redirect("support:case", case.pk)


@union_only
@require_http_methods(["GET", "POST"])
def roster(request, pk):
    case = _case(request, pk)
    as_of = _day(request.GET.get("as_of"))
    add = f.MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and add.is_valid():
        m = Membership(case=case, **add.cleaned_data)
        try:
            m.full_clean()
        except ValidationError as exc:
            _errors(add, exc)
        else:
            m.save()
            messages.success(request, _("Member added."))
            return redirect("support:roster", case.pk)
    members = list(case.members_on(as_of).select_related("person"))
    # Decree 13/2023: who looked at whose data, and when.
    RosterView.objects.create(case=case, user=request.user, as_of=as_of)
    for m in members:
        m.shown_id = m.person.citizen_id_for(request.user)
    return render(
        request,
        "support/roster.html",
        {
            "case": case,
            "as_of": as_of,
            "members": members,
            "figures": roster_figures(members),
            "add": add,
            "views": case.views.select_related("user")[:10],
        },
    )


@union_only
@require_POST
def member_leave(request, pk, member):
    case = _case(request, pk)
    m = get_object_or_404(case.memberships, pk=member)
    form = f.LeaveForm(request.POST)
    if form.is_valid():
        m.left_on = form.cleaned_data["left_on"]
        try:
            m.full_clean()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            m.save()
            messages.success(request, _("Leaving date recorded."))
    return redirect("support:roster", case.pk)


@union_only
@require_http_methods(["GET", "POST"])
def person_new(request):
    form = f.PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.entered_by = request.user
        person.save()
        if DuplicateProposal.propose_for(person):
            messages.warning(request, _("This may be someone already recorded: see duplicates."))
        messages.success(request, _("Person saved."))
        return redirect(request.GET.get("next") or "support:home")
    return render(request, "support/form.html", {"form": form, "title": _("New person")})


@union_only
def people(request):
    """Find a person by name, phone or citizen ID (whole), in the officer's territory."""
    q = request.GET.get("q", "").strip()
    found = Person.objects.none()
    if q:
        digits = "".join(c for c in q if c.isdigit())
        match = Q(full_name__icontains=q)
        if digits:
            match |= Q(phone=digits) | Q(citizen_id=digits)
        found = Person.objects.visible_to(request.user).filter(match).select_related("commune")
    return render(request, "support/people.html", {"q": q, "people": found[:50]})


def _person(request, pk):
    return get_object_or_404(Person.objects.visible_to(request.user), pk=pk)


@union_only
def person_detail(request, pk):
    person = _person(request, pk)
    records = person.records().select_related("commune")
    for p in records:
        p.shown_id = p.citizen_id_for(request.user)
    return render(
        request,
        "support/person_detail.html",
        {
            "person": person,
            "records": records,
            "memberships": Membership.objects.filter(person__in=records).select_related("case"),
            "attendance": Attendance.objects.filter(person__in=records)
            .select_related("session__course")
            .order_by("session__held_on"),
            "requests": person.canonical.data_requests.select_related("handled_by"),
            "may_handle": may_handle_requests(request.user),
        },
    )


def office_only(view):
    @union_only
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_handle_requests(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@office_only
def person_export(request, pk):
    """Everything held about the person, as JSON, for the office to hand over."""
    person = _person(request, pk)
    with transaction.atomic():
        DataRequest.objects.create(
            person=person.canonical, kind=RequestKind.EXPORT, handled_by=request.user
        )
        body = json.dumps(personal_data.export(person), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{person.pk}.json"'
    return response


@office_only
@require_POST
def person_erase(request, pk):
    person = _person(request, pk)
    if person.erased_on:
        messages.info(request, _("This person's data was already erased."))
    elif request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the person asked for erasure."))
    else:
        person.erase(request.user)
        messages.success(request, _("The person's data is erased; their records stay anonymous."))
    return redirect("support:person", person.pk)


# --------------------------------------------------------------------------- training


@union_only
def course_list(request):
    qs = (
        Course.objects.visible_to(request.user)
        .select_related("commune")
        .annotate(n_sessions=Count("sessions", distinct=True))
        .order_by("-starts_on", "topic", "pk")  # an aggregate drops Meta.ordering
    )
    return render(request, "support/course_list.html", {"courses": qs})


@union_only
@require_http_methods(["GET", "POST"])
def course_new(request):
    form = f.CourseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        course = form.save()
        messages.success(request, _("Course saved."))
        return redirect("support:course", course.pk)
    return render(request, "support/form.html", {"form": form, "title": _("New course")})


def _course(request, pk):
    return get_object_or_404(
        Course.objects.visible_to(request.user).select_related("commune"), pk=pk
    )


def participants_of(course):
    """Everyone with an attendance row in the course, as the one they count under."""
    ids = Attendance.objects.filter(session__course=course).values("person")
    people = Person.objects.filter(pk__in=ids).select_related("merged_into")
    return sorted({p.canonical for p in people}, key=lambda p: (p.full_name, p.pk))


@union_only
@require_http_methods(["GET", "POST"])
def course_detail(request, pk):
    course = _course(request, pk)
    form = f.SessionForm(request.POST or None)
    if request.method == "POST":
        session = Session(course=course)
        form = f.SessionForm(request.POST, instance=session)
        if form.is_valid():
            form.save()
            messages.success(request, _("Session added."))
            return redirect("support:course", course.pk)
    sessions = course.sessions.annotate(
        attended=Count("attendance", filter=Q(attendance__status__in=ATTENDED))
    ).order_by("held_on", "pk")  # an aggregate drops Meta.ordering
    counts = course.attended_counts()
    done = set(course.completers())
    people = [
        {"person": p, "attended": counts.get(p.pk, 0), "completed": p.pk in done}
        for p in participants_of(course)
    ]
    return render(
        request,
        "support/course_detail.html",
        {"course": course, "sessions": sessions, "form": form, "people": people, "done": done},
    )


def _session(request, pk):
    return get_object_or_404(
        Session.objects.filter(course__in=Course.objects.visible_to(request.user)).select_related(
            "course"
        ),
        pk=pk,
    )


@union_only
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk):
    """The tick list, made for a phone: one row per participant, four big choices."""
    session = _session(request, pk)
    course = session.course
    people = participants_of(course)
    new = f.NewParticipantForm(request.POST or None, prefix="new")
    if request.method == "POST":
        with transaction.atomic():
            for person in people:
                status = request.POST.get(f"p{person.pk}", "")
                if status in Presence.values:
                    Attendance.objects.update_or_create(
                        session=session,
                        person=person,
                        defaults={"status": status, "via": Via.OFFICER},
                    )
            if request.POST.get("new-full_name") and new.is_valid():
                d = new.cleaned_data
                person = Person(commune=course.commune, entered_by=request.user, **d)
                person.full_clean()
                person.save()
                DuplicateProposal.propose_for(person)
                Attendance.objects.create(
                    session=session, person=person, status=Presence.PRESENT, via=Via.OFFICER
                )
        messages.success(request, _("Attendance saved."))
        return redirect("support:attendance", session.pk)
    marked = dict(session.attendance.values_list("person_id", "status"))
    rows = [(p, marked.get(p.pk, "")) for p in people]
    return render(
        request,
        "support/attendance.html",
        {
            "session": session,
            "course": course,
            "rows": rows,
            "statuses": Presence.choices,
            "new": f.NewParticipantForm(prefix="new"),
        },
    )


def check_in_url(request, session):
    return request.build_absolute_uri(reverse("support:check_in", args=[session.token]))


@union_only
def session_qr(request, pk):
    """The session's QR code as SVG, shown on the officer's phone or printed."""
    session = _session(request, pk)
    out = segno.make(check_in_url(request, session), error="m").svg_inline(scale=6)
    return HttpResponse(out, content_type="image/svg+xml")


@union_only
def session_qr_page(request, pk):
    session = _session(request, pk)
    return render(
        request,
        "support/session_qr.html",
        {"session": session, "url": check_in_url(request, session)},
    )


@require_http_methods(["GET", "POST"])
def check_in(request, token):
    """A participant scanned the session's code: their phone number finds them on the
    course's list (or anyone the union knows by that number) and marks them present,
    on the session's day only."""
    session = Session.objects.select_related("course").filter(token=token).first()
    if session is None:
        raise Http404
    today = timezone.localdate()
    form = f.CheckInForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        phone = "".join(c for c in form.cleaned_data["phone"] if c.isdigit())
        # No digits would match everyone recorded without a phone (and erased people).
        found = Person.objects.filter(phone=phone, merged_into__isnull=True) if phone else None
        person = found.first() if found is not None else None
        if session.held_on != today:
            form.add_error(None, _("Check-in is open on the session's day only."))
        elif person is None:
            form.add_error("phone", _("This number is not on the list: ask the officer."))
        else:
            Attendance.objects.update_or_create(
                session=session,
                person=person,
                defaults={"status": Presence.PRESENT, "via": Via.QR},
            )
            done = person
    return render(
        request,
        "support/check_in.html",
        {"session": session, "form": form, "done": done, "open": session.held_on == today},
    )


@union_only
@require_http_methods(["GET", "POST"])
def attendance_import(request, pk):
    course = _course(request, pk)
    return import_page(
        request, AttendanceImporter(request.user, course), "support/import.html", {"course": course}
    )


@union_only
def completion_letters(request, pk):
    course = _course(request, pk)
    ids = course.completers()
    wanted = request.GET.get("person")
    if wanted:
        ids = [i for i in ids if str(i) == wanted]
    if not ids:
        raise Http404(_("Nobody has completed this course yet."))
    people = Person.objects.filter(pk__in=ids).order_by("full_name")
    response = HttpResponse(completion_letters_pdf(course, people), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="hoan-thanh-khoa-hoc-{course.pk}.pdf"'
    return response


# --------------------------------------------------------------------------- duplicates


def visible_proposals(user):
    people = Person.objects.visible_to(user)
    return DuplicateProposal.objects.filter(keep__in=people, duplicate__in=people)


@union_only
def duplicates(request):
    show = request.GET.get("status", ProposalStatus.PROPOSED)
    qs = visible_proposals(request.user).select_related("keep", "duplicate", "decided_by")
    if show in ProposalStatus.values:
        qs = qs.filter(status=show)
    return render(
        request,
        "support/duplicates.html",
        {"proposals": qs.order_by("-pk"), "statuses": ProposalStatus.choices, "show": show},
    )


@union_only
@require_POST
def duplicate_decide(request, pk, action):
    proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
    do = {"merge": proposal.confirm, "reject": proposal.reject, "undo": proposal.undo}.get(action)
    if do is None:
        raise Http404
    try:
        do(request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, proposal.get_status_display())
    return redirect(reverse("support:duplicates") + f"?status={proposal.status}")


# --------------------------------------------------------------------------- programmes


@union_only
def programme_list(request):
    return render(
        request,
        "support/programme_list.html",
        {"programmes": Programme.objects.visible_to(request.user).prefetch_related("targets")},
    )


@union_only
@require_http_methods(["GET", "POST"])
def programme_new(request):
    form = f.ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        return redirect("support:programme", programme.pk)
    return render(request, "support/form.html", {"form": form, "title": _("New programme")})


@union_only
def programme_detail(request, pk):
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
    targets = []
    for t in programme.targets.all():
        done = t.achieved()
        share = None if done is None or not t.target else min(100, round(100 * done / t.target))
        targets.append({"target": t, "done": done, "share": share})
    return render(
        request,
        "support/programme_detail.html",
        {
            "programme": programme,
            "targets": targets,
            "cases": programme.cases.visible_to(request.user),
            "courses": programme.courses.visible_to(request.user),
            "area": programme.area_unit(),
            "platforms": [Platform(p).label for p in programme.platforms],
            "listed": progress.counted_listings(programme).select_related("product"),
        },
    )
