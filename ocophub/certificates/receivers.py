"""How certificates extends the apps below it; imported by CertificatesConfig.ready().

Besides the registry wiring, the notices certificates gives: a certificate issued, and
(from the daily reminder sweep) a certificate nearing expiry.
"""

from django.db.models import Q

from ocophub.accounts.models import Role, User
from ocophub.notices.models import Kind
from ocophub.notices.sending import notify
from ocophub.products.standing import register_certificate_brief

from .models import certificate_brief

register_certificate_brief(certificate_brief)


def responsible_users(product, roles=(Role.PROVINCE_OFFICE, Role.COMMUNE_OFFICER)):
    """Active accounts of the product's producer and the officers (of `roles`) for its
    commune as it is today: the province office of today's province, the commune
    officers of today's commune."""
    commune = product.commune
    current = commune.current
    province_id = (
        current.province_id if current else (commune.province.successor_id or commune.province_id)
    )
    officers = Q(pk__in=[])
    if Role.PROVINCE_OFFICE in roles:
        officers |= Q(role=Role.PROVINCE_OFFICE, province_id=province_id)
    if Role.COMMUNE_OFFICER in roles and current is not None:
        officers |= Q(role=Role.COMMUNE_OFFICER, communes=current)
    return User.objects.filter(Q(producers=product.producer) | officers, is_active=True).distinct()


def _params(certificate):
    product = certificate.product
    return {
        "number": certificate.number,
        "product": product.name,
        "product_en": product.name_en,
        "stars": certificate.stars,
        "from_day": certificate.valid_from.isoformat(),
        "until_day": certificate.valid_until.isoformat(),
    }


def tell_issued(certificate):
    """The producer's accounts and the product's commune officers hear of a new
    certificate (the province office issued it and needs no notice)."""
    users = responsible_users(certificate.product, roles=(Role.COMMUNE_OFFICER,))
    return notify(
        users,
        Kind.CERTIFICATE_ISSUED,
        f"certificate:{certificate.pk}:issued",
        _params(certificate),
        url=certificate.get_absolute_url(),
        subject=certificate,
    )


def tell_expiring(certificate, threshold, days_left, users):
    """An inbox notice per reminder threshold; the reminder sweep mails its own letter."""
    params = _params(certificate) | {
        "day": certificate.valid_until.isoformat(),
        "left": days_left,
    }
    return notify(
        users,
        Kind.CERTIFICATE_EXPIRING,
        f"certificate:{certificate.pk}:expiry:{threshold}",
        params,
        url=certificate.get_absolute_url(),
        subject=certificate,
        email=False,
    )
