"""The market's figures, in the user's scope: listings by platform and status, listings
by unit (the current commune of the producer), the share of certified products live on
at least one platform, the enquiries; and the trade connections made per product, unit
and period."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from .catalogue import listed
from .models import (
    ClosedReason,
    Enquiry,
    EnquiryStatus,
    Listing,
    ListingStatus,
    Platform,
    listable_products,
)

LIVE = Q(status=ListingStatus.LIVE, broken=False)


def _unit():
    """The current commune of the listing's or enquiry's producer (a legacy commune
    counts in the one it became)."""
    return Coalesce(
        "product__producer__commune__successor__name", "product__producer__commune__name"
    )


@dataclass
class Figures:
    by_platform: list
    by_unit: list
    certified: int
    certified_live: int
    enquiries_open: int
    enquiries_answered: int

    @property
    def share_live(self):
        """Per cent of certified products live on a platform (None with none certified)."""
        return round(100 * self.certified_live / self.certified) if self.certified else None


def figures(user, day=None):
    day = day or timezone.localdate()
    listings = Listing.objects.filter(pk__in=Listing.objects.manageable_by(user).values("pk"))
    counts = {
        row["platform"]: row
        for row in listings.values("platform").annotate(
            live=Count("pk", filter=LIVE),
            draft=Count("pk", filter=Q(status=ListingStatus.DRAFT)),
            paused=Count("pk", filter=Q(status=ListingStatus.PAUSED)),
            delisted=Count("pk", filter=Q(status=ListingStatus.DELISTED)),
            broken=Count("pk", filter=Q(status=ListingStatus.LIVE, broken=True)),
            total=Count("pk"),
        )
    }
    by_platform = [
        counts[value] | {"label": label} for value, label in Platform.choices if value in counts
    ]
    by_unit = list(
        listings.values(unit=_unit())
        .annotate(live=Count("pk", filter=LIVE), total=Count("pk"))
        .order_by("-live", "unit")
    )
    certified = listed(day, listable_products(user))
    live_somewhere = Listing.objects.filter(LIVE, product=OuterRef("pk"))
    enquiries = Enquiry.objects.visible_to(user)
    return Figures(
        by_platform=by_platform,
        by_unit=by_unit,
        certified=certified.count(),
        certified_live=certified.filter(Exists(live_somewhere)).count(),
        enquiries_open=enquiries.filter(status=EnquiryStatus.OPEN).count(),
        enquiries_answered=enquiries.filter(status=EnquiryStatus.ANSWERED).count(),
    )


def trade_connections(user, start, end, by="product"):
    """Enquiries sent about products in the user's territory from `start` to `end`,
    how many the producer answered, and how many of them were closed as a deal agreed by
    `end` (ClosedReason.AGREED), per product, commune or month: (rows, totals)."""
    qs = Enquiry.objects.filter(
        pk__in=Enquiry.objects.visible_to(user).values("pk"),
        created__date__gte=start,
        created__date__lte=end,
    )
    keys = {
        "product": {"key": F("product__name"), "producer": F("product__producer__name")},
        "commune": {"key": _unit()},
        "month": {"key": TruncMonth("created")},
    }[by]
    rows = list(
        qs.values(**keys)
        .annotate(
            sent=Count("pk"),
            # Answered by `end`, closed since or not: closing keeps the answer given.
            answered=Count("pk", filter=Q(answered_at__date__lte=end)),
            buyers=Count("buyer", distinct=True),
            agreed=Count(
                "pk",
                filter=Q(closed_reason=ClosedReason.AGREED, closed_at__date__lte=end),
            ),
        )
        .order_by("-sent", "key")
    )
    if by == "month":
        rows.sort(key=lambda r: r["key"])
    totals = {
        "sent": sum(r["sent"] for r in rows),
        "answered": sum(r["answered"] for r in rows),
        "agreed": sum(r["agreed"] for r in rows),
        "buyers": qs.values("buyer").distinct().count(),
    }
    return rows, totals
