from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults

from .importing import IMPORTERS
from .models import ImportJob


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def import_job(request, pk):
    """An import's progress or report; htmx polls it while it runs."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    template = "core/import_job_status.html" if request.htmx else "core/import_job.html"
    importer = IMPORTERS.get(job.kind)
    done_url = reverse(importer.done_url) if importer and importer.done_url else ""
    return render(request, template, {"job": job, "done_url": done_url})


def not_found(request, exception):
    """An API client gets JSON in the API's own shape; a person gets the page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Not found: %(path)s") % {"path": request.path}}, status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    """An API client gets JSON in the API's own shape, never the HTML page."""
    if request.path.startswith("/api/"):
        detail = _("The server failed while handling the request; nothing was half-written.")
        return JsonResponse({"detail": detail}, status=500)
    return defaults.server_error(request)
