from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocophub.core.listing import paginated, sorted_by
from ocophub.core.text import filter_by_search
from ocophub.products.models import Product

from .forms import RevokeForm
from .issuing import revoke
from .models import Certificate, CertificateStatus, expiry_warning_days
from .pdf import pdf_response

SORTS = {
    "number": "number",
    "product": "product__name",
    "stars": "stars",
    "valid_from": "valid_from",
    "valid_until": "valid_until",
}
RELATED = ("product__producer", "product__commune__province", "superseded_by")


def may_revoke(user, certificate):
    """Only the provincial office (for its own province) or an administrator."""
    if not user.is_authenticated:
        return False
    if not (user.is_superuser or user.is_province_office):
        return False
    return Product.objects.editable_by(user).filter(pk=certificate.product_id).exists()


@login_required
def certificate_list(request):
    today = timezone.localdate()
    qs = Certificate.objects.visible_to(request.user)
    status = request.GET.get("status", "")
    if status in CertificateStatus.values:
        qs = qs.with_status(status, today)
    stars = request.GET.get("stars", "")
    if stars in ("3", "4", "5"):
        qs = qs.filter(stars=int(stars))
    if request.GET.get("expiring"):
        qs = qs.expiring_within(today=today)
    if request.GET.get("q"):
        qs = filter_by_search(qs, request.GET["q"], field="product__search_text")
    qs, sort = sorted_by(request, qs, SORTS, "-valid_from")
    # Sort and slice the ids alone, then load the page's rows with their relations:
    # joining every matching row before the sort is what made large lists slow.
    page, query = paginated(request, qs.values_list("pk", flat=True))
    rows = Certificate.objects.select_related(*RELATED).in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list]
    for cert in page.object_list:
        cert.today_status = cert.status_on(today)
    return render(
        request,
        "certificates/list.html",
        {
            "page": page,
            "query": query,
            "sort": sort,
            "f": request.GET,
            "statuses": CertificateStatus.choices,
            "warning_days": expiry_warning_days(),
        },
    )


@login_required
def certificate_detail(request, number):
    cert = get_object_or_404(
        Certificate.objects.visible_to(request.user).select_related(*RELATED), number=number
    )
    return render(
        request,
        "certificates/detail.html",
        {
            "cert": cert,
            "status": cert.status,
            "history": cert.history.select_related("history_user").all(),
            "supersedes": cert.supersedes.all(),
            "can_revoke": may_revoke(request.user, cert) and not cert.revoked_on,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke(request, number):
    cert = get_object_or_404(
        Certificate.objects.visible_to(request.user).select_related(*RELATED), number=number
    )
    if not may_revoke(request.user, cert):
        raise PermissionDenied
    form = RevokeForm(request.POST or None, certificate=cert)
    if request.method == "POST" and form.is_valid():
        try:
            revoke(cert, form.cleaned_data["revoked_on"], form.cleaned_data["reason"], request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error("revoked_on" if field == "on" else field, error)
        else:
            messages.success(request, _("Certificate %(number)s revoked.") % {"number": number})
            return redirect(cert)
    return render(request, "certificates/revoke.html", {"cert": cert, "form": form})


def certificate_pdf_download(request, number):
    """The certificate document is public, like its verification page."""
    cert = get_object_or_404(Certificate.objects.select_related(*RELATED), number=number)
    return pdf_response(cert)


@login_required
def expiring(request):
    """Certificates nearing expiry: a producer's own, an officer's territory."""
    today = timezone.localdate()
    qs = (
        Certificate.objects.visible_to(request.user)
        .expiring_within(today=today)
        .select_related(*RELATED)
        .order_by("valid_until", "number")
    )
    rows = [(cert, (cert.valid_until - today).days) for cert in qs]
    return render(
        request,
        "certificates/expiring.html",
        {"rows": rows, "warning_days": expiry_warning_days(), "today": today},
    )


def verify(request, number):
    """Public: what anyone scanning the QR code learns about the certificate today."""
    cert = (
        Certificate.objects.select_related(
            "product__producer__commune__province",
            "product__producer__commune__district",
            "superseded_by",
        )
        .filter(number=number)
        .first()
    )
    if cert is None:
        response = render(request, "certificates/verify_unknown.html", {"number": number})
        response.status_code = 404
        return response
    today = timezone.localdate()
    status = cert.status_on(today)
    return render(
        request,
        "certificates/verify.html",
        {
            "cert": cert,
            "status": status,
            "today": today,
            "days_left": (cert.valid_until - today).days,
            "S": CertificateStatus,
        },
    )
