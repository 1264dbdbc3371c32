"""The one upload page for every CSV/XLSX import (producers, products, batches, ...).

An app describes its import with an `Importer` (core.importing) and a template that
extends `core/import_upload.html`, and gets its view from `import_view`::

    grower_import = import_view(
        GrowingAreaImporter,
        "compliance/import.html",
        may_import=lambda user: user.is_staff_officer,
    )

GET shows the page (the template gets `columns`, the importer's `Column`s); GET with
`?template=xlsx` or `?template=csv` downloads the file to fill in (`Importer.
template_response`), behind the same check as the page; POST starts the import
(`start_import`: every row checked before anything is written) and redirects to the
job's progress and report page. A user for whom `may_import` is false gets 403.

A page that builds its importer itself (a course's attendance) calls `import_page`.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .importing import Importer, start_import


def import_view(
    importer_class: type[Importer],
    template: str,
    *,
    may_import: Callable[[Any], bool],
) -> Callable[[HttpRequest], HttpResponse]:
    """A signed-in view that uploads a file into `importer_class` (see module docstring)."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        if not may_import(request.user):
            raise PermissionDenied
        return import_page(request, importer_class(request.user), template)

    view.__doc__ = f"Upload page for {importer_class.__name__}."
    return view


TEMPLATE_FORMATS = ("xlsx", "csv")


def import_page(
    request: HttpRequest, importer: Importer, template: str, context: dict[str, Any] | None = None
) -> HttpResponse:
    """The upload page of `importer`, its template download, or the upload itself; the
    caller has checked that the user may import."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a .csv or .xlsx file to import."))
        else:
            job = start_import(importer, upload)
            return redirect("core:import_job", job.pk)
    elif request.GET.get("template") in TEMPLATE_FORMATS:
        return importer.template_response(request.GET["template"])
    return render(request, template, {**(context or {}), "columns": importer.columns})
