"""Completion letters (giấy chứng nhận hoàn thành khóa học) as an A4 PDF, one page per
person, drawn with the project's Vietnamese fonts (certificates.pdf.register_fonts)."""

import io

from django.utils.formats import date_format
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from ocophub.certificates.pdf import (
    RED,
    SERIF,
    SERIF_BOLD,
    SERIF_ITALIC,
    centred_lines,
    draw_frame,
    draw_national_motto,
    register_fonts,
)


def _lines(pdf, text, font, size, y, width, centre):
    return centred_lines(pdf, text, font, size, y, width, centre, leading=size * 1.4)


def completion_letters_pdf(course, people):
    """PDF bytes: a letter for each of `people`, who completed `course`."""
    register_fonts()
    width, height = A4
    centre, text_width = width / 2, width - 50 * mm
    organiser = course.organiser or "Hội Nông dân"
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"Giấy chứng nhận hoàn thành khóa học — {course.topic}")
    pdf.setAuthor(organiser)
    for person in people:
        draw_frame(pdf, width, height)
        y = draw_national_motto(pdf, centre, height - 32 * mm) - 16 * mm
        y = _lines(pdf, organiser.upper(), SERIF_BOLD, 12, y, text_width, centre)
        y -= 12 * mm
        pdf.setFillColor(RED)
        pdf.setFont(SERIF_BOLD, 24)
        pdf.drawCentredString(centre, y, "GIẤY CHỨNG NHẬN")
        y -= 10 * mm
        pdf.setFont(SERIF_BOLD, 15)
        pdf.drawCentredString(centre, y, "HOÀN THÀNH KHÓA TẬP HUẤN")
        pdf.setFillColor(black)
        y -= 18 * mm
        pdf.setFont(SERIF, 13)
        pdf.drawCentredString(centre, y, "Chứng nhận ông/bà")
        y -= 11 * mm
        pdf.setFillColor(RED)
        y = _lines(pdf, person.full_name, SERIF_BOLD, 20, y, text_width, centre)
        pdf.setFillColor(black)
        y -= 6 * mm
        y = _lines(pdf, "đã hoàn thành khóa tập huấn", SERIF, 13, y, text_width, centre)
        y = _lines(pdf, f"“{course.topic}”", SERIF_BOLD, 15, y - 2 * mm, text_width, centre)
        y -= 4 * mm
        y = _lines(
            pdf,
            f"từ ngày {date_format(course.starts_on)} đến ngày {date_format(course.ends_on)}"
            + (f", tại {course.place}" if course.place else ""),
            SERIF,
            12.5,
            y,
            text_width,
            centre,
        )
        if course.trainer:
            y = _lines(pdf, f"Giảng viên: {course.trainer}", SERIF, 12, y, text_width, centre)
        pdf.setFont(SERIF_ITALIC, 11.5)
        pdf.drawString(width - 95 * mm, 60 * mm, f"Ngày {date_format(course.ends_on)}")
        pdf.setFont(SERIF_BOLD, 11.5)
        for i, line in enumerate(simpleSplit(organiser, SERIF_BOLD, 11.5, 70 * mm)):
            pdf.drawString(width - 95 * mm, 53 * mm - i * 5.5 * mm, line)
        pdf.showPage()
    pdf.save()
    return out.getvalue()
