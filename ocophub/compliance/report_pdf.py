"""The compliance report as an A4 landscape PDF in the user's language: the report
page's tables (one, or all of them), drawn with the DejaVu faces certificates.pdf
registers (ReportLab's own fonts have no Vietnamese glyphs) inside the frame of the
project's documents (`a4_document`, `framed_page`), as the compliance statement is."""

import datetime
import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
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

from .reports import Table as ReportTable

PAGE = landscape(A4)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return date_format(value)
    if isinstance(value, float):
        return number_format(value, 2)
    return escape(str(value))


def _frame(canvas: Any, doc: Any) -> None:
    framed_page(
        canvas,
        _("OCOP Hub · compliance report"),
        _("Page %(n)s") % {"n": doc.page},
        pagesize=PAGE,
    )


def report_pdf(
    tables: list[ReportTable], user: Any, start: datetime.date, end: datetime.date
) -> bytes:
    """`tables` as one document; the suspensions' table says its period."""
    styles = {
        "title": ParagraphStyle(
            "title", fontName=SANS_BOLD, fontSize=15, leading=19, alignment=1, textColor=RED
        ),
        "h2": ParagraphStyle(
            "h2", fontName=SANS_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
        ),
        "body": ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=12.5),
        "cell": ParagraphStyle("cell", fontName=SANS, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", fontName=SANS_BOLD, fontSize=8.5, leading=10.5),
    }
    who = user.get_full_name() or user.get_username()
    out = io.BytesIO()
    doc = a4_document(out, _("Compliance report"), who, bottom_margin=26 * mm, pagesize=PAGE)
    story: list[Any] = [
        Paragraph(escape(_("COMPLIANCE REPORT")), styles["title"]),
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                _("Made on %(made)s by %(user)s from the records of OCOP Hub, in your scope.")
                % {"made": date_format(timezone.localtime(), "DATETIME_FORMAT"), "user": who}
            ),
            styles["body"],
        ),
    ]
    for table in tables:
        story.append(Paragraph(escape(table.title), styles["h2"]))
        if table.key == "suspensions":
            period = _("From %(start)s to %(end)s.") % {
                "start": date_format(start),
                "end": date_format(end),
            }
            story.append(Paragraph(escape(period), styles["body"]))
            story.append(Spacer(1, 2 * mm))
        if not table.rows:
            story.append(Paragraph(escape(_("Nothing to report.")), styles["body"]))
            continue
        data = [[Paragraph(escape(h), styles["head"]) for h in table.headers]]
        data += [[Paragraph(_cell(v), styles["cell"]) for v in row] for row in table.rows]
        width = (PAGE[0] - 40 * mm) / len(table.headers)
        grid = Table(data, colWidths=[width] * len(table.headers), repeatRows=1, hAlign="LEFT")
        grid.setStyle(TABLE_GRID)
        story.append(grid)
    doc.build(story, onFirstPage=_frame, onLaterPages=_frame)
    return out.getvalue()
