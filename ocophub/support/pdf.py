"""The union's PDFs, drawn with the project's Vietnamese fonts and document frame
(certificates.pdf): completion letters (giấy chứng nhận hoàn thành khóa học), one page
per person, and the union's report of figures by unit and period."""

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Spacer, Table

from ocophub.certificates.pdf import (
    RED,
    SERIF,
    SERIF_BOLD,
    SERIF_ITALIC,
    TABLE_GRID,
    a4_document,
    centred_lines,
    draw_frame,
    draw_national_motto,
    framed_page,
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


# --------------------------------------------------------------------------- report

STYLES = {
    "title": ParagraphStyle(
        "title", fontName=SERIF_BOLD, fontSize=14, leading=18, alignment=1, textColor=RED
    ),
    "sub": ParagraphStyle("sub", fontName=SERIF, fontSize=11, leading=14, alignment=1),
    "h2": ParagraphStyle(
        "h2",
        fontName=SERIF_BOLD,
        fontSize=11.5,
        leading=14,
        spaceBefore=7,
        spaceAfter=3,
        keepWithNext=True,
    ),
    "note": ParagraphStyle("note", fontName=SERIF_ITALIC, fontSize=9, leading=11.5),
    "cell": ParagraphStyle("cell", fontName=SERIF, fontSize=8.5, leading=10.5),
    "head": ParagraphStyle("head", fontName=SERIF_BOLD, fontSize=8.5, leading=10.5),
}
# Short column heads of the by-unit table, in the order of progress.figures.
UNIT_COLUMNS = [
    ("cooperatives_founded", "HTX thành lập"),
    ("cooperative_members", "Thành viên HTX"),
    ("groups_founded", "THT thành lập"),
    ("group_members", "Thành viên THT"),
    ("courses", "Lớp tập huấn"),
    ("participations", "Lượt người"),
    ("participants", "Số người"),
    ("products_listed", "Sản phẩm lên sàn"),
]


def _p(text: Any, style: str = "cell") -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "")), STYLES[style])


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    cells = [[_p(v, "head") for v in rows[0]]] + [[_p(v) for v in row] for row in rows[1:]]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TABLE_GRID)
    return table


def _n(value: int) -> str:
    # Vietnamese groups thousands with a dot: 66.000.
    return f"{value:,}".replace(",", ".")


def union_report_pdf(report: dict[str, Any]) -> bytes:
    """PDF bytes of the union's report (reports.report_data, made in Vietnamese): the
    computed figures, the breakdowns in participations and in distinct people, the
    figures by unit, then the reported totals apart, never added in."""
    width, height = A4
    scope = report["scope"]
    out = io.BytesIO()

    def first_page(pdf: Any, doc: Any) -> None:
        pdf.saveState()
        draw_national_motto(pdf, width / 2, height - 28 * mm)
        pdf.restoreState()
        later_pages(pdf, doc)

    def later_pages(pdf: Any, doc: Any) -> None:
        what = f"Báo cáo của Hội Nông dân · {report['unit_name']}"
        framed_page(pdf, what, f"Trang {doc.page}", font=SERIF)

    doc = a4_document(
        out,
        f"Báo cáo kết quả hỗ trợ của Hội Nông dân — {report['unit_name']}",
        "Hội Nông dân",
        font=SERIF,
    )
    period = f"từ ngày {date_format(scope.start)} đến ngày {date_format(scope.end)}"
    story: list[Any] = [
        Spacer(1, 18 * mm),
        _p("BÁO CÁO KẾT QUẢ HỖ TRỢ CỦA HỘI NÔNG DÂN", "title"),
        _p("Thành lập hợp tác xã, tổ hợp tác; tập huấn; đưa sản phẩm lên sàn", "sub"),
        Spacer(1, 2 * mm),
        _p(
            f"Địa bàn: {report['unit_name']} · đơn vị hành chính {report['era_label'].lower()}",
            "sub",
        ),
        _p(f"Kỳ báo cáo: {period}", "sub"),
        _p("I. Số liệu tính từ hồ sơ", "h2"),
        _table(
            [["Chỉ tiêu", "Số liệu"]] + [[label, _n(v)] for _k, label, v in report["computed"]],
            [130 * mm, 40 * mm],
        ),
        _p(
            "Tổ chức đăng ký trong kỳ, với thành viên vào ngày cuối kỳ; lớp bắt đầu trong kỳ; "
            "sản phẩm có tin đang bán đăng trong kỳ. Lượt người: mỗi người tính một lần cho "
            "mỗi lớp; số người: mỗi người tính một lần dù học nhiều lớp.",
            "note",
        ),
    ]
    for title, rows in report["breakdowns"]:
        story.append(_p(title, "h2"))
        story.append(
            _table(
                [["", "Lượt người", "Số người (không trùng)"]]
                + [[r["label"], _n(r["participations"]), _n(r["participants"])] for r in rows]
                + ([] if rows else [["Không có người dự trong kỳ.", "", ""]]),
                [90 * mm, 40 * mm, 40 * mm],
            )
        )
    story.append(_p("II. Số liệu theo đơn vị", "h2"))
    if report["by_unit"]:
        head = ["Đơn vị"] + [h for _k, h in UNIT_COLUMNS]
        body = [[name] + [_n(got[k]) for k, _h in UNIT_COLUMNS] for name, got in report["by_unit"]]
        total = ["Cả địa bàn"] + [_n(report["totals"][k]) for k, _h in UNIT_COLUMNS]
        story.append(_table([head, *body, total], [34 * mm] + [17 * mm] * len(UNIT_COLUMNS)))
        story.append(
            _p(
                "Dòng “Cả địa bàn” là số liệu của cả đơn vị, không phải tổng các dòng: "
                "hồ sơ của một xã hợp nhất từ nhiều đơn vị cũ không tách được, chỉ tính vào "
                "cả địa bàn.",
                "note",
            )
        )
    else:
        story.append(_p("Không có đơn vị cấp dưới có hồ sơ trong kỳ.", "note"))
    story.append(_p("III. Số liệu đã báo cáo (không cộng vào số liệu tính từ hồ sơ)", "h2"))
    reported = [
        [
            r.label,
            _n(r.value),
            f"{date_format(r.period_from)} – {date_format(r.period_to)}",
            r.source,
        ]
        for r in report["reported"]
    ]
    story.append(
        _table(
            [["Chỉ tiêu", "Số liệu", "Kỳ", "Nguồn"]]
            + (reported or [["Không có cho địa bàn và kỳ này.", "", "", ""]]),
            [62 * mm, 20 * mm, 40 * mm, 48 * mm],
        )
    )
    made = date_format(timezone.localtime(), "DATETIME_FORMAT")
    story += [Spacer(1, 4 * mm), _p(f"Lập ngày {made} từ hồ sơ của OCOP Hub.", "note")]
    doc.build(story, onFirstPage=first_page, onLaterPages=later_pages)
    return out.getvalue()
