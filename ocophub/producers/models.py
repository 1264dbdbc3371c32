"""Producers: cooperatives, cooperative groups, enterprises and household businesses."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ocophub.accounts.scoping import ScopedQuerySet
from ocophub.core.text import fold
from ocophub.places.models import Commune

from .choices import Gender, ProducerKind, ProducerStatus, TrademarkKind
from .validators import validate_registration_number


class ProducerQuerySet(ScopedQuerySet):
    """`visible_to` / `editable_by` (accounts.scoping): own producer, or the territory."""

    owner_path = "accounts"
    commune_path = "commune"


class Producer(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ProducerKind.choices)
    name = models.CharField(_("legal name"), max_length=255)
    registration_number = models.CharField(
        _("registration or tax number"),
        max_length=20,
        unique=True,
        help_text=_(
            "Tax code (10 digits, or 10-3 for a branch); groups and households may "
            "use the representative's 12-digit citizen ID."
        ),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    representative = models.CharField(_("representative"), max_length=120)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="producers"
    )
    member_count = models.PositiveIntegerField(_("member count"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProducerStatus.choices, default=ProducerStatus.ACTIVE
    )
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Plausible demo record, not taken from a source."),
    )
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("producer accounts"),
        blank=True,
        related_name="producers",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text", "updated"])
    objects = ProducerQuerySet.as_manager()

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.registration_number:
            try:
                self.registration_number = validate_registration_number(
                    self.registration_number, self.kind
                )
            except ValidationError as exc:
                raise ValidationError({"registration_number": exc.messages}) from exc

    def save(self, *args, **kwargs):
        self.search_text = fold(
            " ".join(
                filter(
                    None,
                    [
                        self.name,
                        self.registration_number,
                        self.representative,
                        self.commune.name if self.commune_id else "",
                    ],
                )
            )
        )
        super().save(*args, **kwargs)


class Member(models.Model):
    """A cooperative or group member. OCOP (148/2023) awards points for the share of women
    and ethnic-minority people taking part, so both are recorded."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(
        _("ethnicity"),
        max_length=40,
        blank=True,
        help_text=_("e.g. Kinh, Mường, Thái, Dao, H'Mông"),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    @property
    def is_ethnic_minority(self):
        return bool(self.ethnicity) and fold(self.ethnicity) != "kinh"


class Trademark(models.Model):
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="trademarks")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=TrademarkKind.choices, default=TrademarkKind.ORDINARY
    )
    certificate_number = models.CharField(
        pgettext_lazy("trademark", "certificate number"), max_length=40, blank=True
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    issued_by = models.CharField(
        _("issued by"), max_length=200, blank=True, default="Cục Sở hữu trí tuệ"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trademark")
        verbose_name_plural = _("trademarks")
        ordering = ["name"]

    def __str__(self):
        return self.name
