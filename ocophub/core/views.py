from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from ocophub.producers.models import Producer
from ocophub.products.models import Lifecycle, Product


def home(request):
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
    return render(request, "core/home.html", {"figures": figures, "latest": latest})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def import_job(request, pk):
    """An import's progress or report; htmx polls it while it runs."""
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import get_object_or_404

    from .models import ImportJob

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    template = "core/import_job_status.html" if request.htmx else "core/import_job.html"
    return render(request, template, {"job": job})


def not_found(request, exception):
    """An API client gets JSON in the API's own shape; a person gets the page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Not found: %(path)s") % {"path": request.path}}, status=404
        )
    return defaults.page_not_found(request, exception)
