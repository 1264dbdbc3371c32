"""Staff pages for batches: list, create (one, several, imported), detail with its
supply-chain steps, label sheets, and the QR images of products, batches and serials."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocophub.core.import_views import import_view
from ocophub.core.listing import paginated
from ocophub.products.models import Product
from ocophub.trace import qr, resolver
from ocophub.trace.forms import BatchForm, BatchStepForm, BulkBatchForm, SerialsForm
from ocophub.trace.importing import BatchImporter
from ocophub.trace.models import Batch, ScanCount, SerialItem, SuspectCode
from ocophub.trace.qr import qr_response
from ocophub.trace.scan import timeline
from ocophub.trace.services import add_serials, create_batch, create_batches, record_step

# ---- batches in the web app ---------------------------------------------------------


def products_exist(user):
    return Product.objects.editable_by(user).exclude(gtin=None).exists()


@login_required
def batch_list(request):
    qs = Batch.objects.visible_to(request.user).select_related("product")
    product = request.GET.get("product", "")
    if product.isdigit():
        qs = qs.filter(product_id=int(product))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(lot__icontains=q)
    page, query = paginated(request, qs.order_by("-production_date", "-pk"))
    return render(
        request,
        "trace/batch_list.html",
        {
            "page": page,
            "query": query,
            "f": request.GET,
            "can_create": products_exist(request.user),
        },
    )


@login_required
def suspect_list(request):
    """Serialised codes checked too often, perhaps copied: the batches the user sees."""
    qs = SuspectCode.objects.visible_to(request.user).select_related("item__product", "item__batch")
    page, query = paginated(request, qs.order_by("-last_day", "-pk"))
    return render(
        request,
        "trace/suspect_list.html",
        {
            "page": page,
            "query": query,
            "settings_devices": settings.TRACE_SUSPECT_DEVICES,
            "settings_places": settings.TRACE_SUSPECT_PLACES,
            "settings_days": settings.TRACE_SUSPECT_WINDOW_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request):
    if not products_exist(request.user):
        raise PermissionDenied
    initial = {}
    if request.GET.get("product", "").isdigit():
        initial["product"] = int(request.GET["product"])
    form = BatchForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        batch = create_batch(form.save(commit=False), form.cleaned_data["inputs"], request.user)
        messages.success(request, _("Batch %s saved.") % batch.lot)
        return redirect("trace:batch", batch.pk)
    return render(request, "trace/batch_form.html", {"form": form, "title": _("New batch")})


@login_required
@require_http_methods(["GET", "POST"])
def batch_bulk(request):
    if not products_exist(request.user):
        raise PermissionDenied
    form = BulkBatchForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        batches = create_batches(form.batches, request.user)
        messages.success(request, _("%(n)s batches saved.") % {"n": len(batches)})
        return redirect(
            f"{redirect('trace:batches').url}?product={form.cleaned_data['product'].pk}"
        )
    return render(
        request, "trace/batch_form.html", {"form": form, "title": _("Several batches at once")}
    )


batch_import = import_view(
    BatchImporter,
    "trace/batch_import.html",
    may_import=products_exist,
)


def _batch_page(request, batch, step_form=None, status=200):
    can_edit = Batch.objects.editable_by(request.user).filter(pk=batch.pk).exists()
    inputs = list(batch.inputs.select_related("product"))
    return render(
        request,
        "trace/batch_detail.html",
        {
            "batch": batch,
            "can_edit": can_edit,
            "qr_svg": qr.qr_svg(batch.label_uri, scale=3).decode(),
            "serial_count": batch.serials.count(),
            "serials": batch.serials.order_by("-pk")[:20],
            "inputs": inputs,
            "outputs": batch.outputs.select_related("product"),
            "events": timeline(
                [batch.digital_link] + [b.digital_link for b in inputs],
                {b.digital_link: f"{b.product.name} · {b.lot}" for b in inputs},
            ),
            "scans": ScanCount.summary(ScanCount.of_batch(batch)),
            "suspects": SuspectCode.objects.filter(item__batch=batch).select_related(
                "item__product"
            ),
            "step_form": step_form or BatchStepForm(batch=batch),
            "labels_form": SerialsForm(),
            "history": batch.history.select_related("history_user").order_by("-history_date")[:50],
        },
        status=status,
    )


BATCH_RELATED = ("product", "origin_commune__district", "origin_commune__province")


@login_required
def batch_detail(request, pk):
    batch = get_object_or_404(
        Batch.objects.visible_to(request.user).select_related(*BATCH_RELATED), pk=pk
    )
    return _batch_page(request, batch)


@login_required
@require_http_methods(["POST"])
def batch_step(request, pk):
    """Record packing, storing, shipping, receiving or an inspection of the batch."""
    batch = get_object_or_404(
        Batch.objects.editable_by(request.user).select_related(*BATCH_RELATED), pk=pk
    )
    form = BatchStepForm(request.POST, batch=batch)
    if not form.is_valid():
        return _batch_page(request, batch, form, status=400)
    data = form.cleaned_data
    record_step(batch, data["step"], data["when"], request.user, **form.details())
    messages.success(
        request,
        _("Recorded: %(step)s.") % {"step": dict(form.fields["step"].choices)[data["step"]]},
    )
    return redirect("trace:batch", batch.pk)


@login_required
@require_http_methods(["POST"])
def batch_labels(request, pk):
    """Make N new serials for the batch and return their A4 label sheet."""
    batch = get_object_or_404(
        Batch.objects.editable_by(request.user).select_related("product"), pk=pk
    )
    form = SerialsForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect("trace:batch", batch.pk)
    serials = add_serials(batch, form.cleaned_data["count"], request.user)
    return label_pdf(batch, serials, form.cleaned_data["columns"], form.cleaned_data["rows"])


@login_required
def batch_labels_reprint(request, pk):
    """The label sheet again for the serials the batch already has."""
    batch = get_object_or_404(
        Batch.objects.editable_by(request.user).select_related("product"), pk=pk
    )
    form = SerialsForm(
        {"count": 1, "columns": request.GET.get("columns", 4), "rows": request.GET.get("rows", 6)}
    )
    columns, rows = (
        (form.cleaned_data["columns"], form.cleaned_data["rows"]) if form.is_valid() else (4, 6)
    )
    return label_pdf(batch, list(batch.serials.select_related("product", "batch")), columns, rows)


def label_pdf(batch, serials, columns, rows):
    response = HttpResponse(
        qr.label_sheet(batch, serials, columns, rows), content_type="application/pdf"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'inline; filename="labels-{batch.pk}-{stamp}.pdf"'
    return response


# ---- QR codes -----------------------------------------------------------------------


def _uri_for(kind, pk, user):
    if kind == "product":
        product = get_object_or_404(Product.objects.readable_by(user).exclude(gtin=None), pk=pk)
        return resolver.Target(product).product_uri
    if kind == "batch":
        return get_object_or_404(
            Batch.objects.readable_by(user).select_related("product"), pk=pk
        ).label_uri
    if kind == "serial":
        serial = get_object_or_404(
            SerialItem.objects.filter(batch__in=Batch.objects.readable_by(user)).select_related(
                "product", "batch"
            ),
            pk=pk,
        )
        return serial.label_uri
    raise Http404


def qr_code(request, kind, pk, fmt):
    return qr_response(_uri_for(kind, pk, request.user), fmt)
