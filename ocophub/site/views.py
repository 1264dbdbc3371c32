from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ocophub.core.replica import reads_from_replica
from ocophub.producers.models import Producer
from ocophub.products.models import Lifecycle, Product

from . import start as start_panels


@reads_from_replica
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: the programme's figures that matter, published data only."""
    published = Product.objects.published()
    certified = Product.objects.filter(status=Lifecycle.CERTIFIED)
    by_stars = dict(certified.values_list("stars").annotate(n=Count("id")).order_by())
    figures = {
        "certified": certified.count(),
        "five": by_stars.get(5, 0),
        "four": by_stars.get(4, 0),
        "three": by_stars.get(3, 0),
        "producers": Producer.objects.filter(products__in=published).distinct().count(),
        "communes": published.values("commune").distinct().count(),
        "preparing": Product.objects.filter(
            status__in=[Lifecycle.IN_PREPARATION, Lifecycle.SUBMITTED]
        ).count(),
    }
    latest = published.select_related("producer", "commune").order_by("-updated")[:8]
    return render(request, "site/home.html", {"figures": figures, "latest": latest})


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where login leads: what waits for this person, by their role."""
    panels = start_panels.panels_for(request.user)
    user = request.user
    return render(
        request,
        "site/start.html",
        {
            "panels": panels,
            "to_do": start_panels.to_do_count(panels),
            "role_label": user.get_role_display() if user.is_authenticated and user.role else "",
        },
    )
