"""Batches (lots) of a product, the serialised items printed on labels, and scan counts.

A batch is identified on the web by its GS1 Digital Link URI `/01/{gtin14}/10/{lot}`, a
serialised item by `/01/{gtin14}/21/{serial}`; the same URIs are the EPCs in EPCIS events.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ocophub.places.models import Commune
from ocophub.products.models import Product

from .digital_link import CSET82, DigitalLinkError, build_uri, parse


class Unit(models.TextChoices):
    """Units of quantity, stored as UN/ECE Recommendation 20 codes (what EPCIS `uom` uses)."""

    PIECE = "H87", _("pieces")
    KILOGRAM = "KGM", _("kg")
    GRAM = "GRM", _("g")
    LITRE = "LTR", _("litres")
    MILLILITRE = "MLT", _("ml")


class DateKind(models.TextChoices):
    """Which date the package carries: GS1 AI 17 (use by / expiry) or AI 15 (best before)."""

    EXPIRY = "17", _("use by / expiry")
    BEST_BEFORE = "15", _("best before")


def validate_lot(value):
    bad = sorted({c for c in value if c not in CSET82})
    if bad:
        raise ValidationError(
            _(
                "A lot number may use letters A–Z, a–z, digits and !\"%%&'()*+,-./:;<=>?_ only "
                "(GS1 character set 82); remove: %(chars)s"
            )
            % {"chars": " ".join(bad)},
            code="charset",
        )


class BatchQuerySet(models.QuerySet):
    def editable_by(self, user):
        return self.filter(product__in=Product.objects.editable_by(user))

    def visible_to(self, user):
        return self.filter(product__in=Product.objects.visible_to(user))

    def readable_by(self, user):
        return self.filter(product__in=Product.objects.readable_by(user))


class Batch(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="batches"
    )
    lot = models.CharField(
        _("lot number"),
        max_length=20,
        validators=[validate_lot],
        help_text=_("Up to 20 characters, printed on the package (GS1 AI 10)."),
    )
    production_date = models.DateField(_("production date"))
    expiry_date = models.DateField(_("expiry or best-before date"), null=True, blank=True)
    date_kind = models.CharField(
        _("date printed"), max_length=2, choices=DateKind.choices, default=DateKind.BEST_BEFORE
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices, default=Unit.PIECE)
    origin_commune = models.ForeignKey(
        Commune,
        verbose_name=_("origin commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the raw material came from, if not the producer's commune."),
    )
    inputs = models.ManyToManyField(
        "self",
        verbose_name=_("input batches"),
        symmetrical=False,
        blank=True,
        related_name="outputs",
        help_text=_("Batches this one was made from (honey into bottles, chicken into sausage)."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[inputs])
    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-production_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot"], name="batch_product_lot"),
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True) | Q(expiry_date__gte=F("production_date")),
                name="batch_expiry_after_production",
            ),
        ]

    def __str__(self):
        return f"{self.product} · {self.lot}"

    def clean(self):
        errors = {}
        if self.expiry_date and self.production_date and self.expiry_date < self.production_date:
            errors["expiry_date"] = [_("The expiry date cannot be before the production date.")]
        if self.product_id and not self.product.gtin:
            errors["product"] = [
                _("Give the product a GTIN first: the batch's QR code is built from it.")
            ]
        if self.quantity is not None and self.quantity <= 0:
            errors["quantity"] = [_("The quantity must be more than zero.")]
        if errors:
            raise ValidationError(errors)

    @property
    def origin(self):
        return self.origin_commune or self.product.commune

    @property
    def digital_link(self):
        """The canonical URI, which is also the batch's EPC (class level) in EPCIS."""
        return build_uri([("01", self.product.gtin), ("10", self.lot)])

    @property
    def label_uri(self):
        """What the QR code on the package holds: the batch URI and its date attribute."""
        return build_uri([("01", self.product.gtin), ("10", self.lot)], self.date_attributes())

    def date_attributes(self):
        if not self.expiry_date:
            return []
        return [(self.date_kind, self.expiry_date.strftime("%y%m%d"))]


# Unambiguous characters (no 0/O, 1/I/L) so a serial can also be read out over the phone.
SERIAL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SERIAL_LENGTH = 10


def new_serial():
    return "".join(secrets.choice(SERIAL_ALPHABET) for _i in range(SERIAL_LENGTH))


class SerialItem(models.Model):
    """One serialised package of a batch: the QR code on a label sheet."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="serials")
    # Denormalised so that a serial is unique per GTIN, as GS1 requires.
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    serial = models.CharField(_("serial number"), max_length=20)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("serialised item")
        verbose_name_plural = _("serialised items")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "serial"], name="serial_per_gtin")
        ]

    def __str__(self):
        return self.serial

    @property
    def digital_link(self):
        return build_uri([("01", self.product.gtin), ("21", self.serial)])

    @property
    def label_uri(self):
        return build_uri(
            [("01", self.product.gtin), ("21", self.serial)], self.batch.date_attributes()
        )


def make_serials(batch, count):
    """Create `count` new random serials for `batch`; returns them in order."""
    taken = set(SerialItem.objects.filter(product=batch.product).values_list("serial", flat=True))
    serials = []
    while len(serials) < count:
        serial = new_serial()
        if serial not in taken:
            taken.add(serial)
            serials.append(SerialItem(batch=batch, product_id=batch.product_id, serial=serial))
    return SerialItem.objects.bulk_create(serials)


class Device(models.TextChoices):
    PHONE = "phone", _("phone")
    TABLET = "tablet", _("tablet")
    DESKTOP = "desktop", _("computer")
    BOT = "bot", _("robot")
    OTHER = "other", _("other")


class ScanCount(models.Model):
    """How often a URI was resolved on a day, by coarse client class: no address, no
    identifier, nothing that points to a person."""

    day = models.DateField()
    path = models.CharField(max_length=200)
    device = models.CharField(max_length=8, choices=Device.choices)
    language = models.CharField(max_length=8)
    count = models.PositiveIntegerField(default=0)
    # The keys in the path, kept apart so that a product's or a batch's scans are found
    # by index (a serialised item's path names no lot: its serial finds its batch).
    gtin = models.CharField(max_length=14, blank=True)
    lot = models.CharField(max_length=20, blank=True)
    serial = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "path", "device", "language"], name="scan_count_key"
            )
        ]
        indexes = [models.Index(fields=["gtin", "lot"], name="scan_count_batch")]

    def __str__(self):
        return f"{self.day} {self.path} {self.device}/{self.language}: {self.count}"

    @classmethod
    def of_batch(cls, batch):
        """The counts of scans of the batch's QR code and of its serialised items."""
        if not batch.product.gtin:  # no Digital Link, so nothing to scan
            return cls.objects.none()
        serials = SerialItem.objects.filter(batch=batch).values("serial")
        return cls.objects.filter(Q(lot=batch.lot) | Q(serial__in=serials), gtin=batch.product.gtin)

    @classmethod
    def summary(cls, counts, today=None):
        """Totals of a set of counts: all time, the last 30 days, the last day scanned,
        and by device and by language (largest first)."""
        today = today or timezone.localdate()
        totals = counts.aggregate(
            total=Sum("count"),
            recent=Sum("count", filter=Q(day__gt=today - datetime.timedelta(days=30))),
            last_day=Max("day"),
        )
        devices = dict(Device.choices)

        def by(field):
            rows = counts.values(field).annotate(n=Sum("count")).order_by("-n", field)
            return [(row[field], row["n"]) for row in rows]

        return {
            "total": totals["total"] or 0,
            "recent": totals["recent"] or 0,
            "last_day": totals["last_day"],
            "by_device": [(devices.get(key, key), n) for key, n in by("device")],
            "by_language": by("language"),
        }


def path_keys(path):
    """(GTIN, lot, serial) named by a Digital Link path, blank where it names none."""
    try:
        qualifiers = dict(parse(path).path)
    except DigitalLinkError:
        return "", "", ""
    return qualifiers.get("01", ""), qualifiers.get("10", ""), qualifiers.get("21", "")


class ItemScan(models.Model):
    """Scans of one serialised item's code by day, coarse device and coarse place: what
    tells one package checked by its buyer from a code copied onto many. `device` and
    `place` are 16-bit keyed hashes (of the browser's self-description, and of the
    network's first half): thousands of people share each value, so none points to a
    person, yet a handful of different ones on one code stand out."""

    day = models.DateField()
    gtin = models.CharField(max_length=14)
    serial = models.CharField(max_length=20)
    device = models.CharField(max_length=4)
    place = models.CharField(max_length=4)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["gtin", "serial", "day", "device", "place"], name="item_scan_key"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.gtin}/{self.serial} {self.device}@{self.place}: {self.count}"


class SuspectCodeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(item__batch__in=Batch.objects.visible_to(user))


class SuspectCode(models.Model):
    """A serialised item's code checked from more devices or places within the window
    than one package would be (settings TRACE_SUSPECT_*): perhaps copied onto fakes.
    Kept once raised, so that later shoppers are warned too; its counts follow the
    scans."""

    item = models.OneToOneField(
        SerialItem, verbose_name=_("serialised item"), on_delete=models.CASCADE, related_name="+"
    )
    first_day = models.DateField(_("first checked"))
    last_day = models.DateField(_("last checked"))
    scans = models.PositiveIntegerField(_("checks"))
    devices = models.PositiveIntegerField(_("devices in the window"))
    places = models.PositiveIntegerField(_("places in the window"))
    flagged_on = models.DateField(_("flagged on"))

    objects = SuspectCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("code checked too often")
        verbose_name_plural = _("codes checked too often")
        ordering = ["-last_day", "-pk"]

    def __str__(self):
        return f"{self.item}: {self.scans}"
