"""The dated compliance statement: the eligibility answer as an A4 PDF in the user's
language, drawn with the DejaVu faces certificates.pdf registers (ReportLab's own fonts
have no Vietnamese glyphs), the frame of the project's documents (`draw_frame`)."""

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from ocophub.certificates.pdf import (
    RED,
    SANS,
    SANS_BOLD,
    TABLE_GRID,
    a4_document,
    framed_page,
)
from ocophub.core.i18n import page_name

from .eligibility import Eligibility, lists_in_force


def _text(value: Any) -> str:
    return escape(str(value if value is not None else ""))


def _frame(canvas: Any, doc: Any) -> None:
    framed_page(
        canvas, _("OCOP Hub · export compliance statement"), _("Page %(n)s") % {"n": doc.page}
    )


def statement_pdf(result: Eligibility, user: Any) -> bytes:
    styles = {
        "title": ParagraphStyle(
            "title", fontName=SANS_BOLD, fontSize=15, leading=19, alignment=1, textColor=RED
        ),
        "h2": ParagraphStyle("h2", fontName=SANS_BOLD, fontSize=11, leading=14, spaceBefore=8),
        "body": ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=12.5),
        "verdict": ParagraphStyle(
            "verdict", fontName=SANS_BOLD, fontSize=12, leading=16, spaceBefore=6, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", fontName=SANS, fontSize=8.5, leading=10.5),
    }
    market = f"{page_name(result.market)} ({result.market.code})"
    out = io.BytesIO()
    doc = a4_document(
        out,
        _("Export compliance statement"),
        user.get_full_name() or user.get_username(),
        bottom_margin=26 * mm,
    )
    made = timezone.localtime()
    story: list[Any] = [
        Paragraph(_text(_("EXPORT COMPLIANCE STATEMENT")), styles["title"]),
        Spacer(1, 4 * mm),
        Paragraph(
            _text(
                _("Market: %(market)s. Checked as of %(day)s.")
                % {"market": market, "day": date_format(result.day)}
            ),
            styles["body"],
        ),
        Paragraph(
            _text(
                _("Made on %(made)s by %(user)s from the records of OCOP Hub.")
                % {
                    "made": date_format(made, "DATETIME_FORMAT"),
                    "user": user.get_full_name() or user.get_username(),
                }
            ),
            styles["body"],
        ),
    ]
    if result.eligible:
        verdict = _("Eligible: the consignment meets every condition checked for %(market)s.")
        colour = "#1e7b34"
    else:
        verdict = _("Not eligible for %(market)s: %(n)s reason(s) below.")
        colour = "#b3261e"
    story.append(
        Paragraph(
            f'<font color="{colour}">'
            f"{_text(verdict % {'market': market, 'n': len(result.reasons)})}</font>",
            styles["verdict"],
        )
    )
    story.append(Paragraph(_text(_("Batches and what they came through")), styles["h2"]))
    rows = [[_("Batch"), _("Made from"), _("Growing areas"), _("Packing facilities")]]
    for trail in result.trails:
        rows.append(
            [
                f"{page_name(trail.batch.product)} · {trail.batch.lot}",
                ", ".join(b.lot for b in trail.batches[1:]) or "—",
                ", ".join(a.code for a in trail.areas) or "—",
                ", ".join(f.code for f in trail.facilities) or "—",
            ]
        )
    table = Table(
        [[Paragraph(_text(v), styles["cell"]) for v in row] for row in rows],
        colWidths=[52 * mm, 36 * mm, 41 * mm, 41 * mm],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(TABLE_GRID)
    story.append(table)
    if result.reasons:
        story.append(Paragraph(_text(_("Reasons")), styles["h2"]))
        for n, reason in enumerate(result.reasons, 1):
            story.append(
                Paragraph(
                    _text(f"{n}. {reason.batch.lot}: {reason.message}"),
                    styles["body"],
                )
            )
    story.append(Paragraph(_text(_("What was checked")), styles["h2"]))
    story.append(
        Paragraph(
            _text(
                _(
                    "Each batch was followed back through the batches it was made from to the "
                    "harvests of growing areas and to the packing facilities where it was "
                    "recorded. On the date: codes in use and approved for the market and "
                    "product, no banned active ingredient in the season's diary, pre-harvest "
                    "intervals respected, harvests within the declared yield."
                )
            ),
            styles["body"],
        )
    )
    if lists_in_force(result.market, result.day).filter(sample=True).exists():
        story.append(Spacer(1, 2 * mm))
        story.append(
            Paragraph(
                _text(
                    _(
                        "Some substance lists used are sample data, not the official lists: "
                        "this statement is not valid for an authority until the office imports "
                        "them."
                    )
                ),
                styles["body"],
            )
        )
    doc.build(story, onFirstPage=_frame, onLaterPages=_frame)
    return out.getvalue()
