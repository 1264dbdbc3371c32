"""What waits for each role after login: panels of to-do items read from every app.

A panel is {"title", "items": [{"label", "url", "note", "tone"}], "count", "empty",
"more", "todo"}; `count` is every item, `items` the first LIMIT. The site app sits above
every other app and may read them all, so the panels live here, not in the apps.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def panel(title, items, empty, more=None, count=None, todo=True):
    """`items` may be longer than LIMIT (then `count` is its length) or the first
    LIMIT of a queryset whose size the caller gives as `count`."""
    items = list(items)
    return {
        "title": title,
        "items": items[:LIMIT],
        "count": len(items) if count is None else count,
        "empty": empty,
        "more": more,
        "todo": todo,
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


def sheets_to_score(user):
    """Dossiers on the member's councils still scoring, without a submitted sheet of
    theirs and without a conflict of interest (which keeps them from scoring it)."""
    seats = list(
        CouncilMember.objects.filter(
            user=user, council__scoring_closed_at__isnull=True
        ).select_related("council", "user")
    )
    items = []
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
        for d in dossiers:
            if seat.conflict_with(d, ties):
                continue
            items.append(
                {
                    "label": d.product.name,
                    "url": reverse("evaluation:score", args=[d.pk]),
                    "note": _("%(council)s · %(round)s")
                    % {"council": seat.council, "round": d.round},
                    "tone": "",
                }
            )
    return panel(
        _("Dossiers waiting for your score"),
        items,
        _("No dossier waits for your score."),
        reverse("evaluation:rounds"),
    )


# --- producers ------------------------------------------------------------------------


def own_products(user, today):
    products = Product.objects.visible_to(user).order_by("name")
    certs = {}
    for cert in Certificate.objects.visible_to(user).valid_on(today).order_by("valid_until"):
        certs.setdefault(cert.product_id, cert)
    items = []
    for product in products:
        cert = certs.get(product.pk)
        if cert:
            note, tone = days_left_note(cert.valid_until, today)
            note = _("certificate %(number)s: %(left)s") % {"number": cert.number, "left": note}
        else:
            note, tone = product.get_status_display(), ""
        items.append(
            {
                "label": product.name,
                "url": reverse("products:detail", args=[product.pk]),
                "note": note,
                "tone": tone,
            }
        )
    return panel(
        _("Your products"), items, _("No products yet."), reverse("products:list"), todo=False
    )


def dossiers_to_complete(user):
    """Draft dossiers of the user's own producers that lack a required document."""
    required = required_documents()
    dossiers = (
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
    items = []
    for d in dossiers:
        missing = d.missing_documents()
        items.append(
            {
                "label": d.product.name,
                "url": reverse("evaluation:dossier", args=[d.pk]),
                "note": _("missing: %(docs)s") % {"docs": ", ".join(str(k.label) for k in missing)},
                "tone": "warn",
            }
        )
    return panel(_("Dossiers to complete"), items, _("Every dossier has its documents."))


def certificates_expiring(user, today, own=False):
    certs = Certificate.objects.visible_to(user)
    if own:
        # A producer account reads its own; visible_to adds nothing else for it.
        certs = certs.filter(product__producer__accounts=user)
    certs = (
        certs.expiring_within(EXPIRY_DAYS, today)
        .select_related("product")
        .order_by("valid_until", "number")
    )
    items = []
    for cert in certs[:LIMIT]:
        note, tone = days_left_note(cert.valid_until, today)
        items.append(
            {
                "label": f"{cert.product.name} · {cert.number}",
                "url": cert.get_absolute_url(),
                "note": note,
                "tone": tone,
            }
        )
    return panel(
        _("Certificates expiring within 90 days"),
        items,
        _("No certificate expires within 90 days."),
        reverse("certificates:expiring"),
        count=certs.count(),
    )


def enquiries_to_answer(user):
    enquiries = (
        Enquiry.objects.filter(product__producer__accounts=user, status=EnquiryStatus.OPEN)
        .select_related("product", "buyer")
        .order_by("created")
        .distinct()
    )
    items = [
        {
            "label": e.product.name,
            "url": reverse("products:detail", args=[e.product_id]),
            "note": _("%(buyer)s asks for %(quantity)s")
            % {"buyer": e.buyer.get_full_name() or e.buyer.username, "quantity": e.quantity},
            "tone": "warn",
        }
        for e in enquiries
    ]
    return panel(_("Enquiries to answer"), items, _("No enquiry waits for an answer."))


def broken_listings(user):
    listings = (
        Listing.objects.filter(product__producer__accounts=user, broken=True)
        .exclude(status=ListingStatus.DELISTED)
        .select_related("product")
        .order_by("product__name", "platform")
        .distinct()
    )
    items = [
        {
            "label": f"{li.product.name} · {li.get_platform_display()}",
            "url": reverse("products:detail", args=[li.product_id]),
            "note": _("the link did not answer: update it or withdraw the listing"),
            "tone": "bad",
        }
        for li in listings
    ]
    return panel(_("Shop listings whose link no longer opens"), items, _("Every listing opens."))


def batches_of_unpublished(user):
    batches = (
        Batch.objects.filter(product__producer__accounts=user)
        .exclude(product__status__in=PUBLISHED)
        .select_related("product")
        .order_by("-pk")
        .distinct()
    )
    items = [
        {
            "label": f"{b.product.name} · {b.lot}",
            "url": reverse("trace:batch", args=[b.pk]),
            "note": _("the product is not published: its labels answer “unknown” when scanned"),
            "tone": "warn",
        }
        for b in batches
    ]
    return panel(
        _("Batches whose labels lead to an unpublished product"),
        items,
        _("Every batch's labels lead to a published product."),
        reverse("trace:batches"),
    )


# --- commune officers -----------------------------------------------------------------


def dossiers_for_commune_check(user):
    """Draft dossiers in the officer's communes with every required document and no
    local step recorded yet: the commune checks origin, labour and identity next."""
    required = required_documents()
    dossiers = (
        Dossier.objects.filter(user.territory_q("product__commune") or Q())
        .filter(status=DossierStatus.DRAFT, local_step__isnull=True)
        .annotate(
            have=Count("documents__kind", filter=Q(documents__kind__in=required), distinct=True)
        )
        .filter(have__gte=len(required))
        .select_related("product", "round")
        .order_by("round__closes_on", "product__name")
    )
    items = [
        {
            "label": d.product.name,
            "url": reverse("evaluation:local_step", args=[d.pk]),
            "note": _("%(round)s · dossiers due by %(day)s")
            % {"round": d.round, "day": day(d.round.closes_on)},
            "tone": "",
        }
        for d in dossiers
    ]
    return panel(_("Dossiers waiting for the commune check"), items, _("No dossier waits for you."))


def producers_to_check(user):
    """Producers in the territory without a product registered yet."""
    producers = (
        Producer.objects.visible_to(user)
        .annotate(n_products=Count("products", distinct=True))
        .filter(n_products=0)
        .order_by("name")
    )
    items = [
        {
            "label": p.name,
            "url": reverse("producers:detail", args=[p.pk]),
            "note": _("no product registered yet"),
            "tone": "",
        }
        for p in producers
    ]
    return panel(
        _("Producers to check"),
        items,
        _("Every producer has a product registered."),
        reverse("producers:list"),
    )


# --- the provincial office ------------------------------------------------------------


def _office_rounds_q(user, prefix="round__"):
    return Q() if user.is_superuser else Q(**{f"{prefix}province_id": user.province_id})


def dossiers_to_forward(user):
    """Proposed dossiers still without a council."""
    dossiers = (
        Dossier.objects.filter(_office_rounds_q(user))
        .filter(status=DossierStatus.PROPOSED, council__isnull=True)
        .select_related("product", "round")
        .order_by("round__closes_on", "product__name")
    )
    items = [
        {
            "label": d.product.name,
            "url": reverse("evaluation:round", args=[d.round_id]),
            "note": _("%(round)s · no council yet") % {"round": d.round},
            "tone": "warn",
        }
        for d in dossiers
    ]
    return panel(_("Proposed dossiers without a council"), items, _("No dossier waits for you."))


def councils_ready_to_close(user):
    """Councils still scoring whose every sheet is in: the chair may close scoring."""
    councils = (
        Council.objects.filter(_office_rounds_q(user), scoring_closed_at__isnull=True)
        .annotate(n=Count("dossiers", distinct=True))
        .filter(n__gt=0)
        .select_related("round")
        .order_by("round__closes_on", "name")
    )
    items = []
    for c in councils:
        if outstanding_sheets(c):
            continue
        items.append(
            {
                "label": c.name,
                "url": reverse("evaluation:council", args=[c.pk]),
                "note": ngettext(
                    "%(n)s dossier, every score in", "%(n)s dossiers, every score in", c.n
                )
                % {"n": c.n},
                "tone": "warn",
            }
        )
    return panel(_("Councils ready to close scoring"), items, _("No council is ready to close."))


def targets_at_risk(user, today):
    """Targets not met that are overdue or due within a year."""
    items = []
    for target in Target.objects.editable_by(user).order_by("deadline"):
        if (target.deadline - today).days >= 365:
            continue
        done = progress(target, today)
        if done.met:
            continue
        items.append(
            {
                "label": target.title,
                "url": reverse("programme:targets"),
                "note": _("%(percent)s%% done · deadline %(day)s")
                % {"percent": done.percent, "day": day(target.deadline)},
                "tone": "bad" if done.overdue else "warn",
            }
        )
    return panel(
        _("Targets at risk"), items, _("No target is at risk."), reverse("programme:targets")
    )


# --- farmers' union -------------------------------------------------------------------


def sessions_today(user, today):
    sessions = (
        Session.objects.filter(course__in=Course.objects.visible_to(user), held_on=today)
        .select_related("course")
        .order_by("course__topic", "pk")
    )
    items = [
        {
            "label": s.course.topic,
            "url": reverse("support:attendance", args=[s.pk]),
            "note": s.topic or _("session today"),
            "tone": "",
        }
        for s in sessions
    ]
    return panel(
        _("Course sessions today"),
        items,
        _("No course session today."),
        reverse("support:courses"),
    )


def founding_cases(user):
    cases = (
        SupportCase.objects.visible_to(user)
        .exclude(stage__in=[Stage.OPERATING, Stage.DISSOLVED])
        .order_by("founding_group_on", "name")
    )
    items = [
        {
            "label": c.name,
            "url": reverse("support:case", args=[c.pk]),
            "note": c.get_stage_display(),
            "tone": "",
        }
        for c in cases
    ]
    return panel(
        _("Groups being founded"),
        items,
        _("No group is being founded."),
        reverse("support:cases"),
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
    inspections = (
        Inspection.objects.filter(Q(area__in=areas) | Q(facility__in=facilities))
        .filter(next_visit__isnull=False, next_visit__lte=due_by)
        .exclude(Exists(later))
        .select_related("area", "facility")
        .order_by("next_visit", "pk")
    )
    items = []
    for i in inspections:
        overdue = i.next_visit < today
        items.append(
            {
                "label": i.holder.code,
                "url": reverse("codes:code", args=[i.holder.code]),
                "note": (_("visit overdue since %(day)s") if overdue else _("visit due %(day)s"))
                % {"day": day(i.next_visit)},
                "tone": "bad" if overdue else "warn",
            }
        )
    return panel(
        _("Inspections due"), items, _("No inspection is due."), reverse("compliance:codes")
    )


def approvals_to_watch(user, today):
    """Market approvals suspended, or approved and expiring within EXPIRY_DAYS."""
    soon = today + datetime.timedelta(days=EXPIRY_DAYS)
    approvals = (
        Approval.objects.visible_to(user)
        .filter(
            Q(status=ApprovalStatus.SUSPENDED)
            | Q(status=ApprovalStatus.APPROVED, expires_on__isnull=False, expires_on__lte=soon)
        )
        .select_related("area", "facility", "market")
        .order_by("expires_on", "pk")
    )
    items = []
    for a in approvals:
        if a.status == ApprovalStatus.SUSPENDED:
            note, tone = _("suspended"), "bad"
        else:
            note, tone = days_left_note(a.expires_on, today)
        items.append(
            {
                "label": f"{a.code} · {a.market.code}",
                "url": reverse("codes:code", args=[a.code]),
                "note": note,
                "tone": tone,
            }
        )
    return panel(
        _("Export codes suspended or expiring"),
        items,
        _("No export code is suspended or expiring."),
        reverse("compliance:codes"),
    )


# --- buyers ---------------------------------------------------------------------------


def public_page(product):
    """The product's public market page, or "" while it has none (not published)."""
    try:
        return product_url(product.search_entry.slug) if product.is_published else ""
    except ObjectDoesNotExist:
        return ""


def own_enquiries(user):
    enquiries = (
        Enquiry.objects.filter(buyer=user)
        .exclude(status=EnquiryStatus.CLOSED)
        .select_related("product__producer", "product__search_entry")
        .order_by("-created")
    )
    items = []
    for e in enquiries:
        answered = e.status == EnquiryStatus.ANSWERED
        items.append(
            {
                "label": e.product.name,
                "url": public_page(e.product),
                "note": (
                    _("answered by %(producer)s") if answered else _("waiting for %(producer)s")
                )
                % {"producer": e.product.producer.name},
                "tone": "ok" if answered else "",
            }
        )
    return panel(
        _("Your enquiries"),
        items,
        _("You have sent no enquiry yet."),
        reverse("market:catalogue"),
    )


def panels_for(user, today=None):
    today = today or timezone.localdate()
    role = Role.PROVINCE_OFFICE if user.is_superuser else user.role
    if role == Role.COUNCIL_MEMBER:
        return [sheets_to_score(user)]
    if role == Role.PRODUCER:
        return [
            dossiers_to_complete(user),
            certificates_expiring(user, today, own=True),
            enquiries_to_answer(user),
            broken_listings(user),
            batches_of_unpublished(user),
            own_products(user, today),
        ]
    if role == Role.COMMUNE_OFFICER:
        return [
            dossiers_for_commune_check(user),
            producers_to_check(user),
            certificates_expiring(user, today),
        ]
    if role == Role.PROVINCE_OFFICE:
        return [
            dossiers_to_forward(user),
            councils_ready_to_close(user),
            targets_at_risk(user, today),
            certificates_expiring(user, today),
        ]
    if role == Role.INSPECTOR:
        return [inspections_due(user, today), approvals_to_watch(user, today)]
    if role == Role.UNION_OFFICER:
        return [sessions_today(user, today), founding_cases(user)]
    if role == Role.BUYER:
        return [own_enquiries(user)]
    return []


def to_do_count(panels):
    return sum(p["count"] for p in panels if p["todo"])
