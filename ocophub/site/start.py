"""What waits for each role after login: panels of to-do items read from every app.

A panel is {"title", "items": [{"label", "url", "note", "tone"}], "empty", "more"}; the
site app may read every app below it, so the panels live here, not in the apps.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ocophub.accounts.models import Role
from ocophub.certificates.models import Certificate
from ocophub.evaluation.models import (
    Council,
    CouncilMember,
    Dossier,
    DossierStatus,
    ScoreSheet,
    required_documents,
)
from ocophub.producers.models import Producer
from ocophub.products.models import PUBLISHED, Product
from ocophub.trace.models import Batch

LIMIT = 8
EXPIRY_DAYS = 90


def panel(title, items, empty, more=None):
    return {
        "title": title,
        "items": items[:LIMIT],
        "count": len(items),
        "empty": empty,
        "more": more,
    }


def day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def days_left_note(cert, today):
    left = (cert.valid_until - today).days
    if left < 0:
        return _("expired on %(day)s") % {"day": day(cert.valid_until)}, "bad"
    note = ngettext("%(n)s day left (until %(day)s)", "%(n)s days left (until %(day)s)", left) % {
        "n": left,
        "day": day(cert.valid_until),
    }
    return note, "bad" if left <= 30 else ("warn" if left <= EXPIRY_DAYS else "ok")


# --- panels ---------------------------------------------------------------------------


def sheets_to_score(user):
    """Dossiers on the member's open councils without a submitted sheet of theirs."""
    seats = CouncilMember.objects.filter(user=user, council__scoring_closed_at__isnull=True)
    submitted = ScoreSheet.objects.filter(
        dossier=OuterRef("pk"), member__user=user, submitted_at__isnull=False
    )
    dossiers = (
        Dossier.objects.filter(council__in=seats.values("council"))
        .exclude(Exists(submitted))
        .select_related("product", "round")
        .order_by("round__closes_on", "product__name")
    )
    items = [
        {
            "label": d.product.name,
            "url": reverse("evaluation:score", args=[d.pk]),
            "note": _("%(round)s · deadline %(day)s")
            % {"round": d.round, "day": day(d.round.closes_on)},
            "tone": "warn" if d.round.closes_on <= timezone.localdate() else "",
        }
        for d in dossiers
    ]
    return panel(
        _("Dossiers waiting for your score"),
        items,
        _("No dossier waits for your score."),
        reverse("evaluation:rounds"),
    )


def own_products(user, today):
    products = Product.objects.visible_to(user).select_related("producer").order_by("name")
    certs = {}
    for cert in Certificate.objects.visible_to(user).valid_on(today).order_by("valid_until"):
        certs.setdefault(cert.product_id, cert)
    items = []
    for product in products:
        cert = certs.get(product.pk)
        if cert:
            note, tone = days_left_note(cert, today)
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
    return panel(_("Your products"), items, _("No products yet."), reverse("products:list"))


def dossiers_missing_documents(user):
    required = required_documents()
    dossiers = (
        Dossier.objects.visible_to(user)
        .filter(status=DossierStatus.DRAFT)
        .annotate(
            have=Count("documents__kind", filter=Q(documents__kind__in=required), distinct=True)
        )
        .filter(have__lt=len(required))
        .select_related("product", "round")
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
    return panel(_("Dossiers missing documents"), items, _("Every dossier has its documents."))


def batches_of_unpublished(user):
    batches = (
        Batch.objects.visible_to(user)
        .exclude(product__status__in=PUBLISHED)
        .select_related("product")
        .order_by("-pk")
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


def dossiers_to_assess(user):
    dossiers = (
        Dossier.objects.visible_to(user)
        .filter(status=DossierStatus.DRAFT)
        .select_related("product", "round")
        .order_by("round__closes_on", "product__name")
    )
    items = [
        {
            "label": d.product.name,
            "url": reverse("evaluation:dossier", args=[d.pk]),
            "note": _("%(round)s · dossiers due by %(day)s")
            % {"round": d.round, "day": day(d.round.closes_on)},
            "tone": "",
        }
        for d in dossiers
    ]
    return panel(_("Dossiers to assess and propose"), items, _("No dossier waits for you."))


def producers_to_check(user):
    """Producers in the territory without a product yet, or without an account."""
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


def dossiers_to_forward(user):
    """Proposed dossiers still without a council, or whose council has closed scoring."""
    dossiers = (
        Dossier.objects.visible_to(user)
        .filter(status=DossierStatus.PROPOSED)
        .filter(Q(council__isnull=True) | Q(council__scoring_closed_at__isnull=False))
        .select_related("product", "round", "council")
    )
    items = [
        {
            "label": d.product.name,
            "url": reverse("evaluation:dossier", args=[d.pk]),
            "note": _("scoring closed: forward or decide") if d.council_id else _("no council yet"),
            "tone": "warn",
        }
        for d in dossiers
    ]
    return panel(_("Dossiers to forward or decide"), items, _("No dossier waits for you."))


def open_councils(user):
    councils = Council.objects.filter(
        scoring_closed_at__isnull=True, round__province_id=user.province_id
    ).select_related("round")
    if user.is_superuser:
        councils = Council.objects.filter(scoring_closed_at__isnull=True).select_related("round")
    items = []
    for c in councils.annotate(n=Count("dossiers", distinct=True)):
        items.append(
            {
                "label": c.name,
                "url": reverse("evaluation:council", args=[c.pk]),
                "note": ngettext("%(n)s dossier", "%(n)s dossiers", c.n) % {"n": c.n},
                "tone": "",
            }
        )
    return panel(_("Councils still scoring"), items, _("No council is scoring now."))


def targets_at_risk(user, today):
    from ocophub.programme.models import Target
    from ocophub.programme.progress import progress

    items = []
    for target in Target.objects.editable_by(user).order_by("deadline"):
        done = progress(target, today)
        if done.met:
            continue
        span = (target.deadline - today).days
        if not (done.overdue or span < 365):
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


def certificates_expiring(user, today):
    certs = (
        Certificate.objects.visible_to(user)
        .expiring_within(EXPIRY_DAYS, today)
        .select_related("product")
        .order_by("valid_until")
    )
    items = []
    for cert in certs:
        note, tone = days_left_note(cert, today)
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
    )


def support_panels(user, today):
    """The farmers' union's open founding cases and coming courses (support app)."""
    from ocophub.support.models import Course, Stage, SupportCase

    cases = (
        SupportCase.objects.visible_to(user)
        .exclude(stage__in=[Stage.OPERATING, Stage.DISSOLVED])
        .order_by("founding_group_on")
    )
    case_items = [
        {
            "label": c.name,
            "url": reverse("support:case", args=[c.pk]),
            "note": c.get_stage_display(),
            "tone": "",
        }
        for c in cases
    ]
    courses = Course.objects.visible_to(user).filter(ends_on__gte=today).order_by("starts_on")
    course_items = [
        {
            "label": c.topic,
            "url": reverse("support:courses"),
            "note": _("from %(day)s") % {"day": day(c.starts_on)},
            "tone": "",
        }
        for c in courses
    ]
    return [
        panel(
            _("Groups being founded"),
            case_items,
            _("No group is being founded."),
            reverse("support:cases"),
        ),
        panel(
            _("Courses running or coming"),
            course_items,
            _("No course is planned."),
            reverse("support:courses"),
        ),
    ]


def inspector_panels(user, today):
    panels = [certificates_expiring(user, today)]
    try:
        from ocophub.compliance import start as compliance_start
    except ImportError:
        return panels
    return panels + compliance_start.panels(user, today)


def panels_for(user, today=None):
    today = today or timezone.localdate()
    role = Role.PROVINCE_OFFICE if user.is_superuser else user.role
    if role == Role.COUNCIL_MEMBER:
        return [sheets_to_score(user)]
    if role == Role.PRODUCER:
        return [
            own_products(user, today),
            dossiers_missing_documents(user),
            batches_of_unpublished(user),
        ]
    if role == Role.COMMUNE_OFFICER:
        return [
            dossiers_to_assess(user),
            producers_to_check(user),
            certificates_expiring(user, today),
        ]
    if role == Role.PROVINCE_OFFICE:
        return [
            dossiers_to_forward(user),
            open_councils(user),
            targets_at_risk(user, today),
            certificates_expiring(user, today),
        ]
    if role == Role.INSPECTOR:
        return inspector_panels(user, today)
    if role == Role.UNION_OFFICER:
        return support_panels(user, today)
    return []


def to_do_count(panels):
    return sum(p["count"] for p in panels)
