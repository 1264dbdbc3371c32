"""What the public catalogue lists, why a product is not listed, and its facets.

A product is listed while a certificate of it is in force today (certificates.validity
.valid_q): when the last one expires or is revoked it leaves the catalogue, the sitemap
and the feeds by itself, with no job to run, and its page says why.
"""

from collections import Counter
from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ocophub.certificates.models import Certificate, CertificateStatus
from ocophub.certificates.validity import valid_q
from ocophub.places.models import Commune, Era, Province, resolve_ref
from ocophub.producers.choices import ProducerKind
from ocophub.products.models import Product, ProductGroup
from ocophub.products.search import ProductFilter

from .models import Listing, Platform, SearchEntry
from .search import Search

FACETS = ("stars", "group", "province", "commune", "producer_type", "channel")


def listed(day=None, queryset=None, few=False):
    """Products with a certificate in force on `day` (today). `few`: the queryset is
    narrowed to few products (by a text search), so probing each one's certificates
    costs less than reading every certificate in force (on SQLite, 2x faster each way
    round; PostgreSQL plans both forms alike)."""
    day = day or timezone.localdate()
    queryset = Product.objects.all() if queryset is None else queryset
    in_force = Certificate.objects.filter(valid_q(day))
    if few:
        return queryset.filter(Exists(in_force.filter(product=OuterRef("pk"))))
    return queryset.filter(pk__in=in_force.values("product_id"))


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
            "day": date_format(latest.revoked_on),
        }
        return f"{text} {reason}".strip()
    if status == CertificateStatus.NOT_YET:
        return _("Its OCOP certificate %(number)s is valid from %(day)s.") % {
            "number": latest.number,
            "day": date_format(latest.valid_from),
        }
    return _("Its OCOP certificate %(number)s expired on %(day)s.") % {
        "number": latest.number,
        "day": date_format(latest.valid_until),
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


@dataclass
class Result:
    ids: list
    facets: dict

    @property
    def count(self):
        return len(self.ids)


def listed_entries(day=None):
    """Search entries of the products `listed` on `day` (today), from the entries' own
    runs of certified days (search.listed_columns): an indexed range, and the
    certificates read only for a day outside the run with another run on that side."""
    day = day or timezone.localdate()
    in_run = Q(listed_from__lte=day, listed_until__gte=day)
    before = Q(listed_before=True, listed_from__gt=day)
    outside = before | Q(listed_after=True, listed_until__lt=day)
    in_force = Certificate.objects.filter(valid_q(day), product=OuterRef("pk"))
    return SearchEntry.objects.filter(in_run | (outside & Exists(in_force)))


def _entry_filters(query: CatalogueQuery, entries):
    """`query`'s filters over search entries, read as CatalogueQuery.filtered reads them
    over products (the registry's ProductFilter and the market's own)."""
    if query.province:
        province = resolve_ref(Province, query.province, Era.CURRENT)
        if province is None:
            return entries.none()
        # A legacy record counts in the province it was made in and the one it became.
        entries = entries.filter(Q(province_now=province.pk) | Q(province_after=province.pk))
    if query.commune:
        commune = resolve_ref(Commune, query.commune, Era.CURRENT)
        if commune is None:
            return entries.none()
        entries = entries.filter(commune_now=commune.pk)
    if query.group:
        # "1.4" is a 2023 code (its subgroups count in it); "2019:1.3" the older one's.
        cls, _sep, code = query.group.rpartition(":")
        columns = {"2023": ("group", "subgroup"), "2019": ("group_2019", "subgroup_2019")}
        if (cls or "2023") not in columns:
            return entries.none()
        top, own = columns[cls or "2023"]
        entries = entries.filter(Q(**{top: code}) | Q(**{own: code}))
    if query.stars.isdigit():
        entries = entries.filter(stars=int(query.stars))
    if query.producer_type:
        entries = entries.filter(producer_type=query.producer_type)
    if query.channel:
        live = Listing.objects.live().filter(platform=query.channel)
        entries = entries.filter(pk__in=live.values("product_id"))
    return entries


# The columns of the entries the facets count, in FACETS order (but "channel").
_FACET_COLUMNS = ("stars", "group", "province_code", "commune_code", "producer_type")
# Up to this many matches, their live listings are read by product; above, every live
# listing is read once and kept where it matches: cheaper than a long list of ids.
_FEW = 1000


def _channels(pks):
    """(product, platform) of the live listings of the products `pks`."""
    live = Listing.objects.live().order_by()
    if len(pks) > _FEW:
        return [row for row in live.values_list("product_id", "platform") if row[0] in pks]
    return list(live.filter(product__in=pks).values_list("product_id", "platform"))


def _counted(rows, channels):
    """{facet: {value: count}} from the rows (pk, *_FACET_COLUMNS) of the matches and
    their live listings' (product, platform) pairs; values in order, blanks left out."""
    facets = {}
    for n, name in enumerate(FACETS[:-1], start=1):
        counts = Counter(row[n] for row in rows)
        facets[name] = {str(v): counts[v] for v in sorted(v for v in counts if v not in (None, ""))}
    platforms = Counter(platform for _product, platform in set(channels))
    facets["channel"] = {p: platforms[p] for p in sorted(platforms) if p in Platform.values}
    return facets


def search_catalogue(query: CatalogueQuery, english=False, day=None, queryset=None):
    """Listed products matching `query`, best first, with the facets of the matches.
    Everything is read from the search entries (text, facet columns, certified days) in
    one query that ranks the matches and carries their facet values, then their live
    listings: no joins, no query per facet."""
    search = Search(query.q, english)
    entries = _entry_filters(query, listed_entries(day))
    if queryset is not None:
        entries = entries.filter(pk__in=queryset.values("pk"))
    rows = list(search.ordered_entries(entries).values_list("pk", *_FACET_COLUMNS))
    ids = [row[0] for row in rows]
    return Result(ids=ids, facets=_counted(rows, _channels(set(ids))))


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
