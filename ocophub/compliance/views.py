"""Pages of compliance: the eligibility check of a consignment for inspectors, the
provincial office and producers, and its dated statement as a PDF (batches looked up in
the user's scope only, `Batch.objects.visible_to`); the list of codes in scope with
their approvals' status; and the public check of one code."""

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ocophub.core.tabular import table_response
from ocophub.trace.qr import qr_response

from . import codes, eligibility, mapdata, reports
from .areas import Refused, check_shape, may_write_in, redraw, register_area
from .forms import (
    AreaForm,
    BoundaryForm,
    CodeStatusForm,
    EligibilityForm,
    FindingFormSet,
    InspectionForm,
)
from .geometry import area_ha
from .inspections import FindingIn, record_inspection
from .models import (
    ApprovalStatus,
    GrowingArea,
    Inspection,
    Market,
    PackingFacility,
    is_compliance_official,
)
from .report_pdf import report_pdf
from .statement import statement_pdf


def may_check(user: Any) -> bool:
    return is_compliance_official(user) or getattr(user, "is_producer", False)


def checkers_only(view: Any) -> Any:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not may_check(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _answer(request: HttpRequest) -> tuple[EligibilityForm, eligibility.Eligibility | None]:
    asked = "market" in request.GET
    form = EligibilityForm(request.GET if asked else None, user=request.user)
    if not asked or not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, eligibility.check(data["chosen"], data["market"], data["date"])


def _query(form: EligibilityForm) -> str:
    data = form.cleaned_data
    return urlencode(
        {
            "links": "\n".join(str(b.pk) for b in data["chosen"]),
            "market": data["market"].code,
            "date": data["date"].isoformat(),
        }
    )


@checkers_only
def check(request: HttpRequest) -> HttpResponse:
    form, result = _answer(request)
    return render(
        request,
        "compliance/eligibility.html",
        {"form": form, "result": result, "query": _query(form) if result else ""},
    )


@checkers_only
def statement(request: HttpRequest) -> HttpResponse:
    form, result = _answer(request)
    if result is None:
        return render(
            request, "compliance/eligibility.html", {"form": form, "result": None}, status=400
        )
    response = HttpResponse(statement_pdf(result, request.user), content_type="application/pdf")
    name = f"eligibility-{result.market.code}-{result.day.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def code_list(request: HttpRequest) -> HttpResponse:
    """The codes an official supervises (or a producer holds), with their approvals'
    status today; filtered by kind, market and approval status."""
    if not may_check(request.user):
        raise PermissionDenied
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    f = {
        "kind": kind if kind in ("area", "facility") else "",
        "market": request.GET.get("market", "").strip().upper(),
        "status": status if status in ApprovalStatus.values else "",
    }
    rows = codes.holders_for(request.user, **f)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "compliance/code_list.html",
        {
            "page": page,
            "f": f,
            "markets": Market.objects.all(),
            "statuses": ApprovalStatus.choices,
            "query": urlencode({k: v for k, v in f.items() if v}),
            "may_register": is_compliance_official(request.user),
        },
    )


def _visible_holder(user: Any, code: str) -> GrowingArea | PackingFacility:
    """The area or facility of `code` if `user` may read it; 404 otherwise, so a code
    outside the scope is not told apart from an unknown one."""
    holder = codes.find(code)
    if holder is None:
        raise Http404
    model = type(holder)
    if not model.objects.visible_to(user).filter(pk=holder.pk).exists():
        raise Http404
    return holder


@login_required
def code_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A code for the officials who supervise it (and the producer holding it): its
    status history with who, when and why, approvals with their moves, inspections;
    officials of its province change its status here."""
    if not may_check(request.user):
        raise PermissionDenied
    holder = _visible_holder(request.user, code)
    may_change = may_write_in(request.user, holder.commune) and bool(holder.next_statuses())
    form = None
    if may_change:
        form = CodeStatusForm(request.POST if request.method == "POST" else None, holder=holder)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                holder.change_status(data["status"], request.user, data["reason"], on=data["on"])
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages)
            else:
                return redirect("compliance:code", code=holder.code)
    elif request.method == "POST":
        raise PermissionDenied
    today = timezone.localdate()
    kind = holder.holder_kind
    inspections = (
        Inspection.objects.filter(**{kind: holder})
        .select_related("inspector")
        .prefetch_related("findings")
    )
    return render(
        request,
        "compliance/code_detail.html",
        {
            "holder": holder,
            "is_area": kind == "area",
            "boundary": holder.boundary_on(today) if isinstance(holder, GrowingArea) else None,
            "history": holder.code_events.select_related("by").order_by("-on", "-at", "-pk"),
            "standings": codes.standings(holder, today),
            "approvals": holder.approvals.select_related("market", "product").prefetch_related(
                "events__by"
            ),
            "inspections": inspections,
            "form": form,
            "may_inspect": may_write_in(request.user, holder.commune),
            "today": today,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def inspect(request: HttpRequest, code: str) -> HttpResponse:
    """An inspection recorded in the field, on the inspector's phone, with the position
    it was made at (by the officials who supervise the code); a critical finding
    suspends the code's approvals in the same transaction (inspections.py)."""
    holder = _visible_holder(request.user, code)
    if not may_write_in(request.user, holder.commune):
        raise PermissionDenied
    posted = request.POST if request.method == "POST" else None
    form = InspectionForm(posted, holder=holder)
    findings = FindingFormSet(posted, prefix="finding")
    if posted is not None and form.is_valid() and findings.is_valid():
        data = form.cleaned_data
        made = [
            FindingIn(f["kind"], f["severity"], f.get("market"), f.get("note", ""))
            for f in findings.cleaned_data
            if f.get("kind")
        ]
        fields = {k: data[k] for k in ("latitude", "longitude", "accuracy_m", "notes")}
        try:
            _inspection, suspended = record_inspection(
                holder,
                request.user,
                data["on"],
                made,
                kind=data["kind"],
                next_visit=data["next_visit"],
                **fields,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            message = _("Inspection recorded.")
            if suspended:
                message += " " + _("Approvals suspended: %(markets)s.") % {
                    "markets": ", ".join(a.market.code for a in suspended)
                }
            messages.success(request, message)
            return redirect("compliance:code", code=holder.code)
    return render(
        request,
        "compliance/inspect.html",
        {"holder": holder, "form": form, "findings": findings},
        status=400 if posted is not None else 200,
    )


@login_required
def boundary(request: HttpRequest, code: str) -> HttpResponse:
    """Redraw a growing area's boundary on the map, on a phone too (Leaflet.Editable,
    static/compliance/boundary.js): `check` measures the drawing and checks it (valid
    shape, the crop's minimum size, no overlap with an active area) without saving;
    `save` stores it as a new version from its date, the old one kept as history."""
    holder = _visible_holder(request.user, code)
    if not isinstance(holder, GrowingArea):
        raise Http404
    if not may_write_in(request.user, holder.commune):
        raise PermissionDenied
    current = holder.current_boundary
    posted = request.POST if request.method == "POST" else None
    form = BoundaryForm(posted, initial={"geometry": current.geojson if current else ""})
    measured = None
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if posted.get("action") == "save":
                made = redraw(holder, data["geometry"], request.user, data["valid_from"])
                messages.success(
                    request,
                    _("New boundary saved: %(ha)s ha from %(day)s.")
                    % {"ha": floatformat(made.area_ha, 2), "day": date_format(made.valid_from)},
                )
                return redirect("compliance:code", code=holder.code)
            shape = check_shape(data["geometry"], holder.crop, data["valid_from"], exclude=holder)
            measured = area_ha(shape)
        except Refused as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
    return render(
        request,
        "compliance/boundary.html",
        {
            "holder": holder,
            "form": form,
            "current": current,
            "measured": measured,
            "others_url": reverse("compliance:map_data"),
            "tile_url": settings.COMPLIANCE_TILE_URL,
            "tile_attribution": settings.COMPLIANCE_TILE_ATTRIBUTION,
        },
        status=400 if posted is not None and not form.is_valid() else 200,
    )


def _map_day(request: HttpRequest) -> Any:
    """The day the map shows (`?on=YYYY-MM-DD`, today when absent or unreadable)."""
    try:
        day = parse_date(request.GET.get("on", ""))
    except ValueError:
        day = None
    return day or timezone.localdate()


@checkers_only
def code_map(request: HttpRequest) -> HttpResponse:
    """The map of the growing areas and packing facilities in the user's scope,
    coloured by status; drawn by static/compliance/map.js from `map_data`, over the
    tile server of COMPLIANCE_TILE_URL when one is set (none by default: a plain
    background with a scale)."""
    day = _map_day(request)
    return render(
        request,
        "compliance/code_map.html",
        {
            "day": day,
            "data_url": reverse("compliance:map_data") + "?" + urlencode({"on": day.isoformat()}),
            "tile_url": settings.COMPLIANCE_TILE_URL,
            "tile_attribution": settings.COMPLIANCE_TILE_ATTRIBUTION,
        },
    )


@checkers_only
def map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the codes the user may read, as of `?on=` (today by default)."""
    return JsonResponse(mapdata.feature_collection(request.user, _map_day(request)))


@checkers_only
def report_page(request: HttpRequest) -> HttpResponse:
    """Codes by market and by unit, visits due and suspensions over a period, in the
    user's scope, each downloadable as XLSX or CSV."""
    tables, start, end = reports.all_tables(request.user, request.GET)
    period = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    return render(
        request,
        "compliance/reports.html",
        {"tables": tables, "start": start, "end": end, "period": period},
    )


@checkers_only
def report_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """One report as XLSX, CSV or PDF; `all` as PDF is the whole report in one document."""
    tables, start, end = reports.all_tables(request.user, request.GET)
    chosen = tables if key == "all" and fmt == "pdf" else [t for t in tables if t.key == key]
    if not chosen:
        raise Http404
    day = end if key == "suspensions" else timezone.localdate()
    name = f"compliance-{key}-{day.isoformat()}"
    if key in ("suspensions", "all"):
        name = f"compliance-{key}-{start.isoformat()}-{end.isoformat()}"
    if fmt == "pdf":
        response = HttpResponse(
            report_pdf(chosen, request.user, start, end), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    table = chosen[0]
    return table_response(name, table.headers, table.rows, fmt)


def public_code(request: HttpRequest, code: str, english: bool = False) -> HttpResponse:
    """Public: what a code stands for today, for anyone who scans or types it, in the
    language of its address. No personal data: the holder organisation, place and
    approvals, never households, inspectors or findings."""
    with translation.override("en" if english else "vi"):
        holder = codes.find(code)
        other = reverse("codes:code" if english else "codes:code_en", args=[code])
        if holder is None:
            return render(
                request,
                "compliance/code_unknown.html",
                {"code": code, "other": other, "english": english},
                status=404,
            )
        today = timezone.localdate()
        standings = codes.standings(holder, today)
        is_area = isinstance(holder, GrowingArea)
        return render(
            request,
            "compliance/code_public.html",
            {
                "holder": holder,
                "is_area": is_area,
                "boundary": holder.boundary_on(today) if isinstance(holder, GrowingArea) else None,
                "standings": standings,
                "approved": [s for s in standings if s.in_force],
                "code_status": holder.status_on(today),
                "since": holder.status_since(today),
                # Dates and statuses only: who changed it and why stay with the officials.
                "history": holder.history(),
                "today": today,
                "other": other,
                "english": english,
            },
        )


def code_url(code: str) -> str:
    """The address the sign's QR code holds: the Vietnamese public check."""
    return settings.SITE_URL + reverse("codes:code", args=[code])


def code_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Public: the QR code of a code's public check, to print on the area's or the
    packing house's sign (SVG to print, PNG to share)."""
    if codes.find(code) is None:
        raise Http404
    return qr_response(code_url(code), fmt)


@login_required
def area_add(request: HttpRequest) -> HttpResponse:
    """Register a growing area with its boundary drawn on the map, on a phone too (the
    provincial office and inspectors, in their province, as over the API): the form
    runs every check of areas.check_area, so `check` measures the boundary without
    saving; `save` registers it (areas.register_area, one transaction)."""
    if not is_compliance_official(request.user):
        raise PermissionDenied
    posted = request.POST if request.method == "POST" else None
    form = AreaForm(posted, user=request.user)
    if posted is not None and form.is_valid() and posted.get("action") == "save":
        try:
            area = register_area(form.area_data(), request.user)
        except Refused as exc:  # taken in the meantime
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Growing area %(code)s registered: %(ha)s ha.")
                % {
                    "code": area.code,
                    # floatformat rounds as the code page does (number_format cuts).
                    "ha": floatformat(area.boundaries.get().area_ha, 2),
                },
            )
            return redirect("compliance:code", code=area.code)
    measured = form.checked.hectares if form.checked and not form.errors else None
    return render(
        request,
        "compliance/area_add.html",
        {
            "form": form,
            "measured": measured,
            "others_url": reverse("compliance:map_data"),
            "tile_url": settings.COMPLIANCE_TILE_URL,
            "tile_attribution": settings.COMPLIANCE_TILE_ATTRIBUTION,
        },
        status=400 if posted is not None and not form.is_valid() else 200,
    )
