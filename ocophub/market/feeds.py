"""Product feeds: Google Merchant Center's attributes as TSV and XML, and a JSON feed of
certified products. Only products listed today (a certificate in force); every product
left out is named with the reason, so a platform can tell a gap from a removal."""

from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocophub.certificates.models import current_certificate
from ocophub.products.models import PUBLISHED, Product

from .catalogue import listed, why_unlisted
from .models import product_url

MERCHANT_COLUMNS = [
    "id",
    "title",
    "description",
    "link",
    "image_link",
    "availability",
    "price",
    "brand",
    "gtin",
    "identifier_exists",
    "condition",
    "product_type",
]
G = "http://base.google.com/ns/1.0"


def _products(day):
    return (
        listed(day)
        .select_related("producer", "search_entry", "group_2023", "trademark")
        .prefetch_related("photos", "listings", "certificates")
        .order_by("pk")
    )


def _lowest_price(product):
    prices = [
        listing.price
        for listing in product.listings.all()
        if listing.status == "live" and not listing.broken and listing.price is not None
    ]
    return min(prices) if prices else None


def merchant_items(request, day=None):
    """(items, left_out): items as {column: value}; left_out as {"id", "name", "reason"}."""
    day = day or timezone.localdate()
    items, left_out = [], []
    for product in _products(day):
        price = _lowest_price(product)
        photos = list(product.photos.all())
        if price is None:
            left_out.append(
                {
                    "id": product.pk,
                    "name": product.name,
                    "reason": _("No live listing with a price."),
                }
            )
            continue
        if not photos:
            left_out.append({"id": product.pk, "name": product.name, "reason": _("No photo.")})
            continue
        items.append(
            {
                "id": f"ocop-{product.pk}",
                "title": product.name,
                "description": (product.description or product.story or product.name)[:5000],
                "link": request.build_absolute_uri(product_url(product.search_entry.slug)),
                "image_link": request.build_absolute_uri(photos[0].image.url),
                "availability": "in_stock",
                "price": f"{price} VND",
                "brand": product.trademark.name if product.trademark_id else product.producer.name,
                "gtin": product.gtin or "",
                "identifier_exists": "yes" if product.gtin else "no",
                "condition": "new",
                "product_type": product.group.name if product.group else "",
            }
        )
    left_out += _unlisted(day)
    return items, left_out


def _unlisted(day):
    rows = []
    gone = (
        Product.objects.filter(status__in=PUBLISHED)
        .exclude(pk__in=listed(day).values("pk"))
        .prefetch_related("certificates")
        .order_by("pk")
    )
    for product in gone:
        rows.append({"id": product.pk, "name": product.name, "reason": why_unlisted(product, day)})
    return rows


def merchant_tsv(request):
    with translation.override("vi"):
        items, _left_out = merchant_items(request)
    # Google's TSV has no quoting: white space (tabs, line ends) in a value becomes one space.
    lines = ["\t".join(MERCHANT_COLUMNS)]
    for item in items:
        lines.append("\t".join(" ".join(str(item[c]).split()) for c in MERCHANT_COLUMNS))
    body = "\n".join(lines) + "\n"
    return HttpResponse(body, content_type="text/tab-separated-values; charset=utf-8")


def merchant_xml(request):
    with translation.override("vi"):
        items, _left_out = merchant_items(request)
    ET.register_namespace("g", G)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = "OCOP Hub"
    ET.SubElement(channel, "link").text = request.build_absolute_uri("/san-pham/")
    ET.SubElement(channel, "description").text = "OCOP products with a certificate in force"
    for item in items:
        element = ET.SubElement(channel, "item")
        for key, value in item.items():
            if value:
                ET.SubElement(element, f"{{{G}}}{key}").text = str(value)
    body = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def products_json(request):
    day = timezone.localdate()
    with translation.override("vi"):
        items = []
        for product in _products(day):
            certificate = current_certificate(product, day)
            items.append(
                {
                    "id": product.pk,
                    "name": product.name,
                    "name_en": product.name_en,
                    "gtin": product.gtin,
                    "stars": certificate.stars,
                    "certificate": certificate.number,
                    "valid_until": certificate.valid_until.isoformat(),
                    "producer": product.producer.name,
                    "url": request.build_absolute_uri(product_url(product.search_entry.slug)),
                    "listings": [
                        {"platform": x.platform, "url": x.url, "price": x.price}
                        for x in product.listings.all()
                        if x.status == "live" and not x.broken
                    ],
                }
            )
        left_out = _unlisted(day)
    return JsonResponse(
        {"generated": day.isoformat(), "items": items, "left_out": left_out},
        json_dumps_params={"ensure_ascii": False},
    )
