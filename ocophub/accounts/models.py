"""Users, their role, and the places each role is scoped to.

A user has one role. The province office sees everything in its province, a commune
officer their communes; which producer a producer account speaks for is recorded on
the producer (producers app), since imports point up the app table, never down.
"""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocophub.places.models import Commune, Era, Province


class Role(models.TextChoices):
    PROVINCE_OFFICE = "province", _("Provincial OCOP office")
    COMMUNE_OFFICER = "commune", _("Commune officer")
    COUNCIL_MEMBER = "council", _("Council member")
    PRODUCER = "producer", _("Producer")
    INSPECTOR = "inspector", _("Inspector")
    UNION_OFFICER = "union", _("Farmers' union officer")
    # A supermarket, distributor or exporter sending trade enquiries: no territory.
    BUYER = "buyer", _("Buyer")


READS_PROVINCE = (Role.PROVINCE_OFFICE, Role.INSPECTOR, Role.UNION_OFFICER)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        limit_choices_to={"era": Era.CURRENT},
    )
    communes = models.ManyToManyField(
        Commune,
        verbose_name=_("communes"),
        blank=True,
        related_name="officers",
        limit_choices_to={"era": Era.CURRENT},
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        # Vietnamese order: family and middle names (last_name) before the given name.
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_province_office(self):
        return self.role == Role.PROVINCE_OFFICE

    @property
    def is_commune_officer(self):
        return self.role == Role.COMMUNE_OFFICER

    @property
    def is_producer(self):
        return self.role == Role.PRODUCER

    @property
    def is_staff_officer(self):
        """An officer who manages the registry within a territory."""
        return self.is_superuser or self.role in (Role.PROVINCE_OFFICE, Role.COMMUNE_OFFICER)

    def territory_q(self, prefix="commune"):
        """A filter for the communes this user governs, on the commune field `prefix`
        ("" filters communes themselves). None means everywhere.

        Legacy communes count through the current commune or province they became, so a
        record made before the reform stays in its officer's view.
        """

        def f(name):
            return f"{prefix}__{name}" if prefix else name

        if self.is_superuser:
            return None
        # Inspectors and union officers read their province; only officers write.
        if self.role in READS_PROVINCE and self.province_id:
            return Q(**{f("province_id"): self.province_id}) | Q(
                **{f("province__successor_id"): self.province_id}
            )
        if self.role == Role.COMMUNE_OFFICER:
            ids = list(self.communes.values_list("id", flat=True))
            return Q(**{f("id__in"): ids}) | Q(**{f("successor_id__in"): ids})
        return Q(pk__in=[])

    def governs(self, commune):
        """May this officer act on records tied to `commune`?"""
        if commune is None or not self.is_staff_officer:
            return False
        q = self.territory_q("")
        if q is None:
            return True
        return Commune.objects.filter(q, pk=commune.pk).exists()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def _digest(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name=""):
        token = "ocop_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, name=name, prefix=token[5:13], digest=cls._digest(token))
        return token

    @classmethod
    def authenticate(cls, token):
        row = (
            cls.objects.select_related("user")
            .filter(digest=cls._digest(token or ""), revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        cls.objects.filter(pk=row.pk).update(last_used=timezone.now())
        return row.user
