"""The official summary report: a PDF for a unit and a period, in the user's language
(Vietnamese by default), drawn with DejaVu fonts so that every diacritic prints."""

import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

# The certificates app sets up the project's A4 documents, with the DejaVu faces.
from ocophub.certificates.pdf import SANS, SANS_BOLD, TABLE_GRID, a4_document

from . import dashboard as d
from . import progress as p


def period_figures(scope, start):
    """Certificates issued, revoked and expired between `start` and the scope's day."""
    certs = p.certificates_in(scope.unit)
    end = scope.day
    issued = certs.filter(valid_from__gte=start, valid_from__lte=end)
    return [
        (_("Certificates issued"), issued.count()),
        (_("of which 4 and 5 stars"), issued.filter(stars__gte=4).count()),
        (
            _("Certificates revoked"),
            certs.filter(revoked_on__gte=start, revoked_on__lte=end).count(),
        ),
        (
            _("Certificates expired without renewal"),
            certs.filter(
                valid_until__gte=start,
                valid_until__lt=end,
                revoked_on__isnull=True,
                superseded_on__isnull=True,
            ).count(),
        ),
        (_("Products in force at the start"), p.count_on(start, scope.unit)),
        (_("Products in force at the end"), p.count_on(end, scope.unit)),
    ]


def build_pdf(scope, start, author=""):
    styles = {
        "title": ParagraphStyle("title", fontName=SANS_BOLD, fontSize=15, leading=19, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=SANS_BOLD, fontSize=11.5, leading=15, spaceBefore=10),
        "body": ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=12.5),
        "cell": ParagraphStyle("cell", fontName=SANS, fontSize=8.5, leading=10.5),
    }
    out = io.BytesIO()
    # No frame to keep clear of: the report uses more of the page than the others.
    doc = a4_document(
        out,
        _("OCOP programme summary report"),
        author,
        bottom_margin=16 * mm,
        side_margin=18 * mm,
        top_margin=16 * mm,
    )
    story = [
        Paragraph(_("OCOP PROGRAMME SUMMARY REPORT"), styles["title"]),
        Paragraph(
            _("Unit: %(unit)s. Period: %(start)s to %(end)s.")
            % {
                "unit": scope.label,
                "start": date_format(start),
                "end": date_format(scope.day),
            },
            styles["body"],
        ),
        Paragraph(
            _(
                "A product counts on a day only if one of its certificates was valid on "
                "that day: expired, revoked and superseded certificates do not count."
            ),
            styles["body"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("In the period"), styles["h2"]),
        _table(
            [(_("Figure"), pgettext("count", "Number"))] + period_figures(scope, start),
            styles,
            [120, 40],
        ),
    ]
    for table in (
        d.stars_table(scope),
        d.groups_table(scope),
        d.kinds_table(scope),
        d.units_table(scope),
        d.targets_table(scope),
        d.rounds_table(scope),
        d.expiring_table(scope),
    ):
        if not table.rows:
            continue
        story.append(Paragraph(table.title, styles["h2"]))
        if table.shown_rows:
            story.append(_table([table.headers] + table.shown_rows, styles, WIDTHS.get(table.key)))
        if table.zero_rows:
            names = ", ".join(str(r[0]) for r in table.zero_rows)
            story.append(
                Paragraph(
                    _text(
                        _("With none (%(n)s): %(names)s")
                        % {"n": len(table.zero_rows), "names": names}
                    ),
                    styles["body"],
                )
            )
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


# Column widths (mm) of the wider tables; the page is 174 mm wide between margins.
WIDTHS = {
    "targets": [48, 28, 20, 13, 13, 16, 36],
    "expiring": [30, 40, 40, 30, 12, 22],
    "units": [90, 30, 30],
    "rounds": [30, 40, 26, 26, 30, 22],
}


def _table(rows, styles, widths_mm=None):
    data = [[Paragraph(_text(v), styles["cell"]) for v in row] for row in rows]
    widths = [w * mm for w in widths_mm] if widths_mm else None
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TABLE_GRID)
    return table


def _text(value):
    if hasattr(value, "strftime"):
        return date_format(value)
    return escape(str(value if value is not None else ""))


def _footer(canvas, doc):
    canvas.saveState()
    canvas.setFont(SANS, 8)
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page %(n)s") % {"n": doc.page})
    canvas.drawString(18 * mm, 10 * mm, _("OCOP Hub"))
    canvas.restoreState()
