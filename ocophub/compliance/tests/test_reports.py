"""Compliance reports on the demo codes: by market and approval status with hectares
and producers, by unit as made and as today with the code status, visits due (overdue
first), suspensions over a period with reasons; as a page and as XLSX or CSV, in the
user's scope."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ocophub.accounts import demo as accounts_demo
from ocophub.accounts.models import User
from ocophub.compliance import demo, reports
from ocophub.producers import demo as producers_demo
from ocophub.products import demo as products_demo
from ocophub.trace import demo as trace_demo

D = datetime.date


@pytest.fixture
def inspector_demo(db):
    for module in (accounts_demo, producers_demo, products_demo, trace_demo, demo):
        module.load()
    return User.objects.get(username="inspector")


def test_codes_by_market_count_codes_hectares_and_producers(inspector_demo):
    rows = {
        (r[0], r[1]): r[2:] for r in reports.by_market(inspector_demo, timezone.localdate()).rows
    }
    codes, hectares, producers = rows[("China (CN)", "approved")]
    assert codes == 3 and producers == 3  # Chí Đạo, Yên Phú and the Vụ Bản packing house
    assert 5 < hectares < 8  # the two areas; a packing house has no hectares
    assert rows[("European Union (EU)", "suspended")][0] == 1
    assert rows[("China (CN)", "submitted to the authority")][0] == 1


def test_codes_by_unit_read_in_both_eras(inspector_demo):
    rows = reports.by_unit(inspector_demo, timezone.localdate()).rows
    assert len([r for r in rows if r[2] == "suspended"]) == 1
    chi_dao = next(r for r in rows if r[0].startswith("Xã Chí Đạo"))
    assert "Lạc Sơn" in chi_dao[0]  # the district of before July 2025
    assert "Lạc Sơn" not in chi_dao[1] and chi_dao[1] != "not mapped"  # the commune today
    assert sum(r[3] for r in rows) == 4 and sum(r[4] for r in rows) == 1


def test_visits_due_list_the_overdue_first(inspector_demo):
    day = timezone.localdate()
    rows = reports.visits_due(inspector_demo, day).rows
    assert [r[0] for r in rows] == ["VN-HBOR-0004", "VN-HBOR-0001", "VNHBPH-0001"]
    assert rows[1][4] == 10 and rows[2][4] == 0


def test_suspensions_over_a_period_give_dates_and_reasons(inspector_demo):
    rows = reports.suspensions(inspector_demo, D(2025, 9, 1), D(2025, 9, 30)).rows
    assert {(r[0], r[1], r[2]) for r in rows} == {
        (D(2025, 9, 20), "VN-HBOR-0004", "the code"),
        (D(2025, 9, 20), "VN-HBOR-0004", "approval for EU"),
    }
    assert all("20/09/2025" in r[3] for r in rows)
    assert reports.suspensions(inspector_demo, D(2025, 10, 1), D(2025, 12, 1)).rows == []


def test_the_report_page_and_its_downloads(client, inspector_demo):
    client.force_login(inspector_demo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("compliance:reports")).content.decode()
    for key in ("markets", "units", "visits", "suspensions"):
        assert f'data-report="{key}"' in html
    url = reverse("compliance:report_export", args=["suspensions", "xlsx"])
    response = client.get(url, {"start": "2025-09-01", "end": "2025-09-30"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Date", "Code", "What was suspended"]
    assert len(values) == 3 and values[1][1] == "VN-HBOR-0004"
    csv = client.get(reverse("compliance:report_export", args=["markets", "csv"]))
    assert "China (CN)" in csv.content.decode("utf-8-sig")
    assert (
        client.get(reverse("compliance:report_export", args=["nothing", "csv"])).status_code == 404
    )


def test_reports_are_scoped(client, inspector_demo, other_inspector):
    assert reports.by_market(other_inspector, timezone.localdate()).rows == []
    assert reports.suspensions(other_inspector, D(2025, 1, 1), D(2025, 12, 31)).rows == []
    client.force_login(User.objects.get(username="commune"))  # reads, does not supervise
    assert client.get(reverse("compliance:reports")).status_code == 403


def pdf_text(data):
    import pypdf

    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_whole_report_reads_back_as_a_vietnamese_pdf(client, inspector_demo):
    client.force_login(inspector_demo)
    html = client.get(reverse("compliance:reports")).content.decode()
    url = reverse("compliance:report_export", args=["all", "pdf"])
    assert url in html
    response = client.get(url, {"start": "2025-09-01", "end": "2025-09-30"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "compliance-all-2025-09-01-2025-09-30.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "BÁO CÁO TUÂN THỦ XUẤT KHẨU" in text
    assert "Mã số theo thị trường và trạng thái phê duyệt" in text
    assert "Trung Quốc (CN)" in text
    assert "Từ ngày 01/09/2025 đến ngày 30/09/2025" in text
    assert "VN-HBOR-0004" in text and "20/09/2025" in text  # the suspension and its date
    assert "Lạc Sơn" in text  # the unit as the code was made


def test_one_report_as_pdf_in_english_and_scoped(client, inspector_demo, other_inspector):
    client.force_login(inspector_demo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("compliance:report_export", args=["markets", "pdf"])
    text = pdf_text(client.get(url).content)
    assert "COMPLIANCE REPORT" in text and "China (CN)" in text
    assert "Suspensions" not in text  # only the table asked for
    client.force_login(other_inspector)
    text = pdf_text(client.get(url).content)
    assert "China (CN)" not in text and "Nothing to report." in text
    client.force_login(User.objects.get(username="commune"))
    assert client.get(url).status_code == 403
