"""Figures computed from the union's records: a programme's progress, a unit's figures.

Participations (lượt người) count each person once per course they attended;
participants count each person once, however many courses. A merged person counts as
the one they were merged into.

Products listed on e-commerce (progress.listed_products) come from the market's
listings, never typed in.
"""

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from ocophub.market.models import Listing
from ocophub.places.units import unit_q
from ocophub.products.models import Product

from .models import (
    ATTENDED,
    Attendance,
    Course,
    Indicator,
    Membership,
    OrgType,
    Programme,
    SupportCase,
    active_on_q,
    canonical_id,
    union_territory_q,
)


def _in_period(field: str, programme: Programme) -> Q:
    q = Q(**{f"{field}__gte": programme.starts_on})
    if programme.ends_on:
        q &= Q(**{f"{field}__lte": programme.ends_on})
    return q


def founded(cases: QuerySet, org_type: str) -> QuerySet:
    return cases.filter(org_type=org_type, registered_on__isnull=False)


def participations(attendance: QuerySet) -> int:
    """Person-course pairs with at least one session attended."""
    return attendance.values("session__course", "who").distinct().count()


def participants(attendance: QuerySet) -> int:
    return attendance.values("who").distinct().count()


def attended(courses: QuerySet) -> QuerySet:
    return Attendance.objects.filter(session__course__in=courses, status__in=ATTENDED).annotate(
        who=canonical_id()
    )


def achieved(programme: Programme, indicator: str) -> int | None:
    cases = programme.cases.filter(_in_period("registered_on", programme))
    if indicator == Indicator.COOPERATIVES_FOUNDED:
        return founded(cases, OrgType.COOPERATIVE).count()
    if indicator == Indicator.GROUPS_FOUNDED:
        return founded(cases, OrgType.COOP_GROUP).count()
    if indicator == Indicator.COURSES_HELD:
        return programme.courses.count()
    if indicator == Indicator.MEMBERS_TRAINED:
        return participants(attended(programme.courses.all()))
    if indicator == Indicator.PRODUCTS_LISTED:
        return listed_products(programme).count()
    return None


def counted_listings(programme: Programme) -> QuerySet:
    """The listings that count for a programme's "products listed on e-commerce":
    live now (status live, link not broken), made within the programme's period, on
    one of its platforms (any when none is named), of a product whose producer is in
    the programme's area (either era, through unit_q) and, when the programme names
    products, one of those."""
    listings = live_listings(programme.area_unit(), programme.starts_on, programme.ends_on)
    if programme.platforms:
        listings = listings.filter(platform__in=programme.platforms)
    named = programme.products.values("pk")
    if named.exists():
        listings = listings.filter(product__in=named)
    return listings


def live_listings(unit: Any, start: datetime.date, end: datetime.date | None) -> QuerySet:
    """Listings live now (status live, link not broken) of products whose producer is in
    `unit` (either era, None: everywhere), made between `start` and `end` (open: None)."""
    listings = Listing.objects.live().filter(
        unit_q(unit, "product__producer__commune"), created__date__gte=start
    )
    return listings.filter(created__date__lte=end) if end else listings


def listed_products(programme: Programme) -> QuerySet:
    """Distinct products with at least one counted listing: a product on two platforms
    counts once."""
    return Product.objects.filter(pk__in=counted_listings(programme).values("product_id")).order_by(
        "name"
    )


def figures(
    unit: Any, start: datetime.date, end: datetime.date, user: Any = None
) -> dict[str, int]:
    """The union's computed figures for `unit` (either era, None: everywhere) between
    `start` and `end` inclusive: organisations registered in the period with their
    members on `end`, courses that started in the period and who attended them, and
    distinct products with a live listing made in the period."""
    cases = SupportCase.objects.filter(unit_q(unit, "commune"), registered_on__range=(start, end))
    courses = Course.objects.filter(unit_q(unit, "commune"), starts_on__range=(start, end))
    if user is not None:
        cases, courses = cases.visible_to(user), courses.visible_to(user)
    out: dict[str, int] = {}
    for name, org_type in (("cooperatives", OrgType.COOPERATIVE), ("groups", OrgType.COOP_GROUP)):
        found = founded(cases, org_type)
        out[f"{name}_founded"] = found.count()
        out[f"{'cooperative' if name == 'cooperatives' else 'group'}_members"] = members_on(
            found, end
        )
    # Totals of both kinds: each organisation and each member once.
    out["organisations_founded"] = out["cooperatives_founded"] + out["groups_founded"]
    out["organisation_members"] = out["cooperative_members"] + out["group_members"]
    att = attended(courses)
    out["courses"] = courses.count()
    out["participations"] = participations(att)
    out["participants"] = participants(att)
    listings = live_listings(unit, start, end)
    if user is not None:
        territory = union_territory_q(user, "product__producer__commune")
        listings = listings if territory is None else listings.filter(territory)
    out["products_listed"] = listings.values("product_id").distinct().count()
    return out


def members_on(cases: QuerySet, day: datetime.date) -> int:
    return Membership.objects.filter(active_on_q(day), case__in=cases).count()


def breakdown(courses: QuerySet, by: str) -> list[dict[str, Any]]:
    """Participations and participants per value of `by` ('session__course__field',
    'person__gender' or 'person__ethnicity')."""
    att = attended(courses)
    values = sorted(set(att.values_list(by, flat=True)), key=lambda v: v or "")
    return [
        {
            "value": v,
            "participations": participations(att.filter(**{by: v})),
            "participants": participants(att.filter(**{by: v})),
        }
        for v in values
    ]
