from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ocophub.core.listing import paginated
from ocophub.core.text import filter_by_search

from .fields import commune_label
from .loading import MappingError, import_mapping
from .models import Commune, Era, Province


@require_GET
def provinces(request):
    era = request.GET.get("era", Era.CURRENT)
    if era not in Era.values:
        era = Era.CURRENT
    rows = (
        Province.objects.filter(era=era)
        .select_related("successor")
        .annotate(
            n_communes=Count("communes", distinct=True),
            n_districts=Count("districts", distinct=True),
        )
        .order_by("code")
    )
    return render(request, "places/provinces.html", {"provinces": rows, "era": era, "Era": Era})


@require_GET
def province(request, era, code):
    province = get_object_or_404(Province, era=era, code=code)
    communes = province.communes.select_related("district", "successor__province").order_by(
        "district__code", "code"
    )
    communes = filter_by_search(communes, request.GET.get("q", ""))
    page, query = paginated(request, communes, per_page=100)
    return render(
        request,
        "places/province.html",
        {
            "province": province,
            "page": page,
            "query": query,
            "q": request.GET.get("q", ""),
            "unmapped": province.communes.filter(era=Era.LEGACY, successor__isnull=True).count(),
        },
    )


@require_GET
def suggest(request):
    """Datalist options for the commune box: up to 20 matches of the typed words."""
    q = request.GET.get("q") or next((v for k, v in request.GET.items() if k != "q"), "")
    found = filter_by_search(Commune.objects.all(), q.split("[")[0])[:20] if q.strip() else []
    if found:
        found = found.select_related("district", "province")
    options = [commune_label(c) for c in found]
    return render(request, "places/suggest.html", {"options": options})


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request):
    """Unmapped legacy communes, and the CSV import that maps them."""
    if not (request.user.is_superuser or request.user.is_province_office):
        raise PermissionDenied
    problems = []
    if request.method == "POST" and request.FILES.get("file"):
        try:
            n = import_mapping(request.FILES["file"])
            messages.success(request, _("%(n)s communes mapped.") % {"n": n})
            return redirect("places:mapping")
        except MappingError as exc:
            problems = exc.problems
    unmapped = Commune.objects.filter(era=Era.LEGACY, successor__isnull=True)
    if request.user.province_id:
        unmapped = unmapped.filter(Q(province__successor_id=request.user.province_id))
    unmapped = unmapped.select_related("district", "province").order_by(
        "province", "district", "code"
    )
    page, query = paginated(request, unmapped, per_page=100)
    return render(
        request,
        "places/mapping.html",
        {
            "page": page,
            "query": query,
            "problems": problems,
        },
    )
