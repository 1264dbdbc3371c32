"""From a parsed Digital Link to what we hold: product, batch or serialised item, and the
links a resolver answers with (GS1 link types, RFC 9264 linkset)."""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ocophub.certificates.models import Certificate, CertificateStatus
from ocophub.products.models import Product

from .digital_link import build_uri
from .models import Batch, SerialItem

GS1 = "https://gs1.org/voc/"


@dataclass
class Target:
    product: Product
    batch: Batch | None = None
    serial: SerialItem | None = None

    @cached_property
    def inputs(self):
        """The batches this one was made from; most have none, which the link table
        alone tells (no join)."""
        if self.batch is None:
            return []
        links = Batch.inputs.through.objects.filter(from_batch_id=self.batch.pk)
        ids = list(links.values_list("to_batch_id", flat=True))
        if not ids:
            return []
        return list(Batch.objects.filter(pk__in=ids).select_related("product").order_by("pk"))

    @cached_property
    def certificate(self):
        """The certificate in force today (highest stars first), else the latest one:
        what the shopper must see explained. One query for all of the product's."""
        certificates = list(Certificate.objects.filter(product_id=self.product.pk).order_by())
        in_force = [
            c
            for c in certificates
            if c.status in (CertificateStatus.VALID, CertificateStatus.EXPIRING)
        ]
        if in_force:
            return max(in_force, key=lambda c: (c.stars, c.valid_from))
        return max(certificates, key=lambda c: (c.valid_from, c.pk), default=None)

    @property
    def epcs(self):
        """The EPCs whose events make this thing's story: the item, its batch, and the
        batches it was made from (one step back)."""
        epcs = []
        if self.serial:
            epcs.append(self.serial.digital_link)
        if self.batch:
            epcs.append(self.batch.digital_link)
            epcs.extend(b.digital_link for b in self.inputs)
        if not epcs:
            epcs.append(self.product_uri)
        return epcs

    @property
    def product_uri(self):
        return build_uri([("01", self.product.gtin)])


def _one(queryset):
    """The row or None, without the ORDER BY that first() adds (the keys are unique)."""
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


# Place names come from scan.commune_names (cached), so only the producer is joined.
PRODUCT_RELATED = ("producer",)
ORIGIN_RELATED = ()


def find(dl, user_of_request):
    """The Target for a parsed Digital Link, or None: one query for the product with its
    batch or serial. Unpublished products resolve only for users who may see them (the
    request's user, and so the session, is looked at only then)."""
    if dl.key != "01":
        return None  # we hold GTINs only; other keys are well-formed but unknown here
    qualifiers = dl.qualifiers
    if "22" in qualifiers or "235" in qualifiers:
        return None  # no variants or third-party extensions are registered
    serial = batch = None
    if "21" in qualifiers:
        serial = _one(
            SerialItem.objects.select_related(
                *[f"batch__{r}" for r in ORIGIN_RELATED],
                *[f"batch__product__{r}" for r in PRODUCT_RELATED],
            ).filter(product__gtin=dl.gtin, serial=qualifiers["21"])
        )
        if serial is None or ("10" in qualifiers and serial.batch.lot != qualifiers["10"]):
            return None
        batch = serial.batch
        product = batch.product
    elif "10" in qualifiers:
        batch = _one(
            Batch.objects.select_related(
                *ORIGIN_RELATED, *[f"product__{r}" for r in PRODUCT_RELATED]
            ).filter(product__gtin=dl.gtin, lot=qualifiers["10"])
        )
        if batch is None:
            return None
        product = batch.product
    else:
        product = _one(Product.objects.select_related(*PRODUCT_RELATED).filter(gtin=dl.gtin))
        if product is None:
            return None
    if not product.is_published:
        user = user_of_request()
        if not Product.objects.visible_to(user).filter(pk=product.pk).exists():
            return None
    return Target(product=product, batch=batch, serial=serial)


def absolute(path):
    return settings.SITE_URL + path


def links(target, anchor):
    """{link type URI: [link objects]} for the target."""
    product = target.product
    name = product.name
    result = {
        GS1 + "defaultLink": [
            {"href": anchor, "title": _("Product information"), "type": "text/html"}
        ],
        GS1 + "pip": [
            {
                "href": absolute(reverse("products:detail", args=[product.pk])),
                "title": name,
                "type": "text/html",
                "hreflang": ["vi", "en"],
            }
        ],
        GS1 + "brandHomepageClient": [
            {
                "href": absolute(reverse("producers:detail", args=[product.producer_id])),
                "title": product.producer.name,
                "type": "text/html",
            }
        ],
        GS1 + "traceability": [
            {
                "href": absolute("/api/v1/epcis/events?MATCH_anyEPC=" + quote(epc, safe="")),
                "title": _("Supply-chain events (EPCIS 2.0)"),
                "type": "application/ld+json",
            }
            for epc in target.epcs[:1]
        ],
    }
    certificate = target.certificate
    if certificate is not None:
        result[GS1 + "certificationInfo"] = [
            {
                "href": certificate.verification_url,
                "title": _("OCOP certificate %(number)s") % {"number": certificate.number},
                "type": "text/html",
            }
        ]
    return result


def linkset(target, anchor):
    return {"linkset": [{"anchor": anchor, **links(target, anchor)}]}


def link_for_type(target, anchor, link_type):
    """The href for `?linkType=gs1:pip` (or the full URI), or None."""
    if link_type.startswith("gs1:"):
        link_type = GS1 + link_type[4:]
    found = links(target, anchor).get(link_type)
    return found[0]["href"] if found else None
