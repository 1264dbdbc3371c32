"""The compliance report as an A4 landscape PDF in the user's language: the report
page's tables (one, or all of them), drawn with the DejaVu faces certificates.pdf
registers (ReportLab's own fonts have no Vietnamese glyphs) inside the frame of the
project's documents (`draw_frame`), as the compliance statement is."""

import datetime
import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ocophub.certificates.pdf import RED, SANS, SANS_BOLD, draw_frame, register_fonts

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
    width, height = PAGE
    canvas.saveState()
    draw_frame(canvas, width, height)
    canvas.setFont(SANS, 8)
    canvas.drawString(20 * mm, 18.5 * mm, _("OCOP Hub · compliance report"))
    canvas.drawRightString(width - 20 * mm, 18.5 * mm, _("Page %(n)s") % {"n": doc.page})
    canvas.restoreState()


def report_pdf(
    tables: list[ReportTable], user: Any, start: datetime.date, end: datetime.date
) -> bytes:
    """`tables` as one document; the suspensions' table says its period."""
    register_fonts()
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
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=26 * mm,
        title=_("Compliance report"),
        initialFontName=SANS,
        author=who,
    )
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
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)
    doc.build(story, onFirstPage=_frame, onLaterPages=_frame)
    return out.getvalue()
