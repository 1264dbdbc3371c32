from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocophub.core.replica import reads_from_replica
from ocophub.core.tabular import table_response

from . import charts
from . import dashboard as d
from . import progress as p
from .forms import TargetForm
from .models import Target
from .report import build_pdf

PANELS = ("stars", "groups", "kinds", "units", "years")


def _scope(request):
    """The scope the filters ask for, or (None, error) to show on the page."""
    if not d.may_view(request.user):
        raise PermissionDenied
    try:
        return d.scope_from(d.split_unit_value(request.GET), request.user), None
    except d.FilterError as exc:
        return None, exc


def _fallback(request):
    return d.Scope(d.home_province(request.user), d.parse_era(""), d.parse_day(""))


@login_required
@reads_from_replica
def dashboard(request):
    scope, error = _scope(request)
    status = 200
    if error is not None:
        scope, status = _fallback(request), 400
    charted = []
    for key in PANELS:
        table = d.TABLES[key](scope)
        draw = charts.columns if table.chart == "columns" else charts.bars
        charted.append((table, draw(table.chart_rows(), table.title)))
    targets = list(d.targets_in(scope))
    context = {
        "scope": scope,
        "error": error,
        "charted": charted,
        "tables": [
            d.targets_table(scope, targets),
            d.rounds_table(scope),
            d.expiring_table(scope),
            d.cooperatives_table(scope),
            d.top_cooperatives_table(scope),
        ],
        "unit_groups": d.unit_choices(d.home_province(request.user)),
        "unit_value": f"{scope.unit_era}|{scope.unit_param}" if scope.unit else "",
        "query": request.GET.urlencode(),
        "can_edit_targets": request.user.is_superuser or request.user.is_province_office,
    }
    return render(request, "programme/dashboard.html", context, status=status)


@login_required
@reads_from_replica
def export_table(request, key, fmt):
    if key not in d.TABLES:
        raise Http404
    scope, error = _scope(request)
    if error is not None:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    table = d.TABLES[key](scope)
    return table_response(f"ocop-{key}-{scope.day.isoformat()}", table.headers, table.rows, fmt)


@login_required
@reads_from_replica
def report_pdf(request):
    scope, error = _scope(request)
    if error is None:
        try:
            start = scope.day.replace(month=1, day=1)
            if request.GET.get("from"):
                start = d.parse_day(request.GET["from"], "from")
            if start > scope.day:
                raise d.FilterError("from", _("from must be on or before as_of."))
        except d.FilterError as exc:
            error = exc
    if error is not None:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")

    pdf = build_pdf(scope, start, author=request.user.get_full_name() or request.user.username)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ocop-report-{start.isoformat()}-{scope.day.isoformat()}.pdf"'
    )
    return response


@login_required
def target_list(request):
    scope, error = _scope(request)
    if error is not None:
        scope = _fallback(request)
    rows = [(t, p.progress(t, scope.day)) for t in d.targets_in(scope).select_related("province")]
    return render(
        request,
        "programme/targets.html",
        {
            "rows": rows,
            "scope": scope,
            "error": error,
            "editable": set(Target.objects.editable_by(request.user).values_list("pk", flat=True)),
            "can_create": request.user.is_superuser or request.user.is_province_office,
        },
    )


@login_required
def target_detail(request, pk):
    scope, error = _scope(request)
    if error is not None:
        scope = _fallback(request)
    home = d.home_province(request.user)
    qs = Target.objects.all() if home is None else Target.objects.filter(province=home)
    target = get_object_or_404(qs, pk=pk)
    step = "quarter" if request.GET.get("step") == "quarter" else "year"
    result = p.progress(target, scope.day)
    path = p.trajectory(target, scope.day, step)
    return render(
        request,
        "programme/target_detail.html",
        {
            "target": target,
            "result": result,
            "path": path,
            "chart": charts.columns(
                [(day.isoformat() if step == "quarter" else day.year, n) for day, n in path],
                _("Progress over time"),
            ),
            "scope": scope,
            "step": step,
            "can_edit": Target.objects.editable_by(request.user).filter(pk=pk).exists(),
            "history": target.history.select_related("history_user").order_by("-history_date")[:30],
        },
    )


@login_required
def target_export(request, pk, fmt):
    """A target's path over time and the units still short, as a table."""
    scope, error = _scope(request)
    if error is not None:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    home = d.home_province(request.user)
    qs = Target.objects.all() if home is None else Target.objects.filter(province=home)
    target = get_object_or_404(qs, pk=pk)
    step = "quarter" if request.GET.get("step") == "quarter" else "year"
    result = p.progress(target, scope.day)
    rows = [(day, n, result.total) for day, n in p.trajectory(target, scope.day, step)]
    rows += [(_("Still short"), name, "") for name in result.missing]
    return table_response(
        f"ocop-target-{target.pk}-{scope.day.isoformat()}",
        [_("Date"), _("Done"), _("Of")],
        rows,
        fmt,
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk=None):
    if not (request.user.is_superuser or request.user.is_province_office):
        raise PermissionDenied
    target = get_object_or_404(Target.objects.editable_by(request.user), pk=pk) if pk else None
    form = TargetForm(request.POST or None, instance=target, user=request.user)
    if request.method == "POST" and form.is_valid():
        target = form.save()
        messages.success(request, _("Target saved."))
        return redirect("programme:target", target.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "programme/target_form.html", {"form": form, "target": target}, status=status
    )
