"""Issuing, revoking and following certificates: the only code that changes a product's
stars and its certified/expired status.

Certificate numbers (when the decision does not give one) follow
``OCOP-<province code, 2 digits>-<year of validity>-<sequence, 4 digits>``, e.g.
``OCOP-25-2025-0007``: the province is the one the product's commune belonged to on the
first valid day (a Hòa Bình commune numbers under 17 before 1 July 2025 and under Phú
Thọ's 25 after), the sequence runs per province and year. Numbers appear in URLs and QR
codes, so any number, given or generated, is limited to letters, digits, dot, hyphen and
underscore.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ocophub.places.models import REFORM_DATE, Era
from ocophub.products.models import Lifecycle, Product

from .models import Certificate, current_certificate
from .receivers import tell_issued
from .validity import valid_until

NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")


def province_code(product, day):
    """The province the product's commune belonged to on `day`: a legacy commune keeps
    its old province (Hòa Bình, 17) before the reform and counts under its successor's
    (Phú Thọ, 25) after it."""
    commune = product.commune
    if commune.era == Era.LEGACY and day >= REFORM_DATE:
        if commune.successor_id:
            return commune.successor.province.code
        return (commune.province.successor or commune.province).code
    return commune.province.code


def next_number(product, valid_from):
    prefix = f"OCOP-{province_code(product, valid_from):02d}-{valid_from.year}-"
    taken = Certificate.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


def _check(stars, valid_from, number):
    errors = {}
    if stars not in (3, 4, 5):
        errors["stars"] = _("Only 3, 4 and 5 stars are certified (got %(stars)s).") % {
            "stars": stars
        }
    if not isinstance(valid_from, datetime.date):
        errors["valid_from"] = _("The validity start must be a date.")
    if number is not None:
        if not NUMBER_PATTERN.match(number):
            errors["number"] = _(
                "Certificate number “%(number)s” may hold only letters, digits, “.”, “-” "
                "and “_” (it appears in the verification URL)."
            ) % {"number": number}
        elif Certificate.objects.filter(number=number).exists():
            errors["number"] = _("Certificate number “%(number)s” is already used.") % {
                "number": number
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def issue_certificate(
    *,
    product,
    stars,
    score,
    issued_by,
    valid_from,
    decision_number="",
    number=None,
    is_sample=False,
):
    """Issue a certificate for `product` valid from `valid_from` for the validity period.

    The product's certificate in force on that day (if any) is superseded from the same
    day, whether this is an upgrade or a renewal; the product's stars and status are then
    brought in line with today's current certificate. Raises ValidationError (by field)
    before writing anything.
    """
    product = Product.objects.select_for_update().get(pk=product.pk)
    _check(stars, valid_from, number)
    previous = list(product.certificates.valid_on(valid_from))
    certificate = Certificate(
        number=number or next_number(product, valid_from),
        product=product,
        stars=stars,
        score=score,
        issued_by=issued_by,
        decision_number=decision_number,
        valid_from=valid_from,
        is_sample=is_sample,
        valid_until=valid_until(valid_from),
    )
    certificate.full_clean()
    certificate.save()
    for old in previous:
        old.superseded_on = valid_from
        old.superseded_by = certificate
        old.save(update_fields=["superseded_on", "superseded_by"])
    sync_product(product)
    tell_issued(certificate)
    return certificate


@transaction.atomic
def revoke(certificate, on, reason, by=None):
    """Revoke `certificate` from day `on` (inclusive) for `reason`; `by` is the user
    recorded in the audit history."""
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for revoking the certificate.")
    if not isinstance(on, datetime.date):
        errors["on"] = _("The revocation date must be a date.")
    elif on < certificate.valid_from:
        errors["on"] = _("A certificate cannot be revoked before it starts (%(day)s).") % {
            "day": date_format(certificate.valid_from)
        }
    if certificate.revoked_on:
        errors["on"] = _("This certificate was already revoked on %(day)s.") % {
            "day": date_format(certificate.revoked_on)
        }
    if errors:
        raise ValidationError(errors)
    certificate.revoked_on = on
    certificate.revocation_reason = reason
    if by is not None:
        certificate._history_user = by
    certificate.save(update_fields=["revoked_on", "revocation_reason"])
    sync_product(certificate.product)
    return certificate


def sync_product(product, today=None):
    """Make the product's stars and status follow its certificate in force `today`.

    With a current certificate the product is certified with its stars; without one its
    stars are cleared and a product that held one becomes expired (revocation included).
    A re-evaluation under way (submitted) or a withdrawal is left as it is. Returns True if
    the product changed.
    """
    today = today or timezone.localdate()
    product = Product.objects.get(pk=product.pk)
    current = current_certificate(product, today)
    if current is not None:
        stars, status = current.stars, Lifecycle.CERTIFIED
    else:
        stars = None
        status = product.status
        # A product that held a certificate reads as expired, also when the certificate
        # is recorded after the fact (a 2019 certificate entered today).
        if status == Lifecycle.CERTIFIED or (
            status in (Lifecycle.IDEA, Lifecycle.IN_PREPARATION) and product.certificates.exists()
        ):
            status = Lifecycle.EXPIRED
    if (product.stars, product.status) == (stars, status):
        return False
    product.stars, product.status = stars, status
    product.save(update_fields=["stars", "status", "updated"])
    return True
