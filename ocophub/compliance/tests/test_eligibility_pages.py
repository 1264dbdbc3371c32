"""The export check as a page for inspectors, the provincial office and producers: the
answer with its reasons in plain words, in Vietnamese by default, and the dated
statement as a PDF whose Vietnamese text reads back; nobody sees another's batches."""

import datetime
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from ocophub.accounts.models import Role
from ocophub.compliance.inspections import FindingIn, record_inspection
from ocophub.conftest import make_user

from . import consignment

PAGE = reverse("compliance:eligibility")
PDF = reverse("compliance:statement")
D = datetime.date


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def ask(client, batches=(), links="", market="CN", day="2025-08-01", url=PAGE):
    return client.get(
        url, {"batches": [b.pk for b in batches], "links": links, "market": market, "date": day}
    )


def pdf_text(data, tmp_path):
    path = tmp_path / "statement.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    import pypdf  # the same reading the certificate tests fall back on

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def test_a_producer_picks_its_batch_and_sees_it_is_eligible(client, shipment, producer_account):
    client.force_login(producer_account)
    english(client)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert b"May this consignment be exported?" in page.content
    assert f'value="{shipment.salt.pk}"'.encode() in page.content
    response = ask(client, [shipment.salt])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-eligible="yes"' in html
    assert "VN-HBOR-0100" in html and "VNHBPH-0001" in html
    assert "statement.pdf?" in html


def test_reasons_are_shown_in_vietnamese_by_default(client, shipment, inspector):
    record_inspection(shipment.area, inspector, D(2025, 7, 20), [FindingIn("pest", "critical")])
    client.force_login(inspector)
    response = ask(client, links=shipment.salt.label_uri)
    html = response.content.decode()
    assert 'data-eligible="no"' in html
    assert 'data-code="approval_suspended"' in html
    assert "bị tạm đình chỉ" in html
    assert "Không đủ điều kiện" in html


def test_a_link_outside_the_users_scope_is_refused_in_plain_words(
    client, shipment, other_inspector
):
    client.force_login(other_inspector)
    english(client)
    response = ask(client, links=shipment.salt.digital_link)
    html = response.content.decode()
    assert "No batch you may see is" in html
    assert "data-eligible" not in html
    # ... and the batch is not offered to choose either.
    assert f'value="{shipment.salt.pk}"' not in client.get(PAGE).content.decode()
    assert ask(client, links=str(shipment.salt.pk), url=PDF).status_code == 400


def test_roles_outside_compliance_get_403_and_anonymous_users_sign_in(client, commune_officer):
    client.force_login(commune_officer)
    assert client.get(PAGE).status_code == 403
    client.logout()
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_the_statement_pdf_reads_back_in_vietnamese(client, shipment, inspector, tmp_path):
    client.force_login(inspector)
    response = ask(client, [shipment.salt], market="JP", url=PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "eligibility-JP-2025-08-01.pdf" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "BẢN XÁC NHẬN ĐIỀU KIỆN XUẤT KHẨU" in text
    assert "Muối hạt dổi · MD-2025-01" in text
    assert "Nhật Bản (JP)" in text
    assert "Không đủ điều kiện" in text
    assert "không có phê duyệt của thị trường JP" in text
    assert "dữ liệu mẫu" in text


def test_the_nav_offers_the_check_to_whom_may_use_it(client, producer_account, commune_officer):
    client.force_login(producer_account)
    assert PAGE.encode() in client.get(reverse("trace:batches")).content
    union = make_user("union", Role.UNION_OFFICER)
    client.force_login(union)
    assert PAGE.encode() not in client.get("/").content
