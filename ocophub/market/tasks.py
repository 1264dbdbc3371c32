"""Link checks of live listings, by the task worker (never in a request).

`check_listing_links` queues one `check_listing` per live listing, so that a slow shop
holds up one worker for at most a few seconds and workers share the list. Each check
asks HEAD first (cheap); shops that refuse HEAD are asked GET. Listing.record_check
counts the failures in a row and marks the link broken after BROKEN_AFTER; the moment it
breaks, the producer hears it (LISTING_BROKEN). A broken link that answers again is
mended by the next check.
"""

import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from .models import Listing, ListingStatus
from .receivers import tell_listing_broken

TIMEOUT_SECONDS = 8


def link_answers(url, timeout=TIMEOUT_SECONDS):
    """Does the address answer with a page (any status below 400, redirects followed)?"""
    headers = {"User-Agent": f"OCOPHub-link-check (+{settings.SITE_URL})"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            # Only http(s) addresses reach here (Listing.clean).
            with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
                if reply.status < 400:
                    return True
        except (urllib.error.URLError, OSError, ValueError):
            pass  # HEAD refused or failed: ask GET; GET failed: the link is down.
    return False


@task()
def check_listing(listing_id: int) -> str:
    """Check one live listing's link and record the result."""
    listing = (
        Listing.objects.select_related("product__producer", "made_by")
        .filter(pk=listing_id, status=ListingStatus.LIVE)
        .first()
    )
    if listing is None:
        return "not live"
    ok = link_answers(listing.url)
    with transaction.atomic():
        was_broken = listing.broken
        listing.record_check(ok, timezone.now())
        if listing.broken and not was_broken:
            tell_listing_broken(listing)
            return "broken"
    return "answers" if ok else f"failed {listing.failed_checks}"


@task()
def check_listing_links() -> int:
    """Queue a check of every live listing, the longest unchecked first."""
    ids = list(
        Listing.objects.filter(status=ListingStatus.LIVE)
        .order_by(F("checked_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        check_listing.enqueue(pk)
    return len(ids)
