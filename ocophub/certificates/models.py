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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ocophub.producers.models import Producer
from ocophub.products.models import Product

from .validity import valid_q, valid_until


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    NOT_YET = "not_yet", _("Not yet valid")


def expiry_warning_days():
    return settings.CERTIFICATE_EXPIRY_WARNING_DAYS


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Certificates in force on `day` (validity.valid_q)."""
        return self.filter(valid_q(day))

    def expiring_within(self, days=None, today=None):
        """In force today with fewer than `days` days left (the same rule as status_on)."""
        today = today or timezone.localdate()
        days = expiry_warning_days() if days is None else days
        return self.valid_on(today).filter(valid_until__lt=today + datetime.timedelta(days=days))

    def with_status(self, status, today=None):
        """Certificates whose status_on(today) is `status`, as a database filter."""
        today = today or timezone.localdate()
        revoked = Q(revoked_on__lte=today)
        superseded = Q(superseded_on__lte=today) & ~revoked
        live = self.exclude(revoked).exclude(superseded_on__lte=today)
        in_force = self.filter(valid_q(today))
        warn = today + datetime.timedelta(days=expiry_warning_days())
        if status == CertificateStatus.REVOKED:
            return self.filter(revoked)
        if status == CertificateStatus.SUPERSEDED:
            return self.filter(superseded)
        if status == CertificateStatus.NOT_YET:
            return live.filter(valid_from__gt=today)
        if status == CertificateStatus.EXPIRED:
            return live.filter(valid_until__lt=today)
        if status == CertificateStatus.EXPIRING:
            return in_force.filter(valid_until__lt=warn)
        if status == CertificateStatus.VALID:
            return in_force.filter(valid_until__gte=warn)
        return self.none()

    def visible_to(self, user):
        """Certificates of the products a signed-in user may see in the staff pages: the
        same rule as Product.objects.visible_to (own producer's, or the territory's),
        written as joins so that a sorted page does not scan every certificate."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        own = Q(product__producer__in=Producer.objects.filter(accounts=user).values("pk"))
        territory = user.territory_q("product__producer__commune")
        return self.filter(own | territory if territory is not None else own)


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
        # Lists sort by validity dates and the expiry sweep filters on them. The two
        # covering indexes let the programme's figures (products with a certificate in
        # force on a day) be answered from the index alone: by validity dates for the
        # whole country, by product for a province (reached through its products).
        indexes = [
            models.Index(fields=["valid_from"], name="certificate_valid_from"),
            models.Index(fields=["valid_until"], name="certificate_valid_until"),
            models.Index(
                fields=[
                    "valid_until",
                    "valid_from",
                    "revoked_on",
                    "superseded_on",
                    "product",
                    "stars",
                ],
                name="certificate_validity_cover",
            ),
            models.Index(
                fields=[
                    "product",
                    "valid_from",
                    "valid_until",
                    "revoked_on",
                    "superseded_on",
                    "stars",
                ],
                name="certificate_product_cover",
            ),
        ]
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
        return reverse("certificates:detail", args=[self.number])

    @property
    def verification_url(self):
        """The public page a certificate's QR code points to (no request at hand)."""
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


def certificate_brief(product, day=None):
    """{"number", "status", "valid_until"} of the certificate that explains the product's
    standing on `day`: the one in force (highest stars), else the most recent; None if it
    never had one. Reads `product.certificates.all()`, so a list can prefetch it."""
    day = day or timezone.localdate()
    certificates = list(product.certificates.all())
    if not certificates:
        return None
    in_force = [
        c
        for c in certificates
        if c.status_on(day) in (CertificateStatus.VALID, CertificateStatus.EXPIRING)
    ]
    if in_force:
        chosen = max(in_force, key=lambda c: (c.stars, c.valid_from, c.pk))
    else:
        chosen = max(certificates, key=lambda c: (c.valid_from, c.pk))
    return {
        "number": chosen.number,
        "status": str(chosen.status_on(day)),
        "valid_until": chosen.valid_until,
    }
