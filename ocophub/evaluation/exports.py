"""The round's results spreadsheet: one row per dossier, then every criterion's scores
(each member's, the council's and the self-assessment)."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ocophub.core.tabular import TextWorkbook

from .classify import classify, council_score
from .models import Criterion, DecisionItem, ScoreSheet


def round_results(round_):
    """The XLSX bytes of the round's results. Members' scores (and the council's figures
    built from them) appear only for dossiers whose council has closed scoring."""
    dossiers = list(
        round_.dossiers.select_related("product__producer", "criteria_set", "council").order_by(
            "product__name"
        )
    )
    criteria = {}
    for criterion in Criterion.objects.filter(
        part__criteria_set__in={d.criteria_set_id for d in dossiers}
    ).select_related("part"):
        criteria.setdefault(criterion.part.criteria_set_id, []).append(criterion)
    # A member's scores show only once their council has closed scoring: before that,
    # one member's sheet would be read while the others are still scoring.
    council_of = {d.pk: d.council_id for d in dossiers if d.council and d.council.scoring_closed_at}
    sheets = {}
    for sheet in (
        ScoreSheet.objects.filter(dossier__round=round_, submitted_at__isnull=False)
        .select_related("member__user")
        .order_by("member__user__last_name", "member__user__first_name", "pk")
    ):
        # Only the sheets of the council now reviewing the dossier count.
        if sheet.member.council_id == council_of.get(sheet.dossier_id):
            sheets.setdefault(sheet.dossier_id, []).append(sheet)
    items = {
        i.dossier_id: i
        for i in DecisionItem.objects.filter(
            dossier__round=round_, decision__issued_at__isnull=False
        )
        .select_related("decision", "certificate")
        .order_by("decision__issued_at")
    }
    book = TextWorkbook(write_only=True)
    summary = book.create_sheet(_("Results")[:31])
    summary.append(
        [
            _("Product"),
            _("Producer"),
            pgettext("dossier", "Kind"),
            _("Criteria set"),
            _("Status"),
            _("Council total"),
            _("Stars"),
            _("Achieved"),
            _("Decision"),
            _("Certificate"),
        ]
    )
    # One row per dossier and criterion, one column per member: the members' scores
    # side by side, as the council compares them.
    seats = []
    for own in sheets.values():
        for sheet in own:
            if sheet.member not in seats:
                seats.append(sheet.member)
    detail = book.create_sheet(_("Scores")[:31])
    detail.append(
        [
            _("Product"),
            _("Part"),
            _("Criterion"),
            _("Wording"),
            _("Maximum"),
            _("Self-assessment"),
            *[str(seat) for seat in seats],
            _("Council score"),
            _("Divergence"),
        ]
    )
    for dossier in dossiers:
        set_criteria = criteria.get(dossier.criteria_set_id, [])
        own = sheets.get(dossier.pk, [])
        combined = council_score(dossier, own, [c.code for c in set_criteria])
        result = (
            classify(
                dossier.criteria_set, combined.per_criterion, {c.code: c for c in set_criteria}
            )
            if combined.sheets
            else None
        )
        item = items.get(dossier.pk)
        summary.append(
            [
                dossier.product.name,
                dossier.product.producer.name,
                dossier.get_kind_display(),
                dossier.criteria_set.code,
                dossier.get_status_display(),
                float(combined.total) if combined.sheets else None,
                result.stars if result else None,
                (_("yes") if result.achieved else _("no")) if result else None,
                item.decision.number if item else "",
                item.certificate.number if item and item.certificate else "",
            ]
        )
        for criterion in set_criteria:
            code = criterion.code
            base = [
                dossier.product.name,
                criterion.part.code,
                code,
                criterion.text,
                float(criterion.max_points),
                dossier.self_assessment.get(code),
            ]
            council = (
                float(combined.per_criterion[code]) if code in combined.per_criterion else None
            )
            flag = _("yes") if code in combined.diverging else ""
            by_seat = {sheet.member_id: sheet.scores.get(code) for sheet in own}
            detail.append(base + [by_seat.get(seat.pk) for seat in seats] + [council, flag])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
