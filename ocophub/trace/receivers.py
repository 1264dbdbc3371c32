"""What traceability does when records below it change (imported by TraceConfig.ready()),
and the notices it gives (notices app, a row below), called by its services inside their
transaction so that a refused step tells nobody."""

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from ocophub.certificates.models import Certificate
from ocophub.notices.models import Kind
from ocophub.notices.sending import notify
from ocophub.products.models import Product


# A revoked certificate or an edited product shows on the next scan, not a minute later;
# new supply-chain events may take that minute.
@receiver([post_save, post_delete], sender=Certificate, dispatch_uid="scan-pages-certificate")
@receiver([post_save, post_delete], sender=Product, dispatch_uid="scan-pages-product")
def forget_scan_pages(**kwargs: Any) -> None:
    """Drop every kept scan page once the transaction that changed a certificate or a
    product commits (such changes are rare; scans are not)."""
    if settings.TRACE_SCAN_CACHE:
        transaction.on_commit(caches["scan"].clear)


def tell_labels_unpublished(batch: Any, serials: list[Any], user: Any = None) -> list[Any]:
    """A label run for a batch whose product is not published: its codes answer
    "unknown" when scanned. The producer's accounts and whoever made the run hear it,
    once per run (named by its first serial)."""
    product = batch.product
    if product.is_published or not serials:
        return []
    users = list(product.producer.accounts.all())
    if user is not None and user.is_authenticated:
        users.append(user)
    return notify(
        users,
        Kind.LABELS_UNPUBLISHED,
        f"batch:{batch.pk}:labels:{serials[0].serial}",
        {"batch": batch.lot, "product": product.name, "product_en": product.name_en},
        url=reverse("trace:batch", args=[batch.pk]),
        subject=batch,
    )
