"""The certificate document: an A4 PDF in Vietnamese with a QR code to its verification page.

`register_fonts()` is the reusable part: ReportLab's built-in fonts have no Vietnamese
glyphs (ư, ơ, ạ, ể ... come out as boxes), so every PDF in the project should draw with
the DejaVu fonts it registers. The project's other A4 documents are set up by
`a4_document`, framed and footed by `framed_page`, their tables ruled by `TABLE_GRID`.
"""

import io
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import SimpleDocTemplate, TableStyle

FONT_FILES = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSerif": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic": "DejaVuSerif-Italic.ttf",
}
SANS, SANS_BOLD = "DejaVuSans", "DejaVuSans-Bold"
SERIF, SERIF_BOLD, SERIF_ITALIC = "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"

RED = Color(0.70, 0.09, 0.09)
GOLD = Color(0.80, 0.60, 0.05)


def font_dir():
    return Path(settings.PDF_FONT_DIR)


def register_fonts():
    """Register the DejaVu fonts with ReportLab (idempotent) and return their names.

    Families are set up so that `<b>` and `<i>` in Paragraphs pick the right face.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FONT_FILES.items():
        if name in registered:
            continue
        path = font_dir() / filename
        if not path.exists():
            raise ImproperlyConfigured(
                f"Font {path} is missing: install fonts-dejavu-core or set PDF_FONT_DIR."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD)
    pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC)
    return list(FONT_FILES)


def draw_qr(pdf, data, x, y, size):
    """Draw `data` as a QR code, vector squares (sharp in print), with its quiet zone,
    lower-left corner at (x, y)."""
    qr = segno.make(data, error="m")
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    cell = size / len(matrix)
    pdf.setFillColor(white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColor(black)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                # A hair of overlap keeps renderers from drawing seams between cells.
                pdf.rect(x + c * cell, y + size - (r + 1) * cell, cell + 0.1, cell + 0.1, 0, 1)


def draw_frame(pdf, width, height):
    """The frame of the project's documents: a red outer border and a thin gold inner one."""
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(1)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)


def draw_national_motto(pdf, centre, y):
    """The state's name and motto, underlined, as Vietnamese official documents open;
    the first line's baseline at `y`. Returns the motto's baseline."""
    pdf.setFillColor(black)
    pdf.setFont(SERIF_BOLD, 12)
    pdf.drawCentredString(centre, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    y -= 6 * mm
    pdf.setFont(SERIF_BOLD, 11.5)
    pdf.drawCentredString(centre, y, "Độc lập – Tự do – Hạnh phúc")
    pdf.setLineWidth(0.6)
    pdf.setStrokeColor(black)
    pdf.line(centre - 32 * mm, y - 2 * mm, centre + 32 * mm, y - 2 * mm)
    return y


def a4_document(
    out,
    title,
    author,
    font=SANS,
    bottom_margin=24 * mm,
    pagesize=A4,
    side_margin=20 * mm,
    top_margin=22 * mm,
):
    """A flowing A4 document of the project, written to `out`: the fonts registered,
    margins inside the frame, and every page starting in `font` (else in Helvetica,
    which has no Vietnamese). `pagesize=landscape(A4)` turns it for wide tables."""
    register_fonts()
    return SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=side_margin,
        rightMargin=side_margin,
        topMargin=top_margin,
        bottomMargin=bottom_margin,
        title=title,
        author=author,
        initialFontName=font,
    )


def framed_page(pdf, what, page, font=SANS, pagesize=A4):
    """Draw a page of an `a4_document` (in its onPage): the frame and, at its foot, what
    the document is on the left and the page on the right. `pagesize` is the document's."""
    width, height = pagesize
    pdf.saveState()
    draw_frame(pdf, width, height)
    pdf.setFont(font, 8)
    pdf.drawString(20 * mm, 18.5 * mm, what)
    pdf.drawRightString(width - 20 * mm, 18.5 * mm, page)
    pdf.restoreState()


# The rules of a table in an `a4_document`: a grey grid, the heading row shaded. Its
# cells are Paragraphs, but a table still sets its FONTNAME (Helvetica unless told) on
# the page, which puts a font without Vietnamese into the PDF.
TABLE_GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def centred_lines(pdf, text, font, size, y, width, centre, leading=None):
    """`text` wrapped to `width`, each line centred; returns the baseline below the last."""
    leading = leading or size * 1.3
    for line in simpleSplit(text, font, size, width):
        pdf.setFont(font, size)
        pdf.drawCentredString(centre, y, line)
        y -= leading
    return y


def _number(value):
    # Vietnamese writes a decimal comma: 78,5 điểm.
    return f"{value:g}".replace(".", ",")


def _date(day):
    return date_format(day)


def certificate_pdf(certificate):
    """The certificate as PDF bytes."""
    register_fonts()
    product = certificate.product
    producer = product.producer
    width, height = A4
    centre = width / 2
    text_width = width - 50 * mm

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"Giấy chứng nhận sản phẩm OCOP {certificate.number} — {product.name}")
    pdf.setAuthor(certificate.issued_by)
    pdf.setSubject("Chứng nhận sản phẩm OCOP (Chương trình Mỗi xã một sản phẩm)")

    draw_frame(pdf, width, height)
    y = draw_national_motto(pdf, centre, height - 32 * mm)

    y -= 14 * mm
    y = centred_lines(pdf, certificate.issued_by.upper(), SERIF_BOLD, 12, y, text_width, centre)

    y -= 10 * mm
    pdf.setFillColor(RED)
    pdf.setFont(SERIF_BOLD, 26)
    pdf.drawCentredString(centre, y, "GIẤY CHỨNG NHẬN")
    y -= 11 * mm
    pdf.setFont(SERIF_BOLD, 17)
    pdf.drawCentredString(centre, y, f"SẢN PHẨM OCOP ĐẠT {certificate.stars} SAO")
    y -= 13 * mm
    pdf.setFillColor(GOLD)
    pdf.setFont(SANS, 30)
    pdf.drawCentredString(centre, y, "★" * certificate.stars)

    y -= 12 * mm
    pdf.setFillColor(black)
    pdf.setFont(SERIF, 12)
    pdf.drawCentredString(centre, y, f"Số: {certificate.number}")
    if certificate.decision_number:
        y -= 6.5 * mm
        pdf.setFont(SERIF_ITALIC, 11)
        pdf.drawCentredString(centre, y, f"(Kèm theo Quyết định số {certificate.decision_number})")

    y -= 14 * mm
    pdf.setFont(SERIF, 13)
    pdf.drawCentredString(centre, y, "Chứng nhận sản phẩm")
    y -= 11 * mm
    pdf.setFillColor(RED)
    y = centred_lines(pdf, product.name, SERIF_BOLD, 22, y, text_width, centre, 9.5 * mm)
    pdf.setFillColor(black)

    y -= 4 * mm
    pdf.setFont(SERIF, 12.5)
    pdf.drawCentredString(centre, y, "của chủ thể")
    y -= 8 * mm
    y = centred_lines(pdf, producer.name, SERIF_BOLD, 15, y, text_width, centre)
    y = centred_lines(
        pdf, f"Địa chỉ: {producer.commune.full_name()}", SERIF, 11.5, y, text_width, centre
    )

    y -= 6 * mm
    if certificate.score is not None:
        pdf.setFont(SERIF, 12.5)
        pdf.drawCentredString(centre, y, f"Điểm đánh giá: {_number(certificate.score)}/100")
        y -= 8 * mm
    y = centred_lines(
        pdf,
        f"đạt hạng {certificate.stars} sao theo Chương trình Mỗi xã một sản phẩm (OCOP).",
        SERIF,
        12.5,
        y,
        text_width,
        centre,
    )
    y -= 4 * mm
    pdf.setFont(SERIF_BOLD, 12.5)
    pdf.drawCentredString(
        centre,
        y,
        f"Có giá trị từ ngày {_date(certificate.valid_from)} "
        f"đến hết ngày {_date(certificate.valid_until)}",
    )

    # The QR code and how to use it, bottom right; the issue date and issuer bottom left.
    qr_size = 38 * mm
    qr_x, qr_y = width - 25 * mm - qr_size, 36 * mm
    url = certificate.verification_url
    draw_qr(pdf, url, qr_x, qr_y, qr_size)
    pdf.setFont(SANS, 8)
    pdf.drawCentredString(qr_x + qr_size / 2, qr_y - 3.5 * mm, "Quét mã để kiểm tra hiệu lực")

    left = 25 * mm
    pdf.setFont(SERIF_ITALIC, 11.5)
    pdf.drawString(left, qr_y + qr_size - 6 * mm, f"Ngày {_date(certificate.valid_from)}")
    pdf.setFont(SERIF_BOLD, 11.5)
    lines = simpleSplit(certificate.issued_by, SERIF_BOLD, 11.5, width - qr_size - 70 * mm)
    for i, line in enumerate(lines):
        pdf.drawString(left, qr_y + qr_size - 13 * mm - i * 5.5 * mm, line)

    pdf.setFillColor(Color(0.35, 0.35, 0.35))
    pdf.setFont(SANS, 7.5)
    pdf.drawCentredString(
        centre,
        24 * mm,
        "Hiệu lực hiện tại (còn hạn, hết hạn, bị thu hồi, được thay thế) tra cứu tại:",
    )
    url_size = 7.5
    while pdfmetrics.stringWidth(url, SANS, url_size) > text_width and url_size > 4:
        url_size -= 0.5
    pdf.setFont(SANS, url_size)
    pdf.drawCentredString(centre, 20 * mm, url)
    if certificate.is_sample:
        pdf.setFillColor(Color(0.8, 0.1, 0.1, alpha=0.25))
        pdf.setFont(SANS_BOLD, 40)
        pdf.saveState()
        pdf.translate(centre, height / 2)
        pdf.rotate(35)
        pdf.drawCentredString(0, 0, "DỮ LIỆU MẪU")
        pdf.restoreState()

    pdf.showPage()
    pdf.save()
    return out.getvalue()


def pdf_response(cert):
    """The certificate's PDF, shown in the browser, named by its number."""
    response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="OCOP-certificate-{cert.number}.pdf"'
    return response
