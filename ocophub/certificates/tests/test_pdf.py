import datetime
import io
import subprocess

import pypdf
import pytest
import zxingcpp
from PIL import Image

from ocophub.certificates.pdf import certificate_pdf, register_fonts


@pytest.fixture
def cert(honey, issue, settings):
    settings.SITE_URL = "https://ocop.example.vn"
    return issue(
        honey,
        stars=4,
        score=78.5,
        valid_from=datetime.date(2024, 2, 29),
        issued_by="Ủy ban nhân dân tỉnh Hòa Bình",
        decision_number="1234/QĐ-UBND",
    )


def pdf_text(data):
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def render_png(data, tmp_path, dpi=150):
    path = tmp_path / "cert.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    return Image.open(tmp_path / "page.png")


def test_register_fonts_is_idempotent():
    assert register_fonts() == register_fonts()
    assert "DejaVuSerif-Bold" in register_fonts()


def test_pdf_text_has_vietnamese_with_diacritics(cert):
    data = certificate_pdf(cert)
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    text = pdf_text(data)
    assert "Mật ong Thanh An" in text
    assert "Hợp tác xã Thanh An" in text
    assert "GIẤY CHỨNG NHẬN" in text
    assert "ĐẠT 4 SAO" in text
    assert cert.number in text
    assert "1234/QĐ-UBND" in text
    # 29 Feb 2024 + 36 months = 28 Feb 2027, valid to the day before.
    assert "đến hết ngày 27/02/2027" in text


def test_pdf_qr_decodes_to_the_verification_url(cert, tmp_path):
    image = render_png(certificate_pdf(cert), tmp_path)
    results = zxingcpp.read_barcodes(image)
    qr = [r for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert [r.text for r in qr] == [f"https://ocop.example.vn/verify/{cert.number}"]


def test_sample_certificate_is_watermarked(cert):
    cert.is_sample = True
    assert "DỮ LIỆU MẪU" in pdf_text(certificate_pdf(cert))
    cert.is_sample = False
    assert "DỮ LIỆU MẪU" not in pdf_text(certificate_pdf(cert))


def test_long_names_wrap_inside_the_page(cert, tmp_path):
    cert.product.name = "Mật ong hoa rừng nguyên chất thu hoạch thủ công " * 3
    text = pdf_text(certificate_pdf(cert)).replace("\n", " ")
    assert "Mật ong hoa rừng nguyên chất" in text
