"""The market's signed-in pages: listings for producers, union officers and the office
(each in their scope, Listing.objects.manageable_by); points of sale for producers and
the registry's officers (Shop.objects.editable_by); the enquiries inbox where a
producer answers or closes; a buyer's own enquiries and the form to send one; the
office's trade connections per product, unit and period. Rules live in the models
and enquiries.py."""

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocophub.accounts.models import Role
from ocophub.core.tabular import table_response

from . import dashboard, forms
from . import enquiries as rule
from .catalogue import listed
from .models import (
    Enquiry,
    EnquiryStatus,
    Listing,
    ListingStatus,
    Platform,
    SearchEntry,
    Shop,
    ShopKind,
)

LISTERS = (Role.PRODUCER, Role.UNION_OFFICER, Role.PROVINCE_OFFICE, Role.COMMUNE_OFFICER)


def may_list(user):
    return user.is_authenticated and (user.is_superuser or user.role in LISTERS)


def may_read_inbox(user):
    """A producer's accounts answer; officers read those in their territory."""
    return user.is_authenticated and (user.is_producer or user.is_staff_officer)


def may_keep_shops(user):
    """A producer's accounts keep its points of sale; registry officers those in their
    communes (union officers and inspectors do not)."""
    return user.is_authenticated and (user.is_producer or user.is_staff_officer)


def may_see_connections(user):
    return user.is_authenticated and user.is_staff_officer


def allowed(test):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --------------------------------------------------------------------------- dashboard


def may_oversee(user):
    """Officers and union officers see the market's figures for their territory."""
    return may_list(user) and not user.is_producer


@allowed(may_oversee)
def home(request):
    return render(request, "market/staff/home.html", {"figures": dashboard.figures(request.user)})


# --------------------------------------------------------------------------- listings


@allowed(may_list)
def listing_list(request):
    qs = Listing.objects.manageable_by(request.user).select_related("product__producer", "made_by")
    f = {
        "status": request.GET.get("status", ""),
        "platform": request.GET.get("platform", ""),
    }
    if f["status"] in ListingStatus.values:
        qs = qs.filter(status=f["status"])
    if f["platform"] in Platform.values:
        qs = qs.filter(platform=f["platform"])
    if request.GET.get("broken"):
        qs = qs.filter(broken=True)
    page = Paginator(qs.order_by("product__name", "platform", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "market/staff/listing_list.html",
        {
            "page": page,
            "f": f,
            "statuses": ListingStatus.choices,
            "platforms": Platform.choices,
            "query": urlencode({k: v for k, v in f.items() if v}),
        },
    )


def _save_listing(request, form):
    """Save through the listing rule; a new address forgets the old link checks."""
    listing = form.save(commit=False)
    if listing.pk is None:
        listing.made_by = request.user
    elif "url" in form.changed_data:
        listing.forget_checks()
    listing.save()
    return listing


@allowed(may_list)
def listing_add(request):
    form = forms.ListingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        listing = _save_listing(request, form)
        messages.success(request, _("Listing saved: %(listing)s.") % {"listing": listing})
        return redirect("market:listings")
    return render(
        request,
        "market/staff/listing_form.html",
        {"form": form, "title": _("New listing")},
        status=400 if form.is_bound else 200,
    )


@allowed(may_list)
def listing_products(request):
    """The product list's options matching the search field, in the user's scope."""
    text = request.GET.get("product_search", "")
    options = forms.product_options(forms.listable_published(request.user), text)
    return render(request, "market/staff/_product_options.html", {"options": options})


@allowed(may_list)
def listing_edit(request, pk):
    listing = get_object_or_404(Listing.objects.manageable_by(request.user), pk=pk)
    form = forms.ListingForm(request.POST or None, instance=listing, user=request.user)
    if request.method == "POST" and form.is_valid():
        _save_listing(request, form)
        messages.success(request, _("Listing saved: %(listing)s.") % {"listing": listing})
        return redirect("market:listings")
    return render(
        request,
        "market/staff/listing_form.html",
        {"form": form, "title": str(listing), "listing": listing},
        status=400 if form.is_bound else 200,
    )


@allowed(may_list)
@require_POST
def listing_status(request, pk):
    """Put live, pause or delist; from a row's button (htmx swaps the row)."""
    with transaction.atomic():
        listing = get_object_or_404(
            Listing.objects.manageable_by(request.user).select_for_update(of=("self",)), pk=pk
        )
        status = request.POST.get("status", "")
        if status not in ListingStatus.values:
            if request.htmx:  # the row stays as it was; the text says why
                return HttpResponse(_("Choose a status for the listing."), status=400)
            messages.error(request, _("Choose a status for the listing."))
            return redirect("market:listings")
        listing.status = status
        listing.save(update_fields=["status"])
    if request.htmx:
        return render(request, "market/staff/_listing_row.html", {"listing": listing})
    messages.success(request, _("Listing saved: %(listing)s.") % {"listing": listing})
    return redirect("market:listings")


# --------------------------------------------------------------------------- shops


@allowed(may_keep_shops)
def shop_list(request):
    qs = (
        Shop.objects.editable_by(request.user)
        .select_related("commune__province", "producer")
        .prefetch_related("products")
    )
    kind = request.GET.get("kind", "")
    if kind in ShopKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    # The public page shows a shop that stocks a product certified today.
    public = set(
        Shop.objects.filter(pk__in=[s.pk for s in page], products__in=listed()).values_list(
            "pk", flat=True
        )
    )
    for shop in page:
        shop.public = shop.pk in public
    return render(
        request,
        "market/staff/shop_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": ShopKind.choices,
            "query": urlencode({"kind": kind} if kind else {}),
        },
    )


def _shop_form(request, form, title, shop=None):
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            shop = form.save()
        messages.success(request, _("Point of sale saved: %(shop)s.") % {"shop": shop})
        return redirect("market:shops")
    return render(
        request,
        "market/staff/shop_form.html",
        {"form": form, "title": title, "shop": shop},
        status=400 if form.is_bound else 200,
    )


@allowed(may_keep_shops)
def shop_add(request):
    initial = {"producer": request.GET.get("producer", "")}
    form = forms.ShopForm(request.POST or None, user=request.user, initial=initial)
    return _shop_form(request, form, _("New point of sale"))


@allowed(may_keep_shops)
def shop_edit(request, pk):
    shop = get_object_or_404(Shop.objects.editable_by(request.user), pk=pk)
    form = forms.ShopForm(request.POST or None, instance=shop, user=request.user)
    return _shop_form(request, form, str(shop), shop)


@allowed(may_keep_shops)
def shop_products(request):
    """The product checkboxes for the producer chosen (htmx, on the office's form)."""
    form = forms.ShopForm(user=request.user, initial={"producer": request.GET.get("producer")})
    return HttpResponse(str(form["products"]))


@allowed(may_keep_shops)
def shop_delete(request, pk):
    """Asks first; the POST removes the shop (and it leaves the public page)."""
    shop = get_object_or_404(
        Shop.objects.editable_by(request.user).select_related("commune"), pk=pk
    )
    if request.method == "POST":
        with transaction.atomic():
            name = str(shop)
            shop.delete()
        messages.success(request, _("Point of sale removed: %(shop)s.") % {"shop": name})
        return redirect("market:shops")
    return render(request, "market/staff/shop_delete.html", {"shop": shop})


# --------------------------------------------------------------------------- enquiries


@allowed(may_read_inbox)
def enquiry_inbox(request):
    qs = Enquiry.objects.visible_to(request.user).select_related("product__producer", "buyer")
    status = request.GET.get("status", "")
    if status in EnquiryStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "market/staff/enquiry_inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": EnquiryStatus.choices,
            "query": urlencode({"status": status} if status else {}),
        },
    )


@allowed(rule.may_send)
def my_enquiries(request):
    qs = Enquiry.objects.filter(buyer=request.user).select_related("product__producer")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "market/staff/my_enquiries.html", {"page": page, "query": ""})


def _enquiry_page(request, enquiry, form=None, close_form=None, status=200):
    """The enquiry, and for its producer the answer and closing forms while it is open."""
    may_answer = (
        enquiry.status != EnquiryStatus.CLOSED
        and rule.answerable_by(request.user).filter(pk=enquiry.pk).exists()
    )
    if may_answer:
        form = form or forms.AnswerForm(initial={"answer": enquiry.answer})
        close_form = close_form or forms.CloseForm()
    else:  # a post to a closed enquiry: its forms are gone, their errors are told
        for refused in (form, close_form):
            for error in refused.errors.values() if refused else ():
                messages.error(request, " ".join(error))
    return render(
        request,
        "market/staff/enquiry_detail.html",
        {
            "enquiry": enquiry,
            "form": form if may_answer else None,
            "close_form": close_form if may_answer else None,
        },
        status=status,
    )


@login_required
def enquiry_detail(request, pk):
    enquiry = get_object_or_404(
        Enquiry.objects.for_party(request.user).select_related(
            "product__producer__commune", "buyer"
        ),
        pk=pk,
    )
    return _enquiry_page(request, enquiry)


@login_required
@require_POST
def enquiry_answer(request, pk):
    form = forms.AnswerForm(request.POST)
    form.is_valid()
    try:
        rule.answer(pk, request.user, form.cleaned_data.get("answer", ""))
    except Enquiry.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        enquiry = get_object_or_404(Enquiry.objects.for_party(request.user), pk=pk)
        form.add_error(None, exc)  # the rule names the form's own fields
        return _enquiry_page(request, enquiry, form, status=400)
    messages.success(request, _("Answer sent: the buyer has been told."))
    return redirect("market:enquiry", pk)


@login_required
@require_POST
def enquiry_close(request, pk):
    """The producer closes the enquiry with its reason; the buyer sees it closed."""
    form = forms.CloseForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        rule.close(pk, request.user, data.get("closed_reason", ""), data.get("closed_note", ""))
    except Enquiry.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        enquiry = get_object_or_404(Enquiry.objects.for_party(request.user), pk=pk)
        form.add_error(None, exc)  # the rule names the form's own fields
        return _enquiry_page(request, enquiry, close_form=form, status=400)
    messages.success(request, _("Enquiry closed: the buyer sees why."))
    return redirect("market:enquiry", pk)


@allowed(rule.may_send)
def enquiry_new(request, slug):
    entry = get_object_or_404(
        SearchEntry.objects.select_related("product__producer"),
        slug=slug,
        product__in=rule.enquirable(),
    )
    form = forms.EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enquiry = form.save(commit=False)
        enquiry.buyer, enquiry.product = request.user, entry.product
        try:
            rule.send(enquiry)
        except ValidationError as exc:
            form.add_error(None, exc)  # the rule names the form's own fields
        else:
            messages.success(request, _("Enquiry sent: the producer has been told."))
            return redirect("market:enquiry", enquiry.pk)
    return render(
        request,
        "market/staff/enquiry_form.html",
        {"form": form, "product": entry.product, "entry": entry},
        status=400 if form.is_bound else 200,
    )


# --------------------------------------------------------------------------- connections


@allowed(may_see_connections)
def connections(request):
    """Trade connections in the officer's territory: enquiries sent, answered and agreed, per
    product, commune (the current unit of the producer) or month, in a period."""
    today = timezone.localdate()
    start, end, by = datetime.date(today.year, 1, 1), today, "product"
    form = forms.ConnectionsForm(
        request.GET or None, initial={"start": start, "end": end, "by": by}
    )
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        by = form.cleaned_data["by"] or by
    rows, totals = dashboard.trade_connections(request.user, start, end, by)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx") and not form.errors:
        headers = [
            {"product": _("Product"), "commune": _("Commune"), "month": _("Month")}[by],
            _("Enquiries"),
            _("Answered"),
            _("Agreed"),
            _("Buyers"),
        ]
        if by == "product":
            headers.insert(1, _("Producer"))
        table = [
            [r["key"].strftime("%m/%Y") if by == "month" else r["key"]]
            + ([r["producer"]] if by == "product" else [])
            + [r["sent"], r["answered"], r["agreed"], r["buyers"]]
            for r in rows
        ]
        name = f"ocop-trade-connections-{by}-{start.isoformat()}-{end.isoformat()}"
        return table_response(name, headers, table, fmt)
    return render(
        request,
        "market/staff/connections.html",
        {
            "form": form,
            "rows": rows,
            "totals": totals,
            "by": by,
            "start": start,
            "end": end,
            "query": urlencode({"start": start, "end": end, "by": by}),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
