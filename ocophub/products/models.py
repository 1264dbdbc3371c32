"""Products, the OCOP product-group taxonomy, and photos."""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from simple_history.models import HistoricalRecords

from ocophub.accounts.scoping import ScopedQuerySet
from ocophub.core.i18n import page_name
from ocophub.core.text import fold
from ocophub.places.models import Commune
from ocophub.producers.models import Producer, Trademark

from .gtin import normalise_gtin


class Classification(models.TextChoices):
    DECISION_1048_2019 = "2019", _("Decision 1048/QĐ-TTg (2019)")
    DECISION_148_2023 = "2023", _("Decision 148/QĐ-TTg (2023)")


class ProductGroup(models.Model):
    """A group or sub-group in one of the OCOP classifications; the taxonomy is data."""

    classification = models.CharField(max_length=4, choices=Classification.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["classification", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["classification", "code"], name="group_code")
        ]

    def __str__(self):
        return f"{self.parent} › {self.label}" if self.parent_id else self.label

    @property
    def label(self):
        """The group's own name in the page's language."""
        return page_name(self)

    @property
    def top(self):
        return self.parent or self


class Lifecycle(models.TextChoices):
    IDEA = "idea", _("Idea")
    IN_PREPARATION = "preparing", _("In preparation")
    SUBMITTED = "submitted", _("Submitted")
    CERTIFIED = "certified", _("Certified")
    EXPIRED = "expired", _("Certificate expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Which status may follow which. Certification and expiry are set by the certificates app.
TRANSITIONS = {
    Lifecycle.IDEA: {Lifecycle.IN_PREPARATION, Lifecycle.WITHDRAWN},
    Lifecycle.IN_PREPARATION: {Lifecycle.IDEA, Lifecycle.SUBMITTED, Lifecycle.WITHDRAWN},
    Lifecycle.SUBMITTED: {Lifecycle.IN_PREPARATION, Lifecycle.CERTIFIED, Lifecycle.WITHDRAWN},
    Lifecycle.CERTIFIED: {Lifecycle.EXPIRED, Lifecycle.WITHDRAWN, Lifecycle.SUBMITTED},
    Lifecycle.EXPIRED: {Lifecycle.SUBMITTED, Lifecycle.CERTIFIED, Lifecycle.WITHDRAWN},
    Lifecycle.WITHDRAWN: {Lifecycle.IDEA, Lifecycle.IN_PREPARATION},
}
PUBLISHED = (Lifecycle.CERTIFIED, Lifecycle.EXPIRED)


class ProductQuerySet(ScopedQuerySet):
    # visible_to / editable_by come from ScopedQuerySet (accounts.scoping): drafts
    # included, the producer's accounts or the territory of the product's producer.
    owner_path = "producer__accounts"
    commune_path = "producer__commune"

    def published(self):
        """What anyone may read: products that hold or held a certificate."""
        return self.filter(status__in=PUBLISHED)

    def readable_by(self, user):
        """Published products plus the drafts a user may see."""
        if user.is_authenticated and user.is_superuser:
            return self
        return self.filter(
            models.Q(status__in=PUBLISHED) | models.Q(pk__in=self.visible_to(user).values("pk"))
        )


class Product(models.Model):
    name = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    group_2019 = models.ForeignKey(
        ProductGroup,
        verbose_name=_("group (1048/2019)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"classification": Classification.DECISION_1048_2019},
    )
    group_2023 = models.ForeignKey(
        ProductGroup,
        verbose_name=_("group (148/2023)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"classification": Classification.DECISION_148_2023},
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune of origin"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("product story"), blank=True)
    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        help_text=_("GTIN-8, -12, -13 or -14; stored as 14 digits."),
    )
    trademark = models.ForeignKey(
        Trademark,
        verbose_name=_("trademark"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Lifecycle.choices, default=Lifecycle.IDEA
    )
    # Set by the certificates app from the product's current valid certificate.
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True, editable=False)
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Plausible demo record, not taken from a source."),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text", "updated"])
    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.gtin:
            try:
                self.gtin = normalise_gtin(self.gtin)
            except ValidationError as exc:
                errors["gtin"] = exc.messages
        else:
            self.gtin = None
        if (
            self.trademark_id
            and self.producer_id
            and self.trademark.producer_id != self.producer_id
        ):
            errors["trademark"] = [_("This trademark belongs to another producer.")]
        if not (self.group_2019_id or self.group_2023_id):
            errors["group_2023"] = [
                ValidationError(
                    _("Choose the product group (148/2023 or 1048/2019)."), code="no_group"
                )
            ]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.search_text = fold(
            " ".join(
                filter(
                    None,
                    [
                        self.name,
                        self.name_en,
                        self.producer.name if self.producer_id else "",
                        self.commune.name if self.commune_id else "",
                    ],
                )
            )
        )
        super().save(*args, **kwargs)

    def can_move_to(self, status):
        return status in TRANSITIONS[self.status]

    def move_to(self, status):
        if not self.can_move_to(status):
            raise ValidationError(
                _("A product cannot go from “%(from)s” to “%(to)s”.")
                % {"from": self.get_status_display(), "to": Lifecycle(status).label}
            )
        self.status = status
        self.save(update_fields=["status", "updated"])

    @property
    def is_published(self):
        return self.status in PUBLISHED

    @property
    def group(self):
        return self.group_2023 or self.group_2019


PHOTO_TYPES = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (480, 480)


def photo_path(instance, filename):
    return f"products/{instance.product_id}/{Path(filename).name}"


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(upload_to=photo_path, editable=False, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption or self.image.name

    def make_thumbnail(self):
        self.image.open("rb")
        with Image.open(self.image) as img:
            # Phone photos are often stored sideways with an EXIF orientation tag.
            img = ImageOps.exif_transpose(img).convert("RGB")
            img.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            img.save(out, "JPEG", quality=82, optimize=True)
        stem = Path(self.image.name).stem
        self.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(out.getvalue()), save=False)
