"""Market API: the public catalogue search, points of sale, e-commerce listings and trade
enquiries. Reading the catalogue, shops and live listings needs no login; writes are
scoped as everywhere (a producer lists and answers for its own products, officers in
their territory)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from ocophub.accounts.api_auth import WRITE_AUTH, caller
from ocophub.core.api_errors import api_error, error_responses
from ocophub.core.api_paging import RecordId
from ocophub.core.i18n import page_name

from . import enquiries as enquiries_rule
from .catalogue import CatalogueQuery, listed, page_of, search_catalogue
from .models import (
    Enquiry,
    Listing,
    ListingStatus,
    Shop,
    listable_products,
    producer_url,
    product_url,
)

router = Router(tags=["market"])

PER_PAGE = 24


class CatalogueFilters(Schema):
    q: str = ""
    stars: str = ""
    group: str = ""
    province: str = ""
    commune: str = ""
    producer_type: str = ""
    channel: str = ""
    page: int = 1
    lang: str = "vi"


class CatalogueItem(Schema):
    id: int
    name: str
    stars: int | None
    producer: str
    commune: str
    url: str
    producer_url: str


class CatalogueOut(Schema):
    count: int
    page: int
    pages: int
    items: list[CatalogueItem]
    facets: dict[str, dict[str, int]]


@router.get("/catalogue", response=CatalogueOut)
def catalogue(request, filters: Query[CatalogueFilters]):
    """Certified products (a certificate in force today), best match first, with facet
    counts over all matches. `lang=en` ranks on English names and links English pages."""
    english = filters.lang == "en"
    query = CatalogueQuery(
        **{k: v.strip() for k, v in filters.dict().items() if k not in ("page", "lang")}
    )
    result = search_catalogue(query, english=english)
    pages = max(1, -(-result.count // PER_PAGE))
    number = min(max(1, filters.page), pages)
    items = [
        {
            "id": p.pk,
            "name": page_name(p, "en" if english else "vi"),
            "stars": p.stars,
            "producer": p.producer.name,
            "commune": p.commune.name,
            "url": request.build_absolute_uri(product_url(p.search_entry.slug, english)),
            "producer_url": request.build_absolute_uri(producer_url(p.producer, english)),
        }
        for p in page_of(result.ids, number, PER_PAGE)
    ]
    return {
        "count": result.count,
        "page": number,
        "pages": pages,
        "items": items,
        "facets": result.facets,
    }


class ShopOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    commune: str
    latitude: float | None
    longitude: float | None
    hours: str
    phone: str
    producer: int | None = Field(
        None, description="The producer running it; none for a shop of many."
    )
    products: list[int]

    @staticmethod
    def resolve_commune(obj):
        return obj.commune.name

    @staticmethod
    def resolve_producer(obj):
        return obj.producer_id

    @staticmethod
    def resolve_products(obj):
        return [p.pk for p in obj.products.all()]


@router.get("/shops", response=list[ShopOut])
def shops(request, commune: str = "", product: RecordId | None = None):
    """Points of sale that stock OCOP products, optionally in one commune or stocking one
    product."""
    qs = Shop.objects.select_related("commune").prefetch_related("products")
    if commune:
        qs = qs.filter(commune__code=commune) if commune.isdigit() else qs.none()
    if product is not None:
        qs = qs.filter(products=product)
    return qs.distinct()


class ListingOut(Schema):
    id: int
    product: int
    platform: str
    url: str
    price: int | None
    status: str
    broken: bool

    @staticmethod
    def resolve_product(obj):
        return obj.product_id


def _readable_listings(request):
    """Live listings of listed products for everyone; a signed-in caller also sees the
    drafts, paused and delisted ones in scope."""
    public = Listing.objects.live().filter(product__in=listed())
    user = caller(request)
    if not user.is_authenticated:
        return public
    return Listing.objects.filter(
        Q(pk__in=public.values("pk")) | Q(pk__in=Listing.objects.visible_to(user).values("pk"))
    )


@router.get("/listings", response=list[ListingOut])
def listings(request, product: RecordId | None = None, platform: str = ""):
    qs = _readable_listings(request)
    if product is not None:
        qs = qs.filter(product=product)
    if platform:
        qs = qs.filter(platform=platform)
    return qs.distinct().order_by("product", "platform", "pk")


class ListingIn(Schema):
    product: int
    platform: str
    url: str
    price: int | None = None
    status: str = ListingStatus.DRAFT


class ListingChange(Schema):
    url: str | None = None
    price: int | None = None
    status: str | None = None


def _not_sent(detail, exc):
    """A model rule's field errors under one sentence of what did not happen."""
    if not hasattr(exc, "error_dict"):  # a rule about the whole record
        return api_error(400, f"{detail} {' '.join(exc.messages)}")
    return api_error(
        400, detail, {field: " ".join(messages) for field, messages in exc.message_dict.items()}
    )


def _saved(listing):
    """Save a listing that keeps the listing rule (Listing.clean), or say what to fix."""
    try:
        listing.full_clean(exclude=["product", "made_by"])
    except ValidationError as exc:
        raise _not_sent(_("The listing was not saved."), exc) from exc
    listing.save()
    return listing


@router.post(
    "/listings",
    response={201: ListingOut, **error_responses(400, 404)},
    auth=WRITE_AUTH,
)
def create_listing(request, payload: ListingIn):
    """A producer lists its own product; an officer or union officer in a support
    programme lists products in their territory."""
    product = get_object_or_404(listable_products(request.auth), pk=payload.product)
    listing = Listing(
        product=product,
        platform=payload.platform,
        url=payload.url,
        price=payload.price,
        status=payload.status,
        made_by=request.auth,
    )
    return Status(201, _saved(listing))


@router.patch(
    "/listings/{listing_id}",
    response={200: ListingOut, **error_responses(400, 404)},
    auth=WRITE_AUTH,
)
def change_listing(request, listing_id: int, payload: ListingChange):
    listing = get_object_or_404(Listing.objects.manageable_by(request.auth), pk=listing_id)
    changes = payload.dict(exclude_unset=True)
    if "url" in changes and changes["url"] != listing.url:
        listing.forget_checks()
    for name, value in changes.items():
        setattr(listing, name, value)
    return _saved(listing)


class EnquiryIn(Schema):
    product: int
    quantity: str
    needed_by: datetime.date | None = None
    place: str = ""
    message: str = ""


class EnquiryOut(Schema):
    id: int
    product: int
    buyer: str
    quantity: str
    needed_by: datetime.date | None
    place: str
    message: str
    answer: str
    status: str
    closed_reason: str
    closed_note: str
    created: datetime.datetime

    @staticmethod
    def resolve_product(obj):
        return obj.product_id

    @staticmethod
    def resolve_buyer(obj):
        return obj.buyer.get_full_name() or obj.buyer.username


@router.get("/enquiries", response=list[EnquiryOut], auth=WRITE_AUTH)
def enquiries(request):
    """The caller's enquiries as buyer, and those about products in their scope."""
    return Enquiry.objects.for_party(request.auth).select_related("buyer")


@router.post(
    "/enquiries",
    response={201: EnquiryOut, **error_responses(400, 403, 404)},
    auth=WRITE_AUTH,
)
def create_enquiry(request, payload: EnquiryIn):
    """A registered buyer asks about a certified product; the producer's accounts get
    a notice."""
    if not enquiries_rule.may_send(request.auth):
        raise api_error(
            403, _("Only a registered buyer account sends trade enquiries: ask the office.")
        )
    product = get_object_or_404(enquiries_rule.enquirable(), pk=payload.product)
    enquiry = Enquiry(buyer=request.auth, product=product, **payload.dict(exclude={"product"}))
    try:
        enquiries_rule.send(enquiry)
    except ValidationError as exc:
        raise _not_sent(_("The enquiry was not sent."), exc) from exc
    return Status(201, enquiry)


class AnswerIn(Schema):
    answer: str


@router.post(
    "/enquiries/{enquiry_id}/answer",
    response={200: EnquiryOut, **error_responses(400, 404)},
    auth=WRITE_AUTH,
)
def answer_enquiry(request, enquiry_id: int, payload: AnswerIn):
    """The producer answers; the buyer gets a notice and reads it in their enquiries."""
    try:
        return enquiries_rule.answer(enquiry_id, request.auth, payload.answer)
    except Enquiry.DoesNotExist as exc:
        raise api_error(404, _("No such enquiry among yours.")) from exc
    except ValidationError as exc:
        raise _not_sent(_("The answer was not sent."), exc) from exc


class CloseIn(Schema):
    closed_reason: str
    closed_note: str = ""


@router.post(
    "/enquiries/{enquiry_id}/close",
    response={200: EnquiryOut, **error_responses(400, 404)},
    auth=WRITE_AUTH,
)
def close_enquiry(request, enquiry_id: int, payload: CloseIn):
    """The producer closes the enquiry, saying why (closed_reason: agreed,
    cannot_supply, withdrawn, no_reply, or other with a closed_note); it takes no more
    answers."""
    try:
        return enquiries_rule.close(
            enquiry_id, request.auth, payload.closed_reason, payload.closed_note
        )
    except Enquiry.DoesNotExist as exc:
        raise api_error(404, _("No such enquiry among yours.")) from exc
    except ValidationError as exc:
        raise _not_sent(_("The enquiry was not closed."), exc) from exc
