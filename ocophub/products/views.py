from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocophub.core.import_views import import_view
from ocophub.core.listing import paginated, sorted_by
from ocophub.core.tabular import table_response
from ocophub.producers.models import Producer

from .forms import PhotoForm, ProductForm, StatusForm
from .importing import ProductImporter, export_row
from .models import Lifecycle, Product, ProductGroup
from .search import ProductFilter

SORTS = {
    "name": "name",
    "producer": "producer__name",
    "commune": "commune__name",
    "stars": "stars",
    "status": "status",
    "updated": "updated",
}


def product_list(request):
    """Everyone sees published products; signed-in users also the drafts in their scope."""
    filters = ProductFilter.from_querydict(request.GET)
    qs = filters.apply(Product.objects.readable_by(request.user)).select_related(
        "producer", "commune__province", "commune__district", "group_2023", "group_2019"
    )
    qs, sort = sorted_by(request, qs, SORTS, "name")
    page, query = paginated(request, qs)
    return render(
        request,
        "products/list.html",
        {
            "page": page,
            "query": query,
            "sort": sort,
            "f": request.GET,
            "statuses": Lifecycle.choices,
            "groups": ProductGroup.objects.filter(classification="2023").select_related("parent"),
            "can_create": request.user.is_authenticated
            and (request.user.is_staff_officer or request.user.producers.exists()),
        },
    )


def product_export(request, fmt):
    filters = ProductFilter.from_querydict(request.GET)
    qs = filters.apply(Product.objects.readable_by(request.user)).select_related(
        "producer", "commune", "group_2023", "group_2019"
    )
    return table_response(
        "products", ProductImporter.column_names(), (export_row(p) for p in qs), fmt
    )


def product_detail(request, pk):
    product = get_object_or_404(
        Product.objects.readable_by(request.user).select_related(
            "producer",
            "commune__district",
            "commune__province",
            "commune__successor__province",
            "group_2023__parent",
            "group_2019__parent",
            "trademark",
        ),
        pk=pk,
    )
    can_edit = Product.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "products/detail.html",
        {
            "product": product,
            "photos": product.photos.all(),
            "can_edit": can_edit,
            "next_statuses": [
                s
                for s in Lifecycle
                if product.can_move_to(s) and s not in (Lifecycle.CERTIFIED, Lifecycle.EXPIRED)
            ]
            if can_edit
            else [],
            "photo_form": PhotoForm() if can_edit else None,
            "history": product.history.select_related("history_user").order_by("-history_date")[:50]
            if can_edit or request.user.is_authenticated
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk=None):
    if pk is None:
        if not (request.user.is_staff_officer or request.user.producers.exists()):
            raise PermissionDenied
        product = None
    else:
        product = get_object_or_404(Product.objects.editable_by(request.user), pk=pk)
    initial = {}
    if product is None and request.GET.get("producer", "").isdigit():
        initial["producer"] = int(request.GET["producer"])
    elif product is None:
        own = Producer.objects.filter(accounts=request.user).first()
        if own:
            initial["producer"] = own.pk
    form = ProductForm(request.POST or None, instance=product, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        product = form.save()
        messages.success(request, _("Product saved."))
        return redirect("products:detail", product.pk)
    return render(request, "products/form.html", {"form": form, "product": product})


@login_required
@require_POST
def product_photo(request, pk):
    product = get_object_or_404(Product.objects.editable_by(request.user), pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        with transaction.atomic():
            photo = form.save(commit=False)
            photo.product = product
            photo.position = product.photos.count()
            photo.save()
            photo.make_thumbnail()
            photo.save(update_fields=["thumbnail"])
        messages.success(request, _("Photo added."))
    else:
        for error in form.errors.get("image", []) + form.errors.get("caption", []):
            messages.error(request, error)
    return redirect("products:detail", product.pk)


@login_required
@require_POST
def product_status(request, pk):
    product = get_object_or_404(Product.objects.editable_by(request.user), pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        status = form.cleaned_data["status"]
        if status in (Lifecycle.CERTIFIED, Lifecycle.EXPIRED):
            messages.error(request, _("Certification and expiry follow the product's certificate."))
        else:
            try:
                product.move_to(status)
                messages.success(request, _("Status changed."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
    return redirect("products:detail", product.pk)


product_import = import_view(
    ProductImporter,
    "products/import.html",
    may_import=lambda user: user.is_staff_officer or user.producers.exists(),
)
