"""Every import's page offers the file to fill in (XLSX or CSV), headed in the page's
language by the headers the import reads, with an example row that imports as it is."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ocophub.conftest import current_commune, make_user
from ocophub.core.models import ImportJob
from ocophub.testing.builders import make_course

# core sits below the apps whose imports these are: the test names their roles and
# reaches their records through the pages and the test builders only.
pytestmark = pytest.mark.django_db

# The examples' tax number and GTIN (the producer and product templates' examples).
EXAMPLE_TAX_NUMBER = "5400990015"
EXAMPLE_GTIN = "8931234567897"


def producers(province_officer, make_producer, make_product):
    return "/producers/import/", province_officer


def products(province_officer, make_producer, make_product):
    producer = make_producer()
    producer.registration_number = EXAMPLE_TAX_NUMBER
    producer.save()
    return "/products/import/", province_officer


def batches(province_officer, make_producer, make_product):
    account = make_user("maker", "producer")
    make_product(make_producer(account=account), gtin=EXAMPLE_GTIN)
    return "/trace/batches/import/", account


def attendance(province_officer, make_producer, make_product):
    # A session later than the template's declared example date: the course's own
    # template puts its first session in.
    course = make_course(current_commune(5323), [datetime.date(2025, 3, 10)])
    officer = make_user("union", "union", province=province_officer.province)
    return reverse("support:attendance_import", args=[course.pk]), officer


# (set-up, the Vietnamese and English headers of its first three columns)
IMPORTS = {
    "producers": (
        producers,
        ["Loại hình chủ thể", "Tên chủ thể", "Mã số đăng ký hoặc mã số thuế"],
        ["Kind of producer", "Producer name", "Registration or tax number"],
    ),
    "products": (
        products,
        [
            "Tên sản phẩm",
            "Tên sản phẩm bằng tiếng Anh",
            "Mã số đăng ký hoặc mã số thuế của chủ thể",
        ],
        ["Product name", "Product name in English", "Producer's registration or tax number"],
    ),
    "batches": (
        batches,
        ["Mã GTIN sản phẩm", "Số lô", "Ngày sản xuất"],
        ["Product GTIN", "Lot", "Production date"],
    ),
    "attendance": (
        attendance,
        ["Ngày của buổi học", "Họ và tên", "Điểm danh"],
        ["Session date", "Full name", "Attendance"],
    ),
}


@pytest.fixture(params=IMPORTS)
def an_import(request, client, province_officer, make_producer, make_product):
    set_up, vietnamese, english = IMPORTS[request.param]
    url, user = set_up(province_officer, make_producer, make_product)
    client.force_login(user)
    return url, vietnamese, english


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def test_the_upload_page_links_to_the_template_in_both_formats(client, an_import):
    url, _vi, _en = an_import
    page = client.get(url).content.decode()
    assert 'href="?template=xlsx"' in page and "Tải tệp mẫu (XLSX)" in page
    assert 'href="?template=csv"' in page and "Tải tệp mẫu (CSV)" in page


def test_the_xlsx_template_is_headed_in_vietnamese_with_instructions_beside_it(client, an_import):
    url, vietnamese, _en = an_import
    book = workbook(client.get(url, {"template": "xlsx"}))
    data, notes = book.worksheets
    headers = [c.value for c in data[1]]
    assert headers[:3] == vietnamese
    assert data["A1"].font.bold and data.column_dimensions["A"].width > 10
    assert all(c.value not in (None, "") for c in data[2][:3])  # the example row
    assert notes.title == "Hướng dẫn"
    assert [c.value for c in notes[1]] == ["Cột", "Bắt buộc", "Cách điền"]
    # Every column of the data sheet is explained, in order, with whether it is required.
    assert [row[0].value for row in notes.iter_rows(min_row=2, max_row=len(headers) + 1)] == (
        headers
    )
    assert notes["B2"].value == "Có"


def test_the_english_page_gives_english_headers(client, an_import):
    url, _vi, english = an_import
    client.cookies["django_language"] = "en"
    book = workbook(client.get(url, {"template": "xlsx"}))
    assert [c.value for c in book.worksheets[0][1]][:3] == english
    assert book.worksheets[1].title == "Instructions"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_downloaded_template_imports_its_example_row_as_it_is(client, an_import, fmt, language):
    """Nothing to fix: the example names a commune, producer, product and session that
    exist (the set-up made the producer, product and session the examples refer to)."""
    url, _vi, _en = an_import
    client.cookies["django_language"] = language
    template = client.get(url, {"template": fmt})
    assert template.status_code == 200
    if fmt == "csv":
        assert template.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    file = SimpleUploadedFile(f"template.{fmt}", template.content)
    response = client.post(url, {"file": file})
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert job.problems == [] and job.status == ImportJob.Status.DONE
    assert job.created_count == 1
    assert client.get(reverse("core:import_job", args=[job.pk])).status_code == 200


def test_the_instructions_list_the_values_a_choice_column_takes(client, province_officer):
    client.force_login(province_officer)
    notes = workbook(client.get("/producers/import/", {"template": "xlsx"})).worksheets[1]
    kind = notes["C2"].value
    assert all(v in kind for v in ("cooperative", "coop_group", "enterprise", "household"))
    assert "Hợp tác xã" in kind


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/producers/import/", "producer"),
        ("/products/import/", "buyer"),
        ("/trace/batches/import/", "producer"),  # a producer with no product with a GTIN
        ("attendance", "producer"),
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_who_may_not_import_gets_the_upload_pages_refusal_for_its_template(
    client, phu_tho, url, role, fmt
):
    if url == "attendance":
        course = make_course(current_commune(5323))
        url = reverse("support:attendance_import", args=[course.pk])
    anonymous_page, anonymous_template = client.get(url), client.get(url, {"template": fmt})
    assert anonymous_page.status_code == anonymous_template.status_code == 302
    assert anonymous_template["Location"].startswith("/accounts/login/")
    client.force_login(make_user("someone", role, province=phu_tho))
    assert client.get(url).status_code == 403
    assert client.get(url, {"template": fmt}).status_code == 403
