import hashlib
import json
import re
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_http_methods

from ocophub.core.import_views import import_view
from ocophub.core.listing import paginated
from ocophub.products.models import Product

from . import qr, resolver
from .digital_link import DigitalLinkError, parse
from .forms import BatchForm, BatchStepForm, BulkBatchForm, SerialsForm
from .importing import BatchImporter
from .models import Batch, ScanCount, SerialItem
from .scan import scan_context, timeline
from .services import add_serials, create_batch, create_batches, record_step

LINKSET = "application/linkset+json"


# ---- the resolver ---------------------------------------------------------------------


def _scan_cache_control():
    # One number for the phone, nginx and the server's own page cache: TRACE_SCAN_MAX_AGE.
    return f"public, max-age={settings.TRACE_SCAN_MAX_AGE}"


def _raw_uri(request):
    # Gunicorn keeps the undecoded request target; Django's path has %2F already decoded.
    return request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or request.get_full_path()


def _query_pairs(query):
    pairs = []
    for part in query.split("&"):
        if part:
            name, _eq, value = part.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return pairs


def _is_canonical(raw, dl):
    path, _q, query = raw.partition("?")
    canonical_query = dl.canonical_query(extra=True)
    return unquote(path) == unquote(dl.canonical_path()) and _query_pairs(query) == _query_pairs(
        canonical_query
    )


def _language(request, dl=None):
    """?lang=, else the phone's Accept-Language, else Vietnamese. Not the language
    cookie: the page must depend only on what its Vary header names, so that shared
    caches can keep it."""
    lang = dict(dl.extra).get("lang", "") if dl is not None else request.GET.get("lang", "")
    codes = {code for code, _name in settings.LANGUAGES}
    if lang in codes:
        return lang
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def device_class(user_agent):
    ua = user_agent.lower()
    if not ua or re.search(r"bot|crawl|spider|curl|wget|python|wrk|httpclient|java/", ua):
        return "bot"
    if "ipad" in ua or "tablet" in ua or ("android" in ua and "mobile" not in ua):
        return "tablet"
    if "mobi" in ua or "iphone" in ua or "android" in ua:
        return "phone"
    return "desktop" if "mozilla" in ua else "other"


def _public_page(template, context, status=200):
    """Render without the request's context processors: the public resolver pages need
    no navigation or session, and must not vary on the cookie."""
    context.setdefault("lang", translation.get_language())
    return HttpResponse(render_to_string(template, context), status=status)


def _error_page(request, template, status, **context):
    response = _public_page(template, context, status)
    response["Cache-Control"] = _scan_cache_control()
    return response


def _page_key(dl, language, wants_linkset):
    what = f"{language}|{int(wants_linkset)}|{dl.canonical_path()}?{dl.canonical_query(extra=True)}"
    return "scan:" + hashlib.sha256(what.encode()).hexdigest()


def _cached_page(key):
    """A published product's scan page or linkset as rendered in the last minute, or None.
    Workers share these through files, so a busy QR code costs one render a minute."""
    if not settings.TRACE_SCAN_CACHE:
        return None
    hit = caches["scan"].get(key)
    if hit is None:
        return None
    body, headers = hit
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    return response


def _keep_page(key, response):
    if not settings.TRACE_SCAN_CACHE or response.status_code != 200:
        return
    if response.get("Cache-Control") != _scan_cache_control():  # drafts shown to their owners
        return
    names = ("Content-Type", "Content-Language", "Cache-Control", "Link", "Vary")
    headers = {name: response[name] for name in names if response.has_header(name)}
    caches["scan"].set(key, (response.content, headers), settings.TRACE_SCAN_MAX_AGE)


def resolve(request, dl_path=None):
    """/01/{gtin}/10/{lot} and every other Digital Link path: 400, 404, redirect, the
    scan page, or the linkset."""
    raw = _raw_uri(request)
    with translation.override(_language(request)):  # parse errors speak the phone's language
        try:
            dl = parse(raw)
        except DigitalLinkError as exc:
            return _error_page(request, "trace/bad_link.html", 400, reason=str(exc), uri=raw)
    if not _is_canonical(raw, dl):
        query = dl.canonical_query(extra=True)
        return HttpResponseRedirect(
            dl.canonical_path() + (f"?{query}" if query else ""), status=301
        )
    link_type = dict(dl.extra).get("linkType", "")
    wants_linkset = link_type == "all" or LINKSET in request.headers.get("Accept", "")
    language = _language(request, dl)
    key = _page_key(dl, language, wants_linkset)
    response = _cached_page(key) if wants_linkset or not link_type else None
    if response is None:
        target = resolver.find(dl, lambda: request.user)
        if target is None:
            with translation.override(language):
                return _error_page(request, "trace/unknown_link.html", 404, uri=raw, dl=dl)
        response = _resolved(request, dl, target, language, link_type, wants_linkset)
        _keep_page(key, response)
    if request.method == "GET":  # link checkers' HEAD requests are not scans
        ScanCount.record(
            dl.canonical_path(), device_class(request.headers.get("User-Agent", "")), language
        )
    return response


def _resolved(request, dl, target, language, link_type, wants_linkset):
    anchor = dl.identity_uri()
    with translation.override(language):
        if wants_linkset:
            response = HttpResponse(
                json.dumps(resolver.linkset(target, anchor), ensure_ascii=False),
                content_type=LINKSET,
            )
        elif link_type:
            href = resolver.link_for_type(target, anchor, link_type)
            if href is None:
                raise Http404(_("This product has no link of type %s.") % link_type)
            response = HttpResponseRedirect(href, status=307)
        else:
            response = _public_page("trace/scan.html", scan_context(request, dl, target, language))
            response["Content-Language"] = language
    # Shared caches may keep public products' pages; a draft shown to its own people may not.
    response["Cache-Control"] = (
        _scan_cache_control() if target.product.is_published else "private, no-cache"
    )
    response["Link"] = f'<{anchor}?linkType=all>; rel="linkset"; type="{LINKSET}"'
    response["Vary"] = "Accept, Accept-Language"
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


def qr_response(uri, fmt):
    if fmt == "svg":
        response = HttpResponse(qr.qr_svg(uri), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(uri), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def qr_code(request, kind, pk, fmt):
    return qr_response(_uri_for(kind, pk, request.user), fmt)


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
