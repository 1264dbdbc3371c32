"""The market's figures for the staff page, in the user's scope: listings by platform and
status, listings by unit (the current commune of the producer), the share of certified
products live on at least one platform, and the enquiries."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .catalogue import listed
from .models import Enquiry, EnquiryStatus, Listing, ListingStatus, Platform, listable_products

LIVE = Q(status=ListingStatus.LIVE, broken=False)


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
        listings.values(
            unit=Coalesce(
                "product__producer__commune__successor__name", "product__producer__commune__name"
            )
        )
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
