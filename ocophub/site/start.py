"""What waits for each role after login: panels of to-do items read from every app.

A panel is {"title", "items": [{"label", "url", "note", "tone"}], "count", "empty",
"more", "todo"}; `count` is every item, `items` the first LIMIT. The site app sits above
every other app and may read them all, so the panels live here, not in the apps.

Each panel is declared once as data (a `Panel`: its records and how one reads as a
line), and `PANELS` says which panels each role sees, in order.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ocophub.accounts.models import Role
from ocophub.certificates.models import Certificate
from ocophub.compliance.models import (
    Approval,
    ApprovalStatus,
    CodeStatus,
    GrowingArea,
    Inspection,
    PackingFacility,
)
from ocophub.evaluation.models import (
    Council,
    CouncilMember,
    Dossier,
    DossierStatus,
    ScoreSheet,
    required_documents,
)
from ocophub.evaluation.workflow import outstanding_sheets
from ocophub.market.models import Enquiry, EnquiryStatus, Listing, ListingStatus, product_url
from ocophub.producers.models import Producer
from ocophub.products.models import PUBLISHED, Product
from ocophub.programme.models import Target
from ocophub.programme.progress import progress
from ocophub.support.models import Course, Session, Stage, SupportCase
from ocophub.trace.models import Batch

LIMIT = 8
EXPIRY_DAYS = 90
# An inspection whose next visit falls within this many days is due.
VISIT_DUE_DAYS = 14


def line(label, url, note, tone=""):
    return {"label": label, "url": url, "note": note, "tone": tone}


@dataclasses.dataclass(frozen=True)
class Panel:
    """One panel, as data. `records(user, today)` gives a queryset (counted by the
    database, only its first LIMIT read) or a list (where Python decides what stays,
    such as a conflict of interest); `item(record, today)` gives its line."""

    title: Promise
    empty: Promise
    records: Callable[[Any, datetime.date], QuerySet[Any] | Iterable[Any]]
    item: Callable[[Any, datetime.date], dict[str, str]]
    more: str | None = None  # URL name of the full list
    todo: bool = True

    def build(self, user, today: datetime.date) -> dict[str, Any]:
        records = self.records(user, today)
        if isinstance(records, QuerySet):
            count = records.count()
            first = list(records[:LIMIT])
        else:
            records = list(records)
            count, first = len(records), records[:LIMIT]
        return {
            "title": str(self.title),
            "items": [self.item(record, today) for record in first],
            "count": count,
            "empty": str(self.empty),
            "more": reverse(self.more) if self.more else None,
            "todo": self.todo,
        }


def day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def days_left_note(until, today):
    left = (until - today).days
    if left < 0:
        return _("expired on %(day)s") % {"day": day(until)}, "bad"
    note = ngettext("%(n)s day left (until %(day)s)", "%(n)s days left (until %(day)s)", left) % {
        "n": left,
        "day": day(until),
    }
    return note, "bad" if left <= 30 else ("warn" if left <= EXPIRY_DAYS else "ok")


# --- council members ------------------------------------------------------------------


def sheets_to_score(user, today):
    """(seat, dossier) for the dossiers on the member's councils still scoring, without
    a submitted sheet of theirs and without a conflict of interest (which keeps them
    from scoring it)."""
    seats = CouncilMember.objects.filter(
        user=user, council__scoring_closed_at__isnull=True
    ).select_related("council", "user")
    pairs = []
    for seat in seats:
        ties = seat.council.ties()
        submitted = ScoreSheet.objects.filter(
            dossier=OuterRef("pk"), member=seat, submitted_at__isnull=False
        )
        dossiers = (
            seat.council.dossiers.exclude(Exists(submitted))
            .select_related("product__producer", "round")
            .order_by("round__closes_on", "product__name")
        )
        pairs += [(seat, d) for d in dossiers if not seat.conflict_with(d, ties)]
    return pairs


SHEETS_TO_SCORE = Panel(
    gettext_lazy("Dossiers waiting for your score"),
    gettext_lazy("No dossier waits for your score."),
    sheets_to_score,
    lambda pair, today: line(
        pair[1].product.name,
        reverse("evaluation:score", args=[pair[1].pk]),
        _("%(council)s · %(round)s") % {"council": pair[0].council, "round": pair[1].round},
    ),
    more="evaluation:rounds",
)


# --- producers ------------------------------------------------------------------------


def own_products(user, today):
    """(product, its certificate in force or None) for each product the user sees."""
    certs = {}
    for cert in Certificate.objects.visible_to(user).valid_on(today).order_by("valid_until"):
        certs.setdefault(cert.product_id, cert)
    return [(p, certs.get(p.pk)) for p in Product.objects.visible_to(user).order_by("name")]


def own_product_line(pair, today):
    product, cert = pair
    if cert:
        note, tone = days_left_note(cert.valid_until, today)
        note = _("certificate %(number)s: %(left)s") % {"number": cert.number, "left": note}
    else:
        note, tone = product.get_status_display(), ""
    return line(product.name, reverse("products:detail", args=[product.pk]), note, tone)


OWN_PRODUCTS = Panel(
    gettext_lazy("Your products"),
    gettext_lazy("No products yet."),
    own_products,
    own_product_line,
    more="products:list",
    todo=False,
)


def dossiers_to_complete(user, today):
    """Draft dossiers of the user's own producers that lack a required document."""
    required = required_documents()
    return (
        Dossier.objects.filter(
            product__producer__accounts=user, status=DossierStatus.DRAFT, local_step__isnull=True
        )
        .annotate(
            have=Count("documents__kind", filter=Q(documents__kind__in=required), distinct=True)
        )
        .filter(have__lt=len(required))
        .select_related("product", "round")
        .order_by("round__closes_on", "product__name")
    )


DOSSIERS_TO_COMPLETE = Panel(
    gettext_lazy("Dossiers to complete"),
    gettext_lazy("Every dossier has its documents."),
    dossiers_to_complete,
    lambda d, today: line(
        d.product.name,
        reverse("evaluation:dossier", args=[d.pk]),
        _("missing: %(docs)s") % {"docs": ", ".join(str(k.label) for k in d.missing_documents())},
        "warn",
    ),
)


def certificates_expiring(user, today, own=False):
    certs = Certificate.objects.visible_to(user)
    if own:
        # A producer account reads its own; visible_to adds nothing else for it.
        certs = certs.filter(product__producer__accounts=user)
    return (
        certs.expiring_within(EXPIRY_DAYS, today)
        .select_related("product")
        .order_by("valid_until", "number")
    )


def certificate_line(cert, today):
    note, tone = days_left_note(cert.valid_until, today)
    return line(f"{cert.product.name} · {cert.number}", cert.get_absolute_url(), note, tone)


CERTIFICATES_EXPIRING = Panel(
    gettext_lazy("Certificates expiring within 90 days"),
    gettext_lazy("No certificate expires within 90 days."),
    certificates_expiring,
    certificate_line,
    more="certificates:expiring",
)
OWN_CERTIFICATES_EXPIRING = dataclasses.replace(
    CERTIFICATES_EXPIRING, records=lambda user, today: certificates_expiring(user, today, own=True)
)


ENQUIRIES_TO_ANSWER = Panel(
    gettext_lazy("Enquiries to answer"),
    gettext_lazy("No enquiry waits for an answer."),
    lambda user, today: (
        Enquiry.objects.filter(product__producer__accounts=user, status=EnquiryStatus.OPEN)
        .select_related("product", "buyer")
        .order_by("created")
        .distinct()
    ),
    lambda e, today: line(
        e.product.name,
        reverse("market:enquiry", args=[e.pk]),
        _("%(buyer)s asks for %(quantity)s")
        % {"buyer": e.buyer.get_full_name() or e.buyer.username, "quantity": e.quantity},
        "warn",
    ),
    more="market:enquiries",
)

BROKEN_LISTINGS = Panel(
    gettext_lazy("Shop listings whose link no longer opens"),
    gettext_lazy("Every listing opens."),
    lambda user, today: (
        Listing.objects.filter(product__producer__accounts=user, broken=True)
        .exclude(status=ListingStatus.DELISTED)
        .select_related("product")
        .order_by("product__name", "platform")
        .distinct()
    ),
    lambda li, today: line(
        f"{li.product.name} · {li.get_platform_display()}",
        reverse("products:detail", args=[li.product_id]),
        _("the link did not answer: update it or withdraw the listing"),
        "bad",
    ),
)

BATCHES_OF_UNPUBLISHED = Panel(
    gettext_lazy("Batches whose labels lead to an unpublished product"),
    gettext_lazy("Every batch's labels lead to a published product."),
    lambda user, today: (
        Batch.objects.filter(product__producer__accounts=user)
        .exclude(product__status__in=PUBLISHED)
        .select_related("product")
        .order_by("-pk")
        .distinct()
    ),
    lambda b, today: line(
        f"{b.product.name} · {b.lot}",
        reverse("trace:batch", args=[b.pk]),
        _("the product is not published: its labels answer “unknown” when scanned"),
        "warn",
    ),
    more="trace:batches",
)


# --- commune officers -----------------------------------------------------------------


def dossiers_for_commune_check(user, today):
    """Draft dossiers in the officer's communes with every required document and no
    local step recorded yet: the commune checks origin, labour and identity next."""
    required = required_documents()
    return (
        Dossier.objects.filter(user.territory_q("product__commune") or Q())
        .filter(status=DossierStatus.DRAFT, local_step__isnull=True)
        .annotate(
            have=Count("documents__kind", filter=Q(documents__kind__in=required), distinct=True)
        )
        .filter(have__gte=len(required))
        .select_related("product", "round")
        .order_by("round__closes_on", "product__name")
    )


DOSSIERS_FOR_COMMUNE_CHECK = Panel(
    gettext_lazy("Dossiers waiting for the commune check"),
    gettext_lazy("No dossier waits for you."),
    dossiers_for_commune_check,
    lambda d, today: line(
        d.product.name,
        reverse("evaluation:local_step", args=[d.pk]),
        _("%(round)s · dossiers due by %(day)s")
        % {"round": d.round, "day": day(d.round.closes_on)},
    ),
)

# Producers in the territory without a product registered yet.
PRODUCERS_TO_CHECK = Panel(
    gettext_lazy("Producers to check"),
    gettext_lazy("Every producer has a product registered."),
    lambda user, today: (
        Producer.objects.visible_to(user)
        .annotate(n_products=Count("products", distinct=True))
        .filter(n_products=0)
        .order_by("name")
    ),
    lambda p, today: line(
        p.name, reverse("producers:detail", args=[p.pk]), _("no product registered yet")
    ),
    more="producers:list",
)


# --- the provincial office ------------------------------------------------------------


def _office_rounds_q(user, prefix="round__"):
    return Q() if user.is_superuser else Q(**{f"{prefix}province_id": user.province_id})


# Proposed dossiers still without a council.
DOSSIERS_TO_FORWARD = Panel(
    gettext_lazy("Proposed dossiers without a council"),
    gettext_lazy("No dossier waits for you."),
    lambda user, today: (
        Dossier.objects.filter(_office_rounds_q(user))
        .filter(status=DossierStatus.PROPOSED, council__isnull=True)
        .select_related("product", "round")
        .order_by("round__closes_on", "product__name")
    ),
    lambda d, today: line(
        d.product.name,
        reverse("evaluation:round", args=[d.round_id]),
        _("%(round)s · no council yet") % {"round": d.round},
        "warn",
    ),
)


def councils_ready_to_close(user, today):
    """Councils still scoring whose every sheet is in: the chair may close scoring."""
    councils = (
        Council.objects.filter(_office_rounds_q(user), scoring_closed_at__isnull=True)
        .annotate(n=Count("dossiers", distinct=True))
        .filter(n__gt=0)
        .select_related("round")
        .order_by("round__closes_on", "name")
    )
    return [c for c in councils if not outstanding_sheets(c)]


COUNCILS_READY_TO_CLOSE = Panel(
    gettext_lazy("Councils ready to close scoring"),
    gettext_lazy("No council is ready to close."),
    councils_ready_to_close,
    lambda c, today: line(
        c.name,
        reverse("evaluation:council", args=[c.pk]),
        ngettext("%(n)s dossier, every score in", "%(n)s dossiers, every score in", c.n)
        % {"n": c.n},
        "warn",
    ),
)


def targets_at_risk(user, today):
    """(target, its progress) for targets not met that are overdue or due within a year."""
    pairs = []
    for target in Target.objects.editable_by(user).order_by("deadline"):
        if (target.deadline - today).days >= 365:
            continue
        done = progress(target, today)
        if not done.met:
            pairs.append((target, done))
    return pairs


TARGETS_AT_RISK = Panel(
    gettext_lazy("Targets at risk"),
    gettext_lazy("No target is at risk."),
    targets_at_risk,
    lambda pair, today: line(
        pair[0].title,
        reverse("programme:targets"),
        _("%(percent)s%% done · deadline %(day)s")
        % {"percent": pair[1].percent, "day": day(pair[0].deadline)},
        "bad" if pair[1].overdue else "warn",
    ),
    more="programme:targets",
)


# --- farmers' union -------------------------------------------------------------------


SESSIONS_TODAY = Panel(
    gettext_lazy("Course sessions today"),
    gettext_lazy("No course session today."),
    lambda user, today: (
        Session.objects.filter(course__in=Course.objects.visible_to(user), held_on=today)
        .select_related("course")
        .order_by("course__topic", "pk")
    ),
    lambda s, today: line(
        s.course.topic, reverse("support:attendance", args=[s.pk]), s.topic or _("session today")
    ),
    more="support:courses",
)

FOUNDING_CASES = Panel(
    gettext_lazy("Groups being founded"),
    gettext_lazy("No group is being founded."),
    lambda user, today: (
        SupportCase.objects.visible_to(user)
        .exclude(stage__in=[Stage.OPERATING, Stage.DISSOLVED])
        .order_by("founding_group_on", "name")
    ),
    lambda c, today: line(c.name, reverse("support:case", args=[c.pk]), c.get_stage_display()),
    more="support:cases",
)


# --- inspectors -----------------------------------------------------------------------


def inspections_due(user, today):
    """Codes in the inspector's province whose last inspection set a next visit due
    within VISIT_DUE_DAYS (or past)."""
    due_by = today + datetime.timedelta(days=VISIT_DUE_DAYS)
    areas = GrowingArea.objects.visible_to(user).filter(status=CodeStatus.ACTIVE)
    facilities = PackingFacility.objects.visible_to(user).filter(status=CodeStatus.ACTIVE)
    later = Inspection.objects.filter(
        Q(area_id=OuterRef("area_id"), area__isnull=False)
        | Q(facility_id=OuterRef("facility_id"), facility__isnull=False),
        on__gt=OuterRef("on"),
    )
    return (
        Inspection.objects.filter(Q(area__in=areas) | Q(facility__in=facilities))
        .filter(next_visit__isnull=False, next_visit__lte=due_by)
        .exclude(Exists(later))
        .select_related("area", "facility")
        .order_by("next_visit", "pk")
    )


def inspection_line(i, today):
    overdue = i.next_visit < today
    return line(
        i.holder.code,
        reverse("codes:code", args=[i.holder.code]),
        (_("visit overdue since %(day)s") if overdue else _("visit due %(day)s"))
        % {"day": day(i.next_visit)},
        "bad" if overdue else "warn",
    )


INSPECTIONS_DUE = Panel(
    gettext_lazy("Inspections due"),
    gettext_lazy("No inspection is due."),
    inspections_due,
    inspection_line,
    more="compliance:codes",
)


def approvals_to_watch(user, today):
    """Market approvals suspended, or approved and expiring within EXPIRY_DAYS."""
    soon = today + datetime.timedelta(days=EXPIRY_DAYS)
    return (
        Approval.objects.visible_to(user)
        .filter(
            Q(status=ApprovalStatus.SUSPENDED)
            | Q(status=ApprovalStatus.APPROVED, expires_on__isnull=False, expires_on__lte=soon)
        )
        .select_related("area", "facility", "market")
        .order_by("expires_on", "pk")
    )


def approval_line(a, today):
    if a.status == ApprovalStatus.SUSPENDED:
        note, tone = _("suspended"), "bad"
    else:
        note, tone = days_left_note(a.expires_on, today)
    return line(f"{a.code} · {a.market.code}", reverse("codes:code", args=[a.code]), note, tone)


APPROVALS_TO_WATCH = Panel(
    gettext_lazy("Export codes suspended or expiring"),
    gettext_lazy("No export code is suspended or expiring."),
    approvals_to_watch,
    approval_line,
    more="compliance:codes",
)


# --- buyers ---------------------------------------------------------------------------


def public_page(product):
    """The product's public market page, or "" while it has none (not published)."""
    try:
        return product_url(product.search_entry.slug) if product.is_published else ""
    except ObjectDoesNotExist:
        return ""


def own_enquiry_line(e, today):
    answered = e.status == EnquiryStatus.ANSWERED
    return line(
        e.product.name,
        public_page(e.product),
        (_("answered by %(producer)s") if answered else _("waiting for %(producer)s"))
        % {"producer": e.product.producer.name},
        "ok" if answered else "",
    )


OWN_ENQUIRIES = Panel(
    gettext_lazy("Your enquiries"),
    gettext_lazy("You have sent no enquiry yet."),
    lambda user, today: (
        Enquiry.objects.filter(buyer=user)
        .exclude(status=EnquiryStatus.CLOSED)
        .select_related("product__producer", "product__search_entry")
        .order_by("-created")
    ),
    own_enquiry_line,
    more="market:catalogue",
)


# Which panels each role sees, in order; a superuser sees the provincial office's.
PANELS = {
    Role.COUNCIL_MEMBER: [SHEETS_TO_SCORE],
    Role.PRODUCER: [
        DOSSIERS_TO_COMPLETE,
        OWN_CERTIFICATES_EXPIRING,
        ENQUIRIES_TO_ANSWER,
        BROKEN_LISTINGS,
        BATCHES_OF_UNPUBLISHED,
        OWN_PRODUCTS,
    ],
    Role.COMMUNE_OFFICER: [DOSSIERS_FOR_COMMUNE_CHECK, PRODUCERS_TO_CHECK, CERTIFICATES_EXPIRING],
    Role.PROVINCE_OFFICE: [
        DOSSIERS_TO_FORWARD,
        COUNCILS_READY_TO_CLOSE,
        TARGETS_AT_RISK,
        CERTIFICATES_EXPIRING,
    ],
    Role.INSPECTOR: [INSPECTIONS_DUE, APPROVALS_TO_WATCH],
    Role.UNION_OFFICER: [SESSIONS_TODAY, FOUNDING_CASES],
    Role.BUYER: [OWN_ENQUIRIES],
}


def panels_for(user, today=None):
    today = today or timezone.localdate()
    role = Role.PROVINCE_OFFICE if user.is_superuser else user.role
    return [p.build(user, today) for p in PANELS.get(role, [])]


def to_do_count(panels):
    return sum(p["count"] for p in panels if p["todo"])
