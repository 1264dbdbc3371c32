"""Producer import through the web page: all rows or none, with a row-by-row report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from stdnum.vn import mst

from ocophub.core.models import ImportJob
from ocophub.core.tests.test_i18n import reset_translation_caches
from ocophub.producers.models import Producer
from ocophub.testing.files import csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = ["kind", "name", "registration_number", "representative", "commune_code", "founded_on"]


def tax_number(n):
    """The n-th valid 10-digit tax number of a made-up series (some bodies have none)."""
    found = 0
    for body in range(580000000, 590000000):
        number = f"{body}{mst.calc_check_digit(str(body))}"
        if mst.is_valid(number):
            found += 1
            if found == n:
                return number


def good_rows():
    return [
        [
            "cooperative",
            "Hợp tác xã Thanh An",
            tax_number(1),
            "Bùi Văn An",
            "legacy:5275",
            "2018-03-01",
        ],
        ["coop_group", "Tổ hợp tác Gà Ri", "012345678901", "Bùi Thị Hoa", "legacy:5323", ""],
        [
            "household",
            "Hộ kinh doanh Quách Văn Đức",
            tax_number(3),
            "Quách Văn Đức",
            "5323",
            "15/06/2020",
        ],
    ]


def csv_file(rows, header=HEADER, name="producers.csv"):
    return csv_upload(rows, header, name)


def xlsx_file(rows, header=HEADER, name="producers.xlsx"):
    return xlsx_upload(rows, header, name)


def upload(client, file):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = client.post("/producers/import/", {"file": file})
    assert response.status_code == 302, response.content
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    return job, client.get(response["Location"])


@pytest.fixture
def officer_client(client, province_officer):
    client.force_login(province_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_good_file_imports_every_row(officer_client, make_file):
    job, page = upload(officer_client, make_file(good_rows()))
    assert job.status == ImportJob.Status.DONE and job.created_count == 3
    assert "3 records imported." in page.content.decode()
    thanh_an = Producer.objects.get(name="Hợp tác xã Thanh An")
    assert thanh_an.commune.name == "Xã Mỹ Thành" and str(thanh_an.founded_on) == "2018-03-01"
    household = Producer.objects.get(name="Hộ kinh doanh Quách Văn Đức")
    assert household.commune.ref == "current:5323" and str(household.founded_on) == "2020-06-15"
    # Audit history records who imported it.
    assert thanh_an.history.first().history_user.username == "province"


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_one_bad_row_stores_nothing_and_names_row_and_column(officer_client, make_file):
    rows = good_rows()
    bad_number = rows[1][2] = tax_number(2)[:-1] + str((int(tax_number(2)[-1]) + 1) % 10)
    rows.insert(2, ["enterprise", "Công ty Lạ", tax_number(4), "Nguyễn Văn B", "legacy:99999", ""])
    job, page = upload(officer_client, make_file(rows))
    assert Producer.objects.count() == 0
    assert job.status == ImportJob.Status.FAILED
    problems = {(p["row"], p["field"]): p["message"] for p in job.problems}
    assert set(problems) == {(3, "registration_number"), (4, "commune_code")}
    assert bad_number in problems[(3, "registration_number")]
    assert "check digit" in problems[(3, "registration_number")]
    assert "Unknown commune “legacy:99999”" in problems[(4, "commune_code")]
    html = page.content.decode()
    assert "Nothing was stored" in html and "fails its check digit" in html


def test_duplicates_in_the_file_and_in_the_registry_are_reported(officer_client, make_producer):
    existing = make_producer()
    rows = good_rows()
    rows.append(["cooperative", "HTX trùng", rows[0][2], "A", "legacy:5275", ""])
    rows.append(["cooperative", "HTX đã có", existing.registration_number, "B", "legacy:5275", ""])
    job, _page = upload(officer_client, csv_file(rows))
    assert job.status == ImportJob.Status.FAILED
    fields = {(p["row"], p["field"]) for p in job.problems}
    assert fields == {(5, "registration_number"), (6, "registration_number")}
    assert "repeats row 2" in job.problems[0]["message"]
    assert Producer.objects.count() == 1


def test_invalid_values_each_get_a_message(officer_client):
    rows = [
        ["cooperative", "HTX A", "12345", "A", "legacy:5275", ""],
        ["farm", "HTX B", tax_number(6), "B", "legacy:5275", ""],
        ["cooperative", "HTX C", tax_number(7), "", "legacy:5275", "31/02/2020"],
        ["cooperative", "HTX D", tax_number(8), "D", "", ""],
    ]
    job, _page = upload(officer_client, csv_file(rows))
    fields = {(p["row"], p["field"]) for p in job.problems}
    assert fields == {
        (2, "registration_number"),
        (3, "kind"),
        (4, "representative"),
        (4, "founded_on"),
        (5, "commune_code"),
    }
    assert "is not a tax number" in job.problems[0]["message"]
    assert Producer.objects.count() == 0


def test_commune_outside_the_officers_province_is_refused(officer_client):
    rows = good_rows() + [["cooperative", "HTX Hà Nội", tax_number(9), "C", "4", ""]]
    job, _page = upload(officer_client, csv_file(rows))
    assert [(p["row"], p["field"]) for p in job.problems] == [(5, "commune_code")]
    assert "outside your communes" in job.problems[0]["message"]
    assert Producer.objects.count() == 0


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("p.csv", b""), "The file is empty."),
        (SimpleUploadedFile("p.xlsx", b"kind,name\n"), "not a readable .xlsx workbook"),
        (
            SimpleUploadedFile("p.csv", "kind,name\nhousehold,Đông Hà\n".encode("cp1258")),
            "not UTF-8",
        ),
        (
            SimpleUploadedFile("p.csv", b'kind,name\ncooperative,"HTX A",x,y\n'),
            "Row 2 has 4 values",
        ),
        (
            SimpleUploadedFile("p.csv", "kind,tiêu đề\ncooperative,HTX A\n".encode()),
            "Missing column(s): name, registration_number, representative, commune_code.",
        ),
    ],
)
def test_unreadable_files_are_reported_and_nothing_is_stored(officer_client, file, message):
    job, page = upload(officer_client, file)
    assert job.status == ImportJob.Status.FAILED
    assert message in job.problems[0]["message"]
    assert message.split("(")[0] in page.content.decode()
    assert Producer.objects.count() == 0


def test_vietnamese_column_aliases_are_accepted(officer_client):
    header = ["loai", "ten", "ma_so_thue", "representative", "xa"]
    job, _page = upload(officer_client, csv_file([r[:5] for r in good_rows()], header=header))
    assert job.status == ImportJob.Status.DONE, job.problems
    assert Producer.objects.count() == 3


def test_report_is_in_vietnamese_by_default(client, province_officer):
    reset_translation_caches()
    client.force_login(province_officer)
    rows = [["cooperative", "HTX A", "12345", "A", "legacy:5275", ""]]
    response = client.post("/producers/import/", {"file": csv_file(rows)})
    job = ImportJob.objects.get()
    assert "không phải mã số thuế" in job.problems[0]["message"]
    page = client.get(response["Location"]).content.decode()
    assert "Chưa lưu gì" in page


def test_only_officers_may_import(client, producer_account):
    client.force_login(producer_account)
    assert client.post("/producers/import/", {"file": csv_file(good_rows())}).status_code == 403
    assert Producer.objects.count() == 0 and ImportJob.objects.count() == 0
