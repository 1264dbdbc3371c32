"""Expiry reminders: who is told, when, and the daily sweep that keeps products' stars
in line with their certificates.

A certificate in its warning window (CERTIFICATE_EXPIRY_WARNING_DAYS, default 90) gets a
reminder at each threshold it crosses (CERTIFICATE_REMINDER_DAYS, default 90, 30 and 7
days before the last valid day, capped at the window): at most one per certificate and
threshold, recorded in CertificateReminder. A certificate first seen with 20 days left
gets only the 30-day reminder, not a burst of the ones it missed.

Each person told gets the reminder in their notice inbox; the letter goes to those with
an address who have not kept expiry notices to the inbox (their notice settings).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ocophub.notices.models import Kind, wants_email
from ocophub.products.models import Lifecycle, Product

from .issuing import sync_product
from .models import Certificate, CertificateReminder, expiry_warning_days
from .receivers import responsible_users, tell_expiring


def thresholds():
    window = expiry_warning_days()
    days = settings.CERTIFICATE_REMINDER_DAYS
    return sorted({d for d in days if 0 < d <= window})


def threshold_for(days_left):
    """The smallest threshold the certificate is inside (days left < threshold)."""
    for t in thresholds():
        if days_left < t:
            return t
    return None


def recipients(certificate):
    """The people told about a certificate nearing expiry: the producer's accounts and
    the officers responsible for the product's commune (receivers.responsible_users)."""
    return list(responsible_users(certificate.product))


def addresses(users):
    """E-mail addresses of those who have not kept expiry notices to their inbox."""
    return sorted({u.email for u in users if wants_email(u, Kind.CERTIFICATE_EXPIRING)})


def _message(certificate, days_left, to, connection):
    product = certificate.product
    site = settings.SITE_URL
    subject = _("OCOP certificate %(number)s for “%(product)s” expires on %(day)s") % {
        "number": certificate.number,
        "product": product.name,
        "day": date_format(certificate.valid_until),
    }
    body = _(
        "The OCOP certificate %(number)s (%(stars)s stars) for the product “%(product)s” "
        "of %(producer)s is valid until %(day)s: %(left)s days left.\n\n"
        "To keep the product's stars, apply for re-evaluation before that day; after it "
        "the product is no longer certified.\n\n"
        "Certificate: %(detail)s\n"
        "Public verification page: %(verify)s\n"
    ) % {
        "number": certificate.number,
        "stars": certificate.stars,
        "product": product.name,
        "producer": product.producer.name,
        "day": date_format(certificate.valid_until),
        "left": days_left,
        "detail": site + reverse("certificates:detail", args=[certificate.number]),
        "verify": certificate.verification_url,
    }
    return EmailMessage(subject, body, to=[to], connection=connection)


@dataclass
class SweepResult:
    sent: list = field(default_factory=list)  # (certificate number, threshold, recipients)
    skipped_no_recipient: list = field(default_factory=list)
    synced: list = field(default_factory=list)  # product names whose stars/status changed


def send_reminders(today=None, dry_run=False):
    today = today or timezone.localdate()
    result = SweepResult()
    due = (
        Certificate.objects.expiring_within(today=today)
        .select_related("product__producer", "product__commune__province")
        .order_by("valid_until", "number")
    )
    connection = None if dry_run else get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for certificate in due:
            days_left = (certificate.valid_until - today).days
            threshold = threshold_for(days_left)
            if threshold is None or certificate.reminders.filter(threshold_days=threshold).exists():
                continue
            people = recipients(certificate)
            if not people:
                result.skipped_no_recipient.append(certificate.number)
                continue
            to = addresses(people)
            if not dry_run:
                # Recorded only if every message went out: a failed send is retried tomorrow.
                with transaction.atomic():
                    CertificateReminder.objects.create(
                        certificate=certificate,
                        threshold_days=threshold,
                        recipients=", ".join(to or (u.username for u in people)),
                    )
                    tell_expiring(certificate, threshold, days_left, people)
                    connection.send_messages(
                        [_message(certificate, days_left, address, connection) for address in to]
                    )
            result.sent.append((certificate.number, threshold, to))
    return result


def sync_products(today=None, dry_run=False):
    """Products whose stars or status no longer match their certificates today:
    certified with nothing in force (expired, revoked), or whose stars differ from the
    certificate now in force (one issued ahead of its start date)."""
    today = today or timezone.localdate()
    in_force = Certificate.objects.valid_on(today)
    stale = Product.objects.filter(status=Lifecycle.CERTIFIED).exclude(
        pk__in=in_force.values("product_id")
    )
    restarred = (
        Product.objects.filter(pk__in=in_force.values("product_id"))
        .annotate(best=Max("certificates__stars", filter=Q(certificates__in=in_force)))
        .filter(Q(stars__isnull=True) | ~Q(stars=F("best")))
    )
    changed = []
    for product in list(stale) + list(restarred):
        if dry_run or sync_product(product, today):
            changed.append(product.name)
    return changed


def daily(today=None, dry_run=False):
    today = today or timezone.localdate()
    result = send_reminders(today, dry_run)
    result.synced = sync_products(today, dry_run)
    return result
