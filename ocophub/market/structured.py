"""schema.org data for a product page: one `Product` with its `Offer`s and its OCOP
certification, as the JSON-LD block search engines and link previews read."""

import json

from django.utils.safestring import mark_safe

from ocophub.core.i18n import page_name

from .models import producer_url

AVAILABILITY = "https://schema.org/InStock"
IN_STORE = "https://schema.org/InStoreOnly"


def product_data(request, product, certificate, listings, shops, canonical):
    maker = product.producer
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": page_name(product),
        "url": canonical,
        "description": product.story or product.description or page_name(product),
        "image": [request.build_absolute_uri(p.image.url) for p in product.photos.all()],
        "brand": {
            "@type": "Brand",
            "name": product.trademark.name if product.trademark_id else maker.name,
        },
        "manufacturer": {
            "@type": "Organization",
            "name": maker.name,
            "url": request.build_absolute_uri(producer_url(maker)),
        },
    }
    if product.gtin:
        data["gtin"] = product.gtin
    if certificate:
        data["hasCertification"] = {
            "@type": "Certification",
            "name": f"OCOP {certificate.stars}★",
            "certificationIdentification": certificate.number,
            "issuedBy": {"@type": "Organization", "name": certificate.issued_by},
            "validFrom": certificate.valid_from.isoformat(),
            "expires": certificate.valid_until.isoformat(),
            "certificationRating": {
                "@type": "Rating",
                "ratingValue": certificate.stars,
                "bestRating": 5,
                "worstRating": 3,
            },
        }
    offers = []
    for listing in listings:
        offer = {
            "@type": "Offer",
            "url": listing.url,
            "priceCurrency": "VND",
            "availability": AVAILABILITY,
            "seller": {"@type": "Organization", "name": listing.get_platform_display()},
        }
        if listing.price is not None:
            offer["price"] = listing.price
        offers.append(offer)
    for shop in shops:
        offers.append(
            {
                "@type": "Offer",
                "priceCurrency": "VND",
                "availability": IN_STORE,
                "seller": {"@type": "Organization", "name": shop.name},
            }
        )
    if offers:
        data["offers"] = offers
    return data


def as_json_ld(data):
    """JSON safe inside <script type="application/ld+json"> (a data block, not code)."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def product_json_ld(request, product, certificate, listings, shops, canonical):
    return as_json_ld(product_data(request, product, certificate, listings, shops, canonical))
