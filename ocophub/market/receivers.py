"""Keeps the search index in step with the registry (imported by MarketConfig.ready()),
and the notices the market gives."""

import hashlib

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from ocophub.certificates.models import Certificate
from ocophub.notices.models import Kind
from ocophub.notices.sending import notify
from ocophub.places.models import Commune
from ocophub.producers.models import Producer
from ocophub.products.models import Product

from .models import ClosedReason, SearchEntry
from .search import index_product, listed_columns, unindex_product


@receiver(post_save, sender=Product, dispatch_uid="market-index-product")
def product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_product(instance)


@receiver(post_save, sender=Producer, dispatch_uid="market-index-producer")
def producer_saved(sender, instance, raw=False, **kwargs):
    # The producer's name is in each of its products' text.
    if not raw:
        for product in instance.products.select_related("producer", "commune"):
            index_product(product)


@receiver(post_save, sender=Certificate, dispatch_uid="market-index-certificate")
@receiver(post_delete, sender=Certificate, dispatch_uid="market-unindex-certificate")
def certificate_changed(sender, instance, raw=False, **kwargs):
    # The entry keeps the runs of days the product is certified (what lists it).
    if not raw:
        certificates = Certificate.objects.filter(product_id=instance.product_id)
        SearchEntry.objects.filter(product_id=instance.product_id).update(
            **listed_columns(certificates)
        )


@receiver(post_save, sender=Commune, dispatch_uid="market-index-commune")
def commune_saved(sender, instance, raw=False, **kwargs):
    # A commune mapped to its successor moves its products' units in the facets.
    if not raw:
        for product in Product.objects.filter(commune=instance):
            index_product(product)


@receiver(post_delete, sender=SearchEntry, dispatch_uid="market-unindex-product")
def entry_deleted(sender, instance, **kwargs):
    unindex_product(instance.product_id)


# Notices of the market (notices app, a row below). Called inside the transaction that
# saves the enquiry or the check, so a refused write tells nobody; events are named so
# that a repeated report tells nobody twice.


def _excerpt(text):
    return Truncator(" ".join(text.split())).chars(160)


def tell_enquiry_received(enquiry):
    """The producer's accounts hear of a new enquiry about their product."""
    product = enquiry.product
    buyer = enquiry.buyer
    return notify(
        product.producer.accounts.filter(is_active=True),
        Kind.ENQUIRY_RECEIVED,
        f"enquiry:{enquiry.pk}:received",
        {
            "product": product.name,
            "product_en": product.name_en,
            "buyer": buyer.get_full_name() or buyer.username,
            "excerpt": _excerpt(f"{enquiry.quantity}. {enquiry.message}".strip(" .")),
        },
        url=reverse("market:enquiry", args=[enquiry.pk]),
        subject=enquiry,
    )


def tell_enquiry_answered(enquiry):
    """The buyer hears the answer; answering again with other words is a new event,
    the same words sent twice are not."""
    product = enquiry.product
    digest = hashlib.sha256(enquiry.answer.encode()).hexdigest()[:16]
    return notify(
        [enquiry.buyer],
        Kind.ENQUIRY_ANSWERED,
        f"enquiry:{enquiry.pk}:answered:{digest}",
        {
            "producer": product.producer.name,
            "product": product.name,
            "product_en": product.name_en,
            "excerpt": _excerpt(enquiry.answer),
        },
        url=reverse("market:enquiry", args=[enquiry.pk]),
        subject=enquiry,
    )


def tell_enquiry_closed(enquiry):
    """The buyer hears the enquiry was closed and why, in their language (the reason is
    stored in both: the inbox follows the page, the e-mail the buyer's choice). An
    enquiry closes once, so its event is the enquiry."""
    product = enquiry.product
    reason = ClosedReason(enquiry.closed_reason)
    with translation.override("vi"):
        reason_vi = str(reason.label)
    with translation.override("en"):
        reason_en = str(reason.label)
    params = {
        "producer": product.producer.name,
        "product": product.name,
        "product_en": product.name_en,
        "reason": reason_vi,
        "reason_en": reason_en,
    }
    if enquiry.closed_note:
        params["note"] = _excerpt(enquiry.closed_note)
    return notify(
        [enquiry.buyer],
        Kind.ENQUIRY_CLOSED,
        f"enquiry:{enquiry.pk}:closed",
        params,
        url=reverse("market:enquiry", args=[enquiry.pk]),
        subject=enquiry,
        message="enquiry_closed_with_note" if enquiry.closed_note else "enquiry_closed",
    )


def tell_listing_broken(listing):
    """The producer's accounts, and whoever made the listing, hear its link stopped
    answering; once per time it breaks (the day it was marked)."""
    product = listing.product
    users = list(product.producer.accounts.filter(is_active=True))
    if listing.made_by_id:
        users.append(listing.made_by)
    day = timezone.localdate(listing.checked_at).isoformat()
    return notify(
        users,
        Kind.LISTING_BROKEN,
        f"listing:{listing.pk}:broken:{day}",
        {
            "platform": listing.get_platform_display(),
            "product": product.name,
            "product_en": product.name_en,
            "day": day,
        },
        url=reverse("market:listing_edit", args=[listing.pk]),
        subject=listing,
    )
