from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocophub.core.import_views import import_view
from ocophub.core.listing import paginated, sorted_by
from ocophub.core.tabular import table_response
from ocophub.core.text import filter_by_search

from .forms import MemberFormSet, ProducerForm, TrademarkFormSet
from .importing import ProducerImporter, export_row
from .models import Producer, ProducerKind, ProducerStatus

SORTS = {
    "name": "name",
    "kind": "kind",
    "commune": "commune__name",
    "founded": "founded_on",
    "products": "n_products",
}


def _filtered(request):
    qs = Producer.objects.visible_to(request.user).select_related("commune__province")
    qs = filter_by_search(qs, request.GET.get("q", ""))
    if request.GET.get("kind") in ProducerKind.values:
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("status") in ProducerStatus.values:
        qs = qs.filter(status=request.GET["status"])
    return qs


@login_required
def producer_list(request):
    qs = _filtered(request).annotate(n_products=Count("products"))
    qs, sort = sorted_by(request, qs, SORTS, "name")
    page, query = paginated(request, qs)
    return render(
        request,
        "producers/list.html",
        {
            "page": page,
            "query": query,
            "sort": sort,
            "kinds": ProducerKind.choices,
            "statuses": ProducerStatus.choices,
            "f": request.GET,
            "can_create": request.user.is_staff_officer,
        },
    )


@login_required
def producer_export(request, fmt):
    rows = (export_row(p) for p in _filtered(request).select_related("commune"))
    return table_response("producers", ProducerImporter.column_names(), rows, fmt)


@login_required
def producer_detail(request, pk):
    producer = get_object_or_404(Producer.objects.visible_to(request.user), pk=pk)
    members = producer.members.all()
    return render(
        request,
        "producers/detail.html",
        {
            "producer": producer,
            "members": members,
            "women": sum(1 for m in members if m.gender == "female"),
            "minorities": sum(1 for m in members if m.is_ethnic_minority),
            "products": producer.products.select_related("commune").order_by("name"),
            "trademarks": producer.trademarks.all(),
            "history": producer.history.select_related("history_user").order_by("-history_date")[
                :50
            ],
            "can_edit": Producer.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def producer_edit(request, pk=None):
    if pk is None:
        if not request.user.is_staff_officer:
            raise PermissionDenied
        producer = None
    else:
        producer = get_object_or_404(Producer.objects.editable_by(request.user), pk=pk)
    form = ProducerForm(request.POST or None, instance=producer, user=request.user)
    members = MemberFormSet(request.POST or None, instance=producer or Producer(), prefix="m")
    marks = TrademarkFormSet(request.POST or None, instance=producer or Producer(), prefix="t")
    if request.method == "POST" and form.is_valid() and members.is_valid() and marks.is_valid():
        with transaction.atomic():
            producer = form.save()
            members.instance = marks.instance = producer
            members.save()
            marks.save()
        messages.success(request, _("Producer saved."))
        return redirect("producers:detail", producer.pk)
    return render(
        request,
        "producers/form.html",
        {
            "form": form,
            "members": members,
            "marks": marks,
            "producer": producer,
        },
    )


producer_import = import_view(
    ProducerImporter,
    "producers/import.html",
    may_import=lambda user: user.is_staff_officer,
)
