"""The market: the search index and public addresses of products, points of sale,
e-commerce listings and trade enquiries."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocophub.accounts.models import Role
from ocophub.accounts.scoping import ScopedQuerySet, union_territory_q
from ocophub.places.models import Commune
from ocophub.producers.models import Producer
from ocophub.products.models import Product


class WordedRule:
    """A model whose clean() words the faults of some fields itself: `rule_errors()`
    returns {field: message}, and Django's generic message for the same field ("not a
    valid choice", "cannot be blank") is left out, so each fault reads once."""

    def rule_errors(self):
        return {}

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude=set(exclude or ()) | set(self.rule_errors()))

    def clean(self):
        super().clean()
        if errors := self.rule_errors():
            raise ValidationError(errors)


class SearchEntry(models.Model):
    """A product's text as search sees it: folded (no accents, lower case), abbreviations
    added ("hop tac xa" also reads "htx"). `body` is the Vietnamese text that is not the
    name: description, story, producer, commune, group. `slug` is the product's public
    address, given once so that a renamed product keeps its links."""

    product = models.OneToOneField(
        Product, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    slug = models.SlugField(max_length=120, unique=True)
    name = models.TextField(default="")
    name_en = models.TextField(default="")
    body = models.TextField(default="")
    # What the catalogue filters and counts, copied from the product, its groups, its
    # units and its certificates (search.entry_facets) so that a search reads this one
    # table. Units: `commune_now`/`province_now` are today's units (a legacy commune's
    # successor), `province_after` the province its recorded province became; ids for
    # the filters, codes for the facets. Groups: the top group's code and the product's
    # own, in each classification.
    stars = models.PositiveSmallIntegerField(null=True)
    group = models.CharField(max_length=20, default="")
    subgroup = models.CharField(max_length=20, default="")
    group_2019 = models.CharField(max_length=20, default="")
    subgroup_2019 = models.CharField(max_length=20, default="")
    producer_type = models.CharField(max_length=16, default="")
    commune_now = models.PositiveIntegerField(null=True)
    province_now = models.PositiveIntegerField(null=True)
    province_after = models.PositiveIntegerField(null=True)
    commune_code = models.PositiveIntegerField(null=True)
    province_code = models.PositiveIntegerField(null=True)
    # The run of days a certificate is in force that holds the day of the last write, or
    # the next run, or else the last one; `listed_before`/`listed_after`: other runs lie
    # before or after it. Listing is decided from today's date at read time (no job when
    # a certificate ends); only a day outside the run with another run on that side reads
    # the certificates themselves.
    listed_from = models.DateField(null=True)
    listed_until = models.DateField(null=True)
    listed_before = models.BooleanField(default=False)
    listed_after = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["listed_until", "listed_from"], name="entry_listed"),
            models.Index(fields=["stars"], name="entry_stars"),
            models.Index(fields=["group"], name="entry_group"),
            models.Index(fields=["subgroup"], name="entry_subgroup"),
            models.Index(fields=["group_2019"], name="entry_group_2019"),
            models.Index(fields=["subgroup_2019"], name="entry_subgroup_2019"),
            models.Index(fields=["producer_type"], name="entry_producer_type"),
            models.Index(fields=["commune_now"], name="entry_commune_now"),
            models.Index(fields=["province_now"], name="entry_province_now"),
            models.Index(fields=["province_after"], name="entry_province_after"),
        ]

    def __str__(self):
        return self.name


class SearchWord(models.Model):
    """Every word the index holds, so that a mistyped query word can be matched to the
    words within one edit of it."""

    word = models.CharField(max_length=64, unique=True)
    length = models.PositiveSmallIntegerField(db_index=True)

    def __str__(self):
        return self.word


class ShopKind(models.TextChoices):
    OCOP_SHOP = "ocop_shop", _("OCOP shop")
    STALL = "stall", _("Stall")
    POST_OFFICE = "post_office", _("Post office")
    SUPERMARKET = "supermarket", _("Supermarket")


class ShopQuerySet(ScopedQuerySet):
    # A producer's accounts keep its shops; officers those in their communes.
    owner_path = "producer__accounts"
    commune_path = "commune"


# What a shop must say, and the words for it missing (Shop.rule_errors, the shop form).
SHOP_NEEDS = {
    "name": _("Give the name of the point of sale."),
    "address": _("Give the address: street and number, or hamlet."),
    "commune": _("Choose the commune the point of sale is in."),
}


class Shop(WordedRule, models.Model):
    """A point of sale that stocks OCOP products: a producer's own (it stocks that
    producer's products), or, with no producer, one the office records that stocks many
    producers' (an OCOP shop, a post office)."""

    name = models.CharField(_("name"), max_length=200)
    producer = models.ForeignKey(
        Producer,
        verbose_name=_("producer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shops",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ShopKind.choices)
    address = models.CharField(_("address"), max_length=255)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="shops"
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    products = models.ManyToManyField(
        Product, verbose_name=_("products stocked"), blank=True, related_name="shops"
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_shops"
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    objects = ShopQuerySet.as_manager()

    class Meta:
        verbose_name = _("point of sale")
        verbose_name_plural = _("points of sale")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def rule_errors(self):
        """A shop is named, has an address and a commune a shopper can find, and a
        position of both coordinates (or none) that lies on the Earth."""
        errors = {}
        if not (self.name or "").strip():
            errors["name"] = SHOP_NEEDS["name"]
        if not (self.address or "").strip():
            errors["address"] = SHOP_NEEDS["address"]
        if self.commune_id is None:
            errors["commune"] = SHOP_NEEDS["commune"]
        lat, lon = self.latitude, self.longitude
        if (lat is None) != (lon is None):
            missing = "longitude" if lon is None else "latitude"
            errors[missing] = _("Give both latitude and longitude, or neither.")
        if lat is not None and not -90 <= lat <= 90:
            errors["latitude"] = _("A latitude lies between -90 and 90 (Phú Thọ: about 21).")
        if lon is not None and not -180 <= lon <= 180:
            errors["longitude"] = _("A longitude lies between -180 and 180 (Phú Thọ: about 105).")
        return errors


class Platform(models.TextChoices):
    POSTMART = "postmart", "Postmart"
    VOSO = "voso", "Voso"
    SHOPEE = "shopee", "Shopee"
    LAZADA = "lazada", "Lazada"
    TIKI = "tiki", "Tiki"
    TIKTOK = "tiktok", "TikTok Shop"
    OWN_SITE = "own_site", _("Producer's own site")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LIVE = "live", _("Live")
    PAUSED = "paused", _("Paused")
    DELISTED = "delisted", _("Delisted")


def supported_q(user, producer="producer"):
    """The producers a union officer supports, on the producer field `producer`: those
    in the union's territory (its communes, or its province) and those linked to a
    founding case in that territory or in the officer's charge. None means everywhere."""
    territory = union_territory_q(user, f"{producer}__commune")
    if territory is None:
        return None
    # The support app (above the market) links a case to its registry record; the
    # lookup goes through the database relation, so no import crosses the layers.
    case = f"{producer}__support_case"
    return territory | Q(**{f"{case}__officer": user}) | union_territory_q(user, f"{case}__commune")


class SupportedScope(ScopedQuerySet):
    """A union officer reads what the union supports (supported_q), not the whole
    province; everyone else as ScopedQuerySet says."""

    producer_path = "product__producer"

    def visible_to(self, user):
        if getattr(user, "role", "") != Role.UNION_OFFICER or user.is_superuser:
            return super().visible_to(user)
        q = supported_q(user, self.producer_path)
        return self if q is None else self.filter(q).distinct()


class ListingQuerySet(SupportedScope):
    owner_path = "product__producer__accounts"
    commune_path = "product__producer__commune"

    def live(self):
        return self.filter(status=ListingStatus.LIVE, broken=False)

    def manageable_by(self, user):
        """Listings a user may add to, change, pause or delist (see `listable_products`)."""
        return self.filter(product__in=listable_products(user))


def listable_products(user):
    """Products a user may list: a producer its own, an officer those in their
    territory, the office all of them, a union officer those of the producers the union
    supports (supported_q: its territory and its founding cases)."""
    # Union officers read but do not write the registry: listing follows whom they support.
    if getattr(user, "role", "") == Role.UNION_OFFICER and not user.is_superuser:
        q = supported_q(user)
        return Product.objects.all() if q is None else Product.objects.filter(q).distinct()
    return Product.objects.editable_by(user)


# Failed checks in a row after which a listing's link counts as broken.
BROKEN_AFTER = 3


class Listing(WordedRule, models.Model):
    """A product offered on an e-commerce platform."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="listings"
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    url = models.URLField(_("address"), max_length=500)
    price = models.PositiveIntegerField(_("price (VND)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    failed_checks = models.PositiveSmallIntegerField(default=0, editable=False)
    broken = models.BooleanField(_("link broken"), default=False, editable=False)
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["product", "platform"]

    def __str__(self):
        return f"{self.product} · {self.get_platform_display()}"

    def rule_errors(self):
        """The one rule for a listing, for the API and the staff pages: a known platform
        and status, a full web address, no negative price."""
        errors = {}
        if self.platform not in Platform.values:
            errors["platform"] = _("Choose one of: %(values)s.") % {
                "values": ", ".join(Platform.values)
            }
        if self.status not in ListingStatus.values:
            errors["status"] = _("Choose one of: %(values)s.") % {
                "values": ", ".join(ListingStatus.values)
            }
        if not (self.url or "").startswith(("https://", "http://")):
            errors["url"] = _("Give the full address of the listing, starting with https://.")
        if self.price is not None and self.price < 0:
            errors["price"] = _("A price cannot be negative.")
        return errors

    def forget_checks(self):
        """A new address starts the link checks afresh."""
        self.failed_checks, self.broken, self.checked_at = 0, False, None

    def record_check(self, ok, when):
        """One link check: a success clears the count, BROKEN_AFTER failures in a row
        mark the link broken (it leaves the product page until it answers again)."""
        self.failed_checks = 0 if ok else self.failed_checks + 1
        self.broken = self.failed_checks >= BROKEN_AFTER
        self.checked_at = when
        self.save(update_fields=["failed_checks", "broken", "checked_at"])


class EnquiryQuerySet(SupportedScope):
    owner_path = "product__producer__accounts"
    commune_path = "product__producer__commune"

    def for_party(self, user):
        """What a user may read: their own enquiries as buyer, and those their scope
        reaches (the producer's accounts, the office of its territory)."""
        return self.filter(models.Q(buyer=user) | models.Q(pk__in=self.visible_to(user)))


class EnquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class ClosedReason(models.TextChoices):
    AGREED = "agreed", _("Agreed: the sale goes ahead")
    CANNOT_SUPPLY = "cannot_supply", _("We cannot supply it")
    WITHDRAWN = "withdrawn", _("The buyer no longer needs it")
    NO_REPLY = "no_reply", _("The buyer did not reply")
    OTHER = "other", _("Another reason")


class Enquiry(WordedRule, models.Model):
    """A buyer asks a producer about a product: the sale happens where they choose."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enquiries"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="enquiries"
    )
    quantity = models.CharField(_("quantity"), max_length=100)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    place = models.CharField(_("delivery place"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN
    )
    closed_reason = models.CharField(
        _("why it is closed"), max_length=16, choices=ClosedReason.choices, blank=True
    )
    closed_note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("trade enquiry")
        verbose_name_plural = _("trade enquiries")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.product} · {self.buyer}"

    def rule_errors(self):
        """A new enquiry says how much is needed, and not by a day already past."""
        errors = {}
        if not (self.quantity or "").strip():
            errors["quantity"] = _("Say how much you need, e.g. 200 jars.")
        if self._state.adding and self.needed_by and self.needed_by < timezone.localdate():
            errors["needed_by"] = _("The date needed is in the past.")
        return errors

    def answer_with(self, text, when=None):
        """The producer's answer; answering again replaces it (the buyer reads the last)."""
        self.answer = text
        self.answered_at = when or timezone.now()
        self.status = EnquiryStatus.ANSWERED
        self.save(update_fields=["answer", "answered_at", "status"])

    def close_with(self, reason, note="", when=None):
        """The producer closes the enquiry, saying why (another reason needs its note);
        a closed enquiry stays closed, and is answered no more."""
        note = (note or "").strip()
        if self.status == EnquiryStatus.CLOSED:
            raise ValidationError(_("This enquiry is already closed."))
        if reason not in ClosedReason.values:
            raise ValidationError({"closed_reason": _("Say why the enquiry is closed.")})
        if reason == ClosedReason.OTHER and not note:
            raise ValidationError({"closed_note": _("Write the reason in the note.")})
        self.closed_reason, self.closed_note = reason, note
        self.closed_at = when or timezone.now()
        self.status = EnquiryStatus.CLOSED
        self.save(update_fields=["closed_reason", "closed_note", "closed_at", "status"])


def product_url(slug, english=False):
    return reverse("market:product_en" if english else "market:product", args=[slug])


def producer_url(producer: Producer, english=False):
    return reverse("market:producer_en" if english else "market:producer", args=[producer.pk])
