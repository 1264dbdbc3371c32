"""What traceability does when records below it change; imported by TraceConfig.ready()."""

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ocophub.certificates.models import Certificate
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
