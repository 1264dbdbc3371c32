"""Public pages of the market: catalogue, product, producer, place pages, where to buy,
the sitemap. No login; nothing but listed (certified today) products is offered."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocophub.certificates.models import current_certificate, latest_certificate
from ocophub.places.models import Commune, Era, Province
from ocophub.producers.models import Producer
from ocophub.products.models import PUBLISHED, Product

from . import structured
from .catalogue import (
    FACETS,
    CatalogueQuery,
    facet_labels,
    listed,
    page_of,
    search_catalogue,
    why_unlisted,
)
from .models import Listing, SearchEntry, Shop, product_url

PER_PAGE = 24


def _in_language(english):
    """Render an English page in English whatever the visitor's cookie says."""
    return translation.override("en" if english else "vi")


def catalogue(request, english=False):
    with _in_language(english):
        query = CatalogueQuery.from_querydict(request.GET)
        result = search_catalogue(query, english=english)
        page = Paginator(result.ids, PER_PAGE).get_page(request.GET.get("page"))
        products = page_of(result.ids, page.number, PER_PAGE)
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            "market/catalogue.html",
            {
                "query": query,
                "count": result.count,
                "products": products,
                "page": page,
                "params": params.urlencode(),
                "facets": facet_labels(result.facets, query),
                "english": english,
                "chosen": [(n, getattr(query, n)) for n in FACETS if getattr(query, n)],
            },
        )


def product(request, slug, english=False):
    entry = get_object_or_404(
        SearchEntry.objects.select_related(
            "product__producer__commune__province",
            "product__commune__province",
            "product__commune__district",
            "product__commune__successor__province",
            "product__trademark",
        ),
        slug=slug,
    )
    item = entry.product
    if item.status not in PUBLISHED:
        raise Http404
    today = timezone.localdate()
    with _in_language(english):
        is_listed = listed(today).filter(pk=item.pk).exists()
        certificate = current_certificate(item, today) if is_listed else latest_certificate(item)
        reason = None if is_listed else why_unlisted(item, today)
        listings = list(item.listings.live().order_by("platform")) if is_listed else []
        shops = list(item.shops.select_related("commune")) if is_listed else []
        canonical = request.build_absolute_uri(product_url(slug, english))
        photos = list(item.photos.all())
        context = {
            "product": item,
            "entry": entry,
            "certificate": certificate,
            "is_listed": is_listed,
            "reason": reason,
            "listings": listings,
            "shops": shops,
            "photos": photos,
            "canonical": canonical,
            "alternate_vi": request.build_absolute_uri(product_url(slug)),
            "alternate_en": request.build_absolute_uri(product_url(slug, True)),
            "english": english,
            "og_image": request.build_absolute_uri(photos[0].image.url) if photos else "",
            "json_ld": structured.product_json_ld(
                request, item, certificate if is_listed else None, listings, shops, canonical
            )
            if is_listed
            else "",
            "scan_url": f"/01/{item.gtin}" if item.gtin else "",
        }
        return render(request, "market/product.html", context)


def producer(request, pk, english=False):
    maker = get_object_or_404(
        Producer.objects.select_related("commune__province", "commune__successor__province"),
        pk=pk,
    )
    with _in_language(english):
        products = list(
            listed(queryset=maker.products.all())
            .select_related("search_entry")
            .prefetch_related("photos")
            .order_by("-stars", "name")
        )
        if not products:
            raise Http404
        platforms = sorted(
            {
                listing.get_platform_display()
                for listing in Listing.objects.live().filter(product__in=products)
            }
        )
        shops = Shop.objects.filter(products__in=products).distinct()
        return render(
            request,
            "market/producer.html",
            {
                "producer": maker,
                "products": products,
                "platforms": platforms,
                "shops": shops,
                "english": english,
            },
        )


def commune(request, code, english=False):
    unit = get_object_or_404(Commune.objects.select_related("province"), era=Era.CURRENT, code=code)
    return _place(request, unit, english, commune=str(code))


def province(request, code, english=False):
    unit = get_object_or_404(Province, era=Era.CURRENT, code=code)
    return _place(request, unit, english, province=str(code))


def _place(request, unit, english, **filters):
    """A place's page: the products of the catalogue found by `filters`."""
    with _in_language(english):
        result = search_catalogue(CatalogueQuery(**filters))
        return render(
            request,
            "market/place.html",
            {
                "unit": unit,
                "title": _("OCOP of %(unit)s") % {"unit": unit.name},
                "products": page_of(result.ids, 1, size=200),
                "english": english,
            },
        )


def where_to_buy(request, english=False):
    with _in_language(english):
        shops = (
            Shop.objects.filter(products__in=listed())
            .distinct()
            .select_related("commune__province")
            .prefetch_related("products")
        )
        return render(request, "market/where_to_buy.html", {"shops": shops, "english": english})


# Sitemaps ---------------------------------------------------------------------------


def sitemap_index(request):
    sections = ["products", "producers", "places"]
    urls = [request.build_absolute_uri(reverse("market:sitemap", args=[s])) for s in sections]
    return render(
        request, "market/sitemap_index.xml", {"urls": urls}, content_type="application/xml"
    )


def sitemap(request, section):
    today = timezone.localdate()
    products = listed(today)
    if section == "products":
        paths = []
        for slug in SearchEntry.objects.filter(product__in=products).values_list("slug", flat=True):
            paths += [product_url(slug), product_url(slug, True)]
    elif section == "producers":
        ids = products.values_list("producer_id", flat=True).distinct()
        paths = [reverse("market:producer", args=[pk]) for pk in sorted(set(ids))]
    elif section == "places":
        communes = set(
            Product.objects.filter(pk__in=products.values("pk")).values_list(
                "commune__successor__code", "commune__code", "commune__era"
            )
        )
        codes = sorted(
            {succ or (code if era == Era.CURRENT else None) for succ, code, era in communes}
            - {None}
        )
        paths = [reverse("market:commune", args=[c]) for c in codes]
    else:
        raise Http404
    urls = [request.build_absolute_uri(p) for p in paths]
    return render(request, "market/sitemap.xml", {"urls": urls}, content_type="application/xml")
