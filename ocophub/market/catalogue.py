"""What the public catalogue lists, why a product is not listed, and its facets.

A product is listed while a certificate of it is in force today (certificates.validity
.valid_q): when the last one expires or is revoked it leaves the catalogue, the sitemap
and the feeds by itself, with no job to run, and its page says why.
"""

from collections import Counter
from dataclasses import dataclass, replace

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.certificates.models import Certificate, CertificateStatus
from ocophub.certificates.validity import valid_q
from ocophub.places.models import Commune, Era, Province
from ocophub.producers.choices import ProducerKind
from ocophub.products.models import Product, ProductGroup
from ocophub.products.search import ProductFilter

from .models import Listing, Platform
from .search import Search

FACETS = ("stars", "group", "province", "commune", "producer_type", "channel")


def listed(day=None, queryset=None):
    """Products with a certificate in force on `day` (today)."""
    day = day or timezone.localdate()
    queryset = Product.objects.all() if queryset is None else queryset
    # A semi-join (IN) rather than EXISTS: both engines then read the certificates in
    # force once instead of probing them product by product (3x faster on SQLite).
    in_force = Certificate.objects.filter(valid_q(day)).values("product_id")
    return queryset.filter(pk__in=in_force)


def why_unlisted(product, day=None):
    """None for a listed product, else the reason a shopper reads on its page."""
    day = day or timezone.localdate()
    certificates = list(product.certificates.all())
    if not certificates:
        return _("This product has no OCOP certificate.")
    statuses = {c: c.status_on(day) for c in certificates}
    if any(s in (CertificateStatus.VALID, CertificateStatus.EXPIRING) for s in statuses.values()):
        return None
    latest = max(certificates, key=lambda c: (c.valid_from, c.pk))
    status = statuses[latest]
    if status == CertificateStatus.REVOKED:
        reason = latest.revocation_reason
        text = _("Its OCOP certificate %(number)s was revoked on %(day)s.") % {
            "number": latest.number,
            "day": latest.revoked_on.strftime("%d/%m/%Y"),
        }
        return f"{text} {reason}".strip()
    if status == CertificateStatus.NOT_YET:
        return _("Its OCOP certificate %(number)s is valid from %(day)s.") % {
            "number": latest.number,
            "day": latest.valid_from.strftime("%d/%m/%Y"),
        }
    return _("Its OCOP certificate %(number)s expired on %(day)s.") % {
        "number": latest.number,
        "day": latest.valid_until.strftime("%d/%m/%Y"),
    }


@dataclass
class CatalogueQuery(ProductFilter):
    """The registry's filters (their fields and their reading from a query string), and
    the market's own facets. The words `q` are ranked by market search, not filtered as
    the registry does; `status` is not applied: the catalogue lists what is certified
    today, whatever the lifecycle field says."""

    producer_type: str = ""
    channel: str = ""

    def filtered(self, queryset):
        qs = replace(self, q="", status="").apply(queryset)
        if self.producer_type:
            qs = qs.filter(producer__kind=self.producer_type)
        if self.channel:
            qs = qs.filter(
                pk__in=Listing.objects.live().filter(platform=self.channel).values("product_id")
            )
        return qs


# Each facet's value for a product; units are today's (a legacy commune counts in the
# commune and province it became).
FACET_VALUES = {
    "stars": F("stars"),
    "group": Coalesce("group_2023__parent__code", "group_2023__code"),
    "province": Coalesce("commune__successor__province__code", "commune__province__code"),
    "commune": Coalesce("commune__successor__code", "commune__code"),
    "producer_type": F("producer__kind"),
}
_COLUMNS = {f"facet_{name}": value for name, value in FACET_VALUES.items()}


def _counted(rows, channels):
    """{facet: {value: count}} from the rows (pk, *FACET_VALUES) of the matches and
    their live listings' (product, platform) pairs."""
    facets = {}
    for i, name in enumerate(FACET_VALUES, start=1):
        counts = Counter(row[i] for row in rows if row[i] is not None)
        facets[name] = {str(v): counts[v] for v in sorted(counts)}
    platforms = Counter(platform for _product, platform in set(channels))
    facets["channel"] = {p: platforms[p] for p in sorted(platforms) if p in Platform.values}
    return facets


def _channels(queryset):
    return (
        Listing.objects.live()
        .filter(product__in=queryset.values("pk"))
        .values_list("product_id", "platform")
    )


@dataclass
class Result:
    ids: list
    facets: dict

    @property
    def count(self):
        return len(self.ids)


def search_catalogue(query: CatalogueQuery, english=False, day=None, queryset=None):
    """Listed products matching `query`, best first, with the facets of the matches.
    The engine's candidates are read once, with their facet values: ranking and
    counting happen over those rows, not in a query per facet."""
    matches = query.filtered(listed(day, queryset))
    search = Search(query.q, english)
    rows = search.candidates(matches.annotate(**_COLUMNS), *_COLUMNS)
    ids = [row[0] for row in search.order(rows)]
    facets = _counted(rows, _channels(search.filter(matches)))
    return Result(ids=ids, facets=facets)


def page_of(ids, number, size=24):
    """The products of one page of ranked ids, in rank order, with what a card shows."""
    number = max(1, number)
    chunk = ids[(number - 1) * size : number * size]
    objects = (
        Product.objects.select_related("producer", "commune__province", "search_entry")
        .prefetch_related("photos")
        .in_bulk(chunk)
    )
    return [objects[i] for i in chunk if i in objects]


def facet_labels(facets, query):
    """The facets as a page shows them: [(name, title, [(value, label, count, chosen)])]."""
    groups = {
        g.code: g.label
        for g in ProductGroup.objects.filter(classification="2023", code__in=facets["group"])
    }
    provinces = {
        str(p.code): p.name
        for p in Province.objects.filter(era=Era.CURRENT, code__in=facets["province"])
    }
    communes = {
        str(c.code): c.name
        for c in Commune.objects.filter(era=Era.CURRENT, code__in=facets["commune"])
    }
    kinds = dict(ProducerKind.choices)
    platforms = dict(Platform.choices)
    labels = {
        "stars": lambda v: "★" * int(v),
        "group": lambda v: groups.get(v, v),
        "province": lambda v: provinces.get(v, v),
        "commune": lambda v: communes.get(v, v),
        "producer_type": lambda v: str(kinds.get(v, v)),
        "channel": lambda v: str(platforms.get(v, v)),
    }
    titles = {
        "stars": _("Stars"),
        "group": _("Product group"),
        "province": _("Province"),
        "commune": _("Commune"),
        "producer_type": _("Producer type"),
        "channel": _("Sales channel"),
    }
    shown = []
    for name in FACETS:
        label = labels[name]
        chosen = getattr(query, name)
        values = [(v, label(v), n, v == chosen) for v, n in facets[name].items()]
        if name == "stars":
            values.sort(reverse=True)
        else:
            values.sort(key=lambda row: -row[2])
        shown.append((name, titles[name], values[:30]))
    return shown
