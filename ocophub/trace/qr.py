"""QR codes of Digital Link URIs (SVG, PNG) and the printable A4 label sheet."""

import io

import segno
from django.http import HttpResponse
from django.utils.formats import date_format
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from ocophub.certificates.pdf import SANS, SANS_BOLD, draw_qr, register_fonts

MARGIN = 10 * mm


def qr_svg(uri, scale=4):
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=scale, border=4, xmldecl=False)
    return out.getvalue()


def qr_png(uri, scale=8):
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_response(uri, fmt):
    """The QR image of a URI as SVG or PNG, cacheable for a day (the URI never changes)."""
    if fmt == "svg":
        response = HttpResponse(qr_svg(uri), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr_png(uri), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _fit(pdf, text, font, size, width):
    while size > 4 and pdf.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def label_sheet(batch, serials, columns=4, rows=6):
    """An A4 PDF with one label per serial: QR code, product name, lot, serial, date."""
    register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"{batch.product.name} · {batch.lot}")
    page_w, page_h = A4
    cell_w = (page_w - 2 * MARGIN) / columns
    cell_h = (page_h - 2 * MARGIN) / rows
    text_h = 4 * 3.2 * mm
    qr_size = min(cell_w - 4 * mm, cell_h - text_h - 3 * mm)
    per_page = columns * rows
    date = date_format(batch.expiry_date) if batch.expiry_date else ""
    date_label = {"17": "HSD", "15": "SD trước"}.get(batch.date_kind, "")
    for index, serial in enumerate(serials):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        col, row = slot % columns, slot // columns
        x = MARGIN + col * cell_w
        top = page_h - MARGIN - row * cell_h
        pdf.setStrokeGray(0.85)
        pdf.setLineWidth(0.3)
        pdf.rect(x, top - cell_h, cell_w, cell_h, stroke=1, fill=0)
        draw_qr(
            pdf, serial.label_uri, x + (cell_w - qr_size) / 2, top - 1.5 * mm - qr_size, qr_size
        )
        lines = [
            (SANS_BOLD, batch.product.name),
            (SANS, f"Lô/Lot {batch.lot}"),
            (SANS, f"Số/No. {serial.serial}"),
            (SANS, f"{date_label} {date}".strip()),
        ]
        y = top - 2 * mm - qr_size - 3 * mm
        pdf.setFillGray(0)
        for font, text in lines:
            if not text:
                continue
            size = _fit(pdf, text, font, 7, cell_w - 3 * mm)
            pdf.setFont(font, size)
            pdf.drawCentredString(x + cell_w / 2, y, text)
            y -= 3.2 * mm
    if not serials:
        pdf.setFont(SANS, 12)
        pdf.drawString(MARGIN, page_h - MARGIN - 12, "—")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
