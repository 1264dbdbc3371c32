from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocophub.accounts.models import Role
from ocophub.core.media import private_file_response
from ocophub.core.tabular import XLSX
from ocophub.products.models import Product

from . import criteria_io, exports, workflow
from .classify import assess, check_scores, classify, council_score
from .forms import (
    CouncilForm,
    CriteriaImportForm,
    DecisionForm,
    DocumentForm,
    DossierForm,
    LocalStepForm,
    RoundForm,
    ScoresForm,
)
from .models import (
    Council,
    CriteriaSet,
    Decision,
    Dossier,
    DossierDocument,
    Frozen,
    Round,
    RoundStatus,
    ScoreSheet,
)
from .procedures import procedure_on


def _errors(exc):
    if hasattr(exc, "message_dict"):
        return [
            f"{k}: {m}" if k != "__all__" else m for k, ms in exc.message_dict.items() for m in ms
        ]
    return list(exc.messages)


def _flash(request, exc):
    for message in _errors(exc):
        messages.error(request, message)


def is_province_office(user):
    return user.is_authenticated and (user.is_superuser or user.role == Role.PROVINCE_OFFICE)


# --- rounds --------------------------------------------------------------------------


@login_required
def round_list(request):
    return render(
        request,
        "evaluation/round_list.html",
        {
            "rounds": workflow.rounds_for(request.user).select_related("province"),
            "can_open": is_province_office(request.user) and request.user.province_id,
        },
    )


@login_required
def round_create(request):
    if not (is_province_office(request.user) and request.user.province_id):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round_ = form.save(commit=False)
        round_.province = request.user.province
        round_.opened_by = request.user
        try:
            round_.full_clean()  # includes the (province, year, number) constraint
            round_.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("evaluation:round", round_.pk)
    return render(request, "evaluation/form.html", {"form": form, "title": _("Open a round")})


@login_required
def round_detail(request, pk):
    round_ = get_object_or_404(workflow.rounds_for(request.user), pk=pk)
    user = request.user
    dossiers = (
        Dossier.objects.visible_to(user)
        .filter(round=round_)
        .select_related("product__producer", "council", "criteria_set")
    )
    products = Product.objects.editable_by(user).exclude(dossiers__round=round_)
    form = None
    if round_.status == RoundStatus.OPEN and products.exists():
        form = DossierForm(products=products.order_by("name"))
    return render(
        request,
        "evaluation/round_detail.html",
        {
            "round": round_,
            "procedure": procedure_on(round_.opens_on),
            "dossiers": dossiers,
            "councils": round_.councils.all(),
            "decisions": round_.decisions.all(),
            "form": form,
            "runs": workflow.runs_round(user, round_),
            "history": round_.history.select_related("history_user")[:20],
        },
    )


@login_required
@require_POST
def dossier_create(request, pk):
    round_ = get_object_or_404(workflow.rounds_for(request.user), pk=pk)
    form = DossierForm(request.POST, products=Product.objects.all())
    if not form.is_valid():
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, f"{field}: {e}")
        return redirect("evaluation:round", pk)
    try:
        dossier = workflow.register_dossier(
            round_, form.cleaned_data["product"], form.cleaned_data["kind"], request.user
        )
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied):
            raise
        _flash(request, exc)
        return redirect("evaluation:round", pk)
    messages.success(request, _("Dossier registered."))
    return redirect("evaluation:dossier", dossier.pk)


@login_required
def round_results(request, pk):
    """The round's results as XLSX (evaluation.exports.round_results)."""
    round_ = get_object_or_404(Round, pk=pk)
    if not workflow.runs_round(request.user, round_):
        raise PermissionDenied
    response = HttpResponse(exports.round_results(round_), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="ocop-round-{round_.year}-{round_.number}-results.xlsx"'
    )
    return response


# --- dossiers ------------------------------------------------------------------------


def _dossier(request, pk):
    return get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related(
            "round", "product__producer", "product__commune", "criteria_set", "council"
        ),
        pk=pk,
    )


def _may_see_outcome(user, dossier):
    council = dossier.council
    if council is None:
        return False
    if council.scoring_closed_at and (
        workflow.runs_round(user, dossier.round) or council.member_for(user)
    ):
        return True
    member = council.member_for(user)
    return bool(
        member and dossier.score_sheets.filter(member=member, submitted_at__isnull=False).exists()
    )


@login_required
def dossier_detail(request, pk):
    dossier = _dossier(request, pk)
    user = request.user
    self_result = None
    if dossier.self_assessment:
        scores = {k: v for k, v in dossier.self_assessment.items()}

        self_result = classify(
            dossier.criteria_set, check_scores(dossier.criteria_set.criteria_by_code(), scores)
        )
    member = dossier.council.member_for(user) if dossier.council else None
    my_sheet = dossier.score_sheets.filter(member=member).first() if member is not None else None
    combined = council_score(dossier) if _may_see_outcome(user, dossier) else None
    outcome = (
        classify(dossier.criteria_set, combined.per_criterion)
        if combined and combined.sheets
        else None
    )
    visible_sheets = [
        s
        for s in dossier.score_sheets.select_related("member__user")
        if workflow.may_read_sheet(user, s)
    ]
    return render(
        request,
        "evaluation/dossier_detail.html",
        {
            "dossier": dossier,
            "procedure": procedure_on(dossier.round.opens_on),
            "missing": dossier.missing(),
            "documents": dossier.documents.all(),
            "document_form": DocumentForm() if workflow.may_edit_dossier(user, dossier) else None,
            "can_edit": workflow.may_edit_dossier(user, dossier),
            "can_local_step": workflow.does_local_step(user, dossier)
            and dossier.status != "decided",
            "self_result": self_result,
            "member": member,
            "conflict": member.conflict_with(dossier) if member else "",
            "my_sheet": my_sheet,
            "combined": combined,
            "outcome": outcome,
            "criteria": dossier.criteria_set.criteria(),
            "visible_sheets": visible_sheets,
            "items": dossier.decision_items.filter(
                decision__issued_at__isnull=False
            ).select_related("decision", "certificate"),
            "history": dossier.history.select_related("history_user")[:20],
        },
    )


@login_required
@require_POST
def document_upload(request, pk):
    dossier = _dossier(request, pk)
    if not workflow.may_edit_dossier(request.user, dossier):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        document = form.save(commit=False)
        document.dossier = dossier
        document.uploaded_by = request.user
        document._history_user = request.user
        document.save()
        messages.success(request, _("Document uploaded."))
    else:
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''}: {e}"
                )
    return redirect("evaluation:dossier", pk)


@login_required
def document_download(request, pk):
    """Dossier documents are not public: served through the dossier's scope."""
    document = get_object_or_404(DossierDocument, pk=pk)
    if not Dossier.objects.visible_to(request.user).filter(pk=document.dossier_id).exists():
        raise Http404
    return private_file_response(document.file)


@login_required
def self_assessment(request, pk):
    dossier = _dossier(request, pk)
    if not workflow.may_edit_dossier(request.user, dossier):
        raise PermissionDenied
    form = ScoresForm(
        request.POST or None,
        criteria_set=dossier.criteria_set,
        initial_scores=dossier.self_assessment,
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.save_self_assessment(dossier, form.scores(), request.user)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Self-assessment saved."))
            return redirect("evaluation:dossier", pk)
    return render(
        request,
        "evaluation/scores_form.html",
        {"form": form, "dossier": dossier, "title": _("Self-assessment"), "can_submit": False},
    )


@login_required
def local_step(request, pk):
    dossier = _dossier(request, pk)
    if not workflow.does_local_step(request.user, dossier):
        raise PermissionDenied
    existing = getattr(dossier, "local_step", None)
    form = LocalStepForm(request.POST or None, instance=existing)
    procedure = procedure_on(dossier.round.opens_on)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.record_local_step(dossier, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("evaluation:dossier", pk)
    title = (
        _("Commune step: origin, local labour and identity")
        if procedure.local_step == "commune"
        else _("District step: origin, local labour and identity")
    )
    return render(request, "evaluation/form.html", {"form": form, "title": title, "back": dossier})


@login_required
@require_POST
def score_preview(request, pk):
    """htmx: the total and stars of the levels chosen so far on a sheet (only what the
    user posted: nothing about other members)."""
    dossier = _dossier(request, pk)
    form = ScoresForm(request.POST, criteria_set=dossier.criteria_set)
    result, errors = None, []
    if not form.is_valid():
        errors = [f"{name[2:]}: {e}" for name, es in form.errors.items() for e in es]
    else:
        try:
            result = assess(dossier.criteria_set, form.scores())
        except ValidationError as exc:
            errors = _errors(exc)
    return render(
        request,
        "evaluation/_preview.html",
        {"result": result, "errors": errors, "count": len(form.criteria)},
    )


# --- score sheets --------------------------------------------------------------------


@login_required
def score_sheet(request, pk):
    dossier = _dossier(request, pk)
    sheet = workflow.sheet_for(dossier, request.user)  # PermissionDenied when not allowed
    form = ScoresForm(
        request.POST or None, criteria_set=dossier.criteria_set, initial_scores=sheet.scores
    )
    locked = bool(sheet.submitted_at or dossier.council.scoring_closed_at)
    if request.method == "POST":
        if locked:
            messages.error(request, _("This score sheet can no longer change."))
            return redirect("evaluation:dossier", pk)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                workflow.save_sheet(
                    sheet,
                    form.scores(),
                    request.user,
                    submit=submit,
                    comment=request.POST.get("comment", ""),
                )
            except (ValidationError, Frozen) as exc:
                _flash(request, exc)
            else:
                messages.success(
                    request, _("Score sheet submitted.") if submit else _("Draft saved.")
                )
                return redirect("evaluation:dossier", pk)
    return render(
        request,
        "evaluation/scores_form.html",
        {
            "form": form,
            "dossier": dossier,
            "sheet": sheet,
            "locked": locked,
            "title": _("My score sheet"),
            "can_submit": True,
        },
    )


@login_required
def sheet_detail(request, pk):
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("dossier__criteria_set", "member__user"), pk=pk
    )
    if not workflow.may_read_sheet(request.user, sheet):
        # Not "forbidden": whether another member has scored is itself not to be told.
        raise Http404
    criteria = sheet.dossier.criteria_set.criteria()
    rows = [
        (c, sheet.scores.get(c.code), c.level_description(sheet.scores.get(c.code, -1)))
        for c in criteria
    ]
    return render(request, "evaluation/sheet_detail.html", {"sheet": sheet, "rows": rows})


# --- councils and decisions ----------------------------------------------------------


def _council(request, pk):
    council = get_object_or_404(Council.objects.select_related("round"), pk=pk)
    user = request.user
    if not (workflow.runs_round(user, council.round) or council.member_for(user)):
        raise Http404
    return council


@login_required
def council_create(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    if not workflow.runs_round(request.user, round_):
        raise PermissionDenied
    form = CouncilForm(request.POST or None, province=round_.province)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council = workflow.form_council(
                round_,
                request.user,
                data["name"],
                data["chair"],
                list(data["members"]),
                data["level"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("evaluation:council", council.pk)
    return render(request, "evaluation/form.html", {"form": form, "title": _("Set up a council")})


@login_required
def council_detail(request, pk):
    council = _council(request, pk)
    user = request.user
    member = council.member_for(user)
    members = list(council.members.select_related("user"))
    ties = council.ties()
    submitted = {}
    for dossier_id, member_id in ScoreSheet.objects.filter(
        dossier__council=council, member__council=council, submitted_at__isnull=False
    ).values_list("dossier_id", "member_id"):
        submitted.setdefault(dossier_id, set()).add(member_id)
    rows = []
    for dossier in council.dossiers.select_related("product__producer"):
        done = submitted.get(dossier.pk, set())
        rows.append(
            {
                "dossier": dossier,
                "conflict": member.conflict_with(dossier, ties) if member else "",
                "mine": member is not None and member.pk in done,
                "submitted": len(done),
                "eligible": len(workflow.eligible_members(council, dossier, members, ties)),
            }
        )
    waiting = [] if council.scoring_closed_at else workflow.outstanding_sheets(council)
    return render(
        request,
        "evaluation/council_detail.html",
        {
            "council": council,
            "members": members,
            "member": member,
            "rows": rows,
            "is_chair": member is not None and member.is_chair,
            "runs": workflow.runs_round(user, council.round),
            "waiting": waiting,
            "decisions": council.decisions.all(),
            "higher": [
                c
                for c in council.round.councils.all()
                if workflow.LEVEL_ORDER.index(c.level) > workflow.LEVEL_ORDER.index(council.level)
            ],
            "history": council.history.select_related("history_user")[:20],
        },
    )


@login_required
@require_POST
def council_close(request, pk):
    council = _council(request, pk)
    try:
        workflow.close_scoring(council, request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Scoring closed."))
    return redirect("evaluation:council", pk)


@login_required
@require_POST
def dossier_forward(request, pk):
    dossier = _dossier(request, pk)
    target = get_object_or_404(Council, pk=request.POST.get("council"), round=dossier.round)
    try:
        workflow.forward_dossier(dossier, target, request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Dossier forwarded to %(council)s.") % {"council": target})
    return redirect("evaluation:council", target.pk if dossier.council == target else pk)


@login_required
def decision_create(request, pk):
    council = _council(request, pk)
    if not workflow.runs_round(request.user, council.round):
        raise PermissionDenied
    corrects = None
    if request.GET.get("corrects") or request.POST.get("corrects"):
        corrects = get_object_or_404(
            council.decisions.filter(issued_at__isnull=False),
            pk=request.GET.get("corrects") or request.POST.get("corrects"),
        )
    form = DecisionForm(
        request.POST or None,
        initial={
            "body_level": "province",
            "issuing_body": _("People's Committee of %(province)s")
            % {"province": council.round.province.name},
        },
    )
    if request.method == "POST" and form.is_valid():
        ids = request.POST.getlist("dossiers")
        chosen = list(council.dossiers.filter(pk__in=ids)) if ids else None
        try:
            decision = workflow.issue_decision(
                council, request.user, corrects=corrects, dossiers=chosen, **form.cleaned_data
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Decision issued."))
            return redirect("evaluation:decision", decision.pk)
    previews = []
    if council.scoring_closed_at:
        for dossier in council.dossiers.select_related("product"):
            combined, result = workflow.outcome(dossier)
            previews.append(
                {
                    "dossier": dossier,
                    "combined": combined,
                    "result": result,
                    "decided": dossier.is_decided,
                }
            )
    return render(
        request,
        "evaluation/decision_form.html",
        {"form": form, "council": council, "previews": previews, "corrects": corrects},
    )


@login_required
def decision_detail(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("council", "round", "corrects"), pk=pk
    )
    user = request.user
    items = decision.items.select_related("dossier__product__producer", "certificate")
    visible = set(Dossier.objects.visible_to(user).values_list("pk", flat=True))
    if not workflow.runs_round(user, decision.round):
        items = [i for i in items if i.dossier_id in visible]
        if not items:
            raise Http404
    return render(
        request,
        "evaluation/decision_detail.html",
        {
            "decision": decision,
            "items": items,
            "corrections": decision.corrections.all(),
            "runs": workflow.runs_round(user, decision.round),
            "history": decision.history.select_related("history_user")[:20],
        },
    )


# --- criteria sets -------------------------------------------------------------------


def criteria_list(request):
    return render(
        request,
        "evaluation/criteria_list.html",
        {
            "sets": CriteriaSet.objects.prefetch_related("product_groups"),
            "can_import": is_province_office(request.user),
        },
    )


def criteria_detail(request, code):
    criteria_set = get_object_or_404(CriteriaSet, code=code)
    return render(
        request,
        "evaluation/criteria_detail.html",
        {
            "set": criteria_set,
            "parts": criteria_set.parts.prefetch_related("criteria"),
            "groups": criteria_set.product_groups.all(),
        },
    )


def criteria_xlsx(request, code):
    criteria_set = get_object_or_404(CriteriaSet, code=code)
    response = HttpResponse(criteria_io.to_xlsx(criteria_set), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{criteria_set.code}.xlsx"'
    return response


@login_required
def criteria_import(request):
    if not is_province_office(request.user):
        raise PermissionDenied
    form = CriteriaImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            criteria_set, created = criteria_io.import_xlsx(form.cleaned_data["file"].read())
        except criteria_io.CriteriaError as exc:
            problems = exc.errors
        else:
            messages.success(
                request,
                (
                    _("Criteria set %(code)s imported.")
                    if created
                    else _("Criteria set %(code)s replaced.")
                )
                % {"code": criteria_set.code},
            )
            return redirect("evaluation:criteria_detail", criteria_set.code)
    return render(
        request,
        "evaluation/criteria_import.html",
        {"form": form, "problems": problems, "sets": CriteriaSet.objects.all()},
    )
