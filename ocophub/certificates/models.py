"""OCOP certificates: what gives a product its stars, for 36 months at a time.

A certificate's status on any day follows from its dates and events: valid, expiring
(within the warning window), expired, revoked, or superseded by a later certificate for
the same product (an upgrade or a renewal). A product counts as certified on a day only
if one of its certificates was valid on that day.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ocophub.products.models import Product

from .validity import valid_until


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    NOT_YET = "not_yet", _("Not yet valid")


def expiry_warning_days():
    return getattr(settings, "CERTIFICATE_EXPIRY_WARNING_DAYS", 90)


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Certificates in force on `day`: started, not expired, not revoked or superseded
        by then."""
        return self.filter(valid_from__lte=day, valid_until__gte=day).filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
            Q(superseded_on__isnull=True) | Q(superseded_on__gt=day),
        )

    def valid_now(self):
        return self.valid_on(timezone.localdate())

    def expiring_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.valid_on(today).filter(valid_until__lte=today + datetime.timedelta(days=days))


class Certificate(models.Model):
    number = models.CharField(_("certificate number"), max_length=60, unique=True)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="certificates"
    )
    stars = models.PositiveSmallIntegerField(_("stars"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=200)
    decision_number = models.CharField(
        _("decision number"),
        max_length=60,
        blank=True,
        help_text=_("The recognition decision that issued the certificate, e.g. 1234/QĐ-UBND."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-valid_from", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=3, stars__lte=5), name="certificate_stars_3_to_5"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="certificate_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("certificates:detail", args=[self.number])

    @property
    def verification_url(self):
        """The public page a certificate's QR code points to (no request at hand)."""
        from django.urls import reverse

        return settings.SITE_URL + reverse("verify:certificate", args=[self.number])

    def save(self, *args, **kwargs):
        if self.valid_from and not self.valid_until:
            self.valid_until = valid_until(self.valid_from)
        super().save(*args, **kwargs)

    def status_on(self, day=None):
        day = day or timezone.localdate()
        if self.revoked_on and self.revoked_on <= day:
            return CertificateStatus.REVOKED
        if self.superseded_on and self.superseded_on <= day:
            return CertificateStatus.SUPERSEDED
        if day < self.valid_from:
            return CertificateStatus.NOT_YET
        if day > self.valid_until:
            return CertificateStatus.EXPIRED
        if (self.valid_until - day).days < expiry_warning_days():
            return CertificateStatus.EXPIRING
        return CertificateStatus.VALID

    @property
    def status(self):
        return self.status_on()

    @property
    def is_valid_today(self):
        return self.status in (CertificateStatus.VALID, CertificateStatus.EXPIRING)


class CertificateReminder(models.Model):
    """A reminder sent about a certificate nearing expiry: at most one per threshold."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    threshold_days = models.PositiveSmallIntegerField(_("days before expiry"))
    recipients = models.TextField(_("recipients"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "threshold_days"], name="one_reminder_per_threshold"
            )
        ]

    def __str__(self):
        return f"{self.certificate} ({self.threshold_days})"


def current_certificate(product, day=None):
    """The product's certificate in force on `day` (today by default), highest stars first."""
    day = day or timezone.localdate()
    return product.certificates.valid_on(day).order_by("-stars", "-valid_from").first()


def latest_certificate(product):
    """The most recent certificate of any status: what a shopper should see explained."""
    return product.certificates.order_by("-valid_from", "-pk").first()
