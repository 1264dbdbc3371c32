import csv
import datetime
import io

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from ocophub.conftest import legacy_commune
from ocophub.support.models import Attendance, Membership, ReportedFigure

from .conftest import MY_THANH

D = datetime.date


def en(client):
    client.cookies["django_language"] = "en"
    return client


def registered(make_case, day, members, make_person, **fields):
    case = make_case(
        stage="registered",
        conference_on=day,
        registered_on=day,
        registration_number=f"R{day:%y%m%d}{fields.get('name', '')[:3]}",
        **fields,
    )
    for i in range(members):
        Membership.objects.create(case=case, person=make_person(f"{case.name} {i}"), joined_on=day)
    return case


@pytest.fixture
def records(make_case, make_course, make_person, elsewhere):
    """Here (Quyết Thắng): a cooperative of 3 founded in 2024, a group of 2 founded in
    2025, a farming course in 2024 attended by a woman (Mường) and a man (Kinh).
    Elsewhere (Lạc Sơn commune): a cooperative of 4 founded in 2024."""
    registered(make_case, D(2024, 3, 1), 3, make_person, name="HTX Mật ong")
    registered(make_case, D(2025, 2, 1), 2, make_person, name="THT Chè", org_type="coop_group")
    registered(make_case, D(2024, 4, 1), 4, make_person, name="HTX Khác", commune=elsewhere)
    course = make_course(sessions=2, field="farming")
    hoa = make_person("Bùi Thị Hoa", gender="female", ethnicity="Mường")
    nam = make_person("Đinh Văn Nam", gender="male", ethnicity="Kinh")
    for session in course.sessions.all():
        Attendance.objects.create(session=session, person=hoa, status="present")
    Attendance.objects.create(session=course.sessions.first(), person=nam, status="late")
    ReportedFigure.objects.create(
        indicator="Hợp tác xã được hỗ trợ thành lập",
        value=72,
        period_from=D(2018, 1, 1),
        period_to=D(2023, 12, 31),
        unit_ref="legacy:17",
        source="Báo Hòa Bình",
    )
    return course


def computed(response):
    return {str(label): value for _key, label, value in response.context["computed"]}


def test_the_report_counts_the_units_records_in_the_period(client, union_officer, records):
    client.force_login(union_officer)
    url = reverse("support:report")
    whole = en(client).get(url, {"unit": "25", "from": "2024-01-01", "to": "2025-12-31"})
    assert computed(whole) == {
        "Cooperatives founded": 2,
        "Members of those cooperatives": 7,
        "Cooperative groups founded": 1,
        "Members of those groups": 2,
        "Cooperatives and groups founded (total)": 3,
        "Members of those cooperatives and groups (total)": 9,
        "Courses held": 1,
        "Participations (lượt người: a person once per course)": 2,
        "Participants (distinct people)": 2,
        "Products listed on e-commerce": 0,
    }
    year = computed(client.get(url, {"unit": "25", "from": "2024-01-01", "to": "2024-12-31"}))
    assert (year["Cooperatives founded"], year["Cooperative groups founded"]) == (2, 0)
    commune = computed(
        client.get(url, {"unit": "commune:5323", "from": "2024-01-01", "to": "2025-12-31"})
    )
    assert (commune["Cooperatives founded"], commune["Members of those cooperatives"]) == (1, 3)


def test_a_legacy_district_gets_its_figures_and_the_reported_totals_stay_beside(
    client, union_officer, records
):
    client.force_login(union_officer)
    lac_son = legacy_commune(MY_THANH).district
    r = en(client).get(
        reverse("support:report"),
        {"unit": lac_son.code, "level": "district", "era": "legacy", "from": "2018-01-01"},
    )
    # Quyết Thắng was formed from Lạc Sơn district's communes; Lạc Sơn commune too.
    assert computed(r)["Cooperatives founded"] == 2
    assert r.context["reported"] == []  # reported for the province, not this district
    province = en(client).get(
        reverse("support:report"),
        {"unit": "17", "era": "legacy", "from": "2018-01-01", "to": "2023-12-31"},
    )
    assert [f.value for f in province.context["reported"]] == [72]
    assert computed(province)["Cooperatives founded"] == 0  # 72 never added in


def test_a_commune_union_officer_gets_only_their_communes_figures(
    client, commune_union_officer, records
):
    client.force_login(commune_union_officer)
    r = en(client).get(reverse("support:report"), {"unit": "25", "from": "2024-01-01"})
    got = computed(r)
    assert (got["Cooperatives founded"], got["Members of those cooperatives"]) == (1, 3)


def test_the_report_breaks_participants_down_by_field_gender_and_ethnicity(
    client, union_officer, records
):
    client.force_login(union_officer)
    r = en(client).get(reverse("support:report"), {"from": "2024-01-01"})
    by = {title: {row["label"]: row for row in rows} for title, rows in r.context["breakdowns"]}
    assert by["By field"]["Farming"]["participations"] == 2
    assert by["By gender"]["Female"]["participants"] == 1
    assert set(by["By ethnicity"]) == {"Mường", "Kinh"}


def test_the_xlsx_holds_the_same_figures_as_the_page(client, union_officer, records):
    client.force_login(union_officer)
    query = {"unit": "25", "from": "2018-01-01", "to": "2025-12-31"}
    page = computed(en(client).get(reverse("support:report"), query))
    r = client.get(reverse("support:report_export", args=["xlsx"]), query)
    assert r["Content-Disposition"] == 'attachment; filename="hoi-nong-dan-20180101-20251231.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Kind", "Indicator", "Value", "Period", "Source")
    values = {row[1]: row[2] for row in rows[1:] if row[0] == "computed"}
    for label, value in page.items():
        assert values[label] == value
    assert values["By gender: Female — Participants (distinct people)"] == 1
    assert values["By field: Farming — Participations (lượt người: a person once per course)"] == 2
    # The same figures by unit, as in the PDF.
    assert values["Xã Lạc Sơn: Members of those cooperatives"] == 4
    assert values["Xã Quyết Thắng: Participants (distinct people)"] == 2
    # Each computed row names its period and area, so the file reads alone.
    periods = {(row[3], row[4]) for row in rows[1:] if row[0] == "computed"}
    assert periods == {("2018-01-01/2025-12-31", "Phú Thọ · From 1 July 2025 (two tiers)")}


def test_the_xlsx_lists_reported_figures_apart_with_their_source(client, union_officer, records):
    client.force_login(union_officer)
    r = en(client).get(
        reverse("support:report_export", args=["xlsx"]),
        {"unit": "17", "era": "legacy", "from": "2018-01-01", "to": "2023-12-31"},
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert [row for row in rows if row[0] == "reported"] == [
        (
            "reported",
            "Hợp tác xã được hỗ trợ thành lập",
            72,
            "2018-01-01/2023-12-31",
            "Báo Hòa Bình",
        )
    ]


def test_the_csv_is_utf8_with_a_bom_in_vietnamese_by_default(client, union_officer, records):
    client.force_login(union_officer)
    r = client.get(reverse("support:report_export", args=["csv"]), {"from": "2024-01-01"})
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][1:3] == ["Chỉ tiêu", "Giá trị"]
    assert ["tính từ hồ sơ", "Lớp tập huấn đã mở", "1"] in [row[:3] for row in rows]
    assert "Bùi" not in text  # figures only, no names


@pytest.mark.parametrize(
    "query, message",
    [
        ({"unit": "abc"}, "unit must be a unit code"),
        ({"unit": "99999"}, "no unit with code 99999"),
        ({"era": "old"}, "era must be legacy or current"),
        ({"from": "2024-13-01"}, "from must be a date"),
        ({"from": "2024-05-01", "to": "2024-04-01"}, "to must not come before from"),
    ],
)
def test_bad_report_parameters_are_named_in_the_users_language(
    client, union_officer, query, message
):
    client.force_login(union_officer)
    if "era" in query:
        query["unit"] = "17"
    r = en(client).get(reverse("support:report"), query)
    assert r.status_code == 400 and message in r.content.decode()


def test_a_bad_export_request_answers_400_with_the_message(client, union_officer):
    client.force_login(union_officer)
    r = en(client).get(reverse("support:report_export", args=["xlsx"]), {"unit": "abc"})
    assert r.status_code == 400 and "unit must be a unit code" in r.content.decode()
    assert client.get(reverse("support:report_export", args=["pdf2"])).status_code == 404


def test_the_report_and_its_exports_are_for_the_union_only(client, producer_account):
    client.force_login(producer_account)
    assert client.get(reverse("support:report")).status_code == 403
    assert client.get(reverse("support:report_export", args=["xlsx"])).status_code == 403


def pdf_text(response):
    """The PDF's text, white space collapsed (table cells come out one per line)."""
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_report_as_a_vietnamese_pdf_with_figures_by_unit_in_both_eras(
    client, union_officer, records
):
    client.force_login(union_officer)
    url = reverse("support:report_export", args=["pdf"])
    # Asked from the English page: the union files it in Vietnamese all the same.
    now = pdf_text(en(client).get(url, {"unit": "25", "from": "2024-01-01", "to": "2025-12-31"}))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập – Tự do – Hạnh phúc" in now
    assert "Cooperatives" not in now and "Địa bàn: Phú Thọ" in now
    assert (
        "Hợp tác xã thành lập 2 Thành viên của các hợp tác xã đó 7 Tổ hợp tác thành lập 1 "
        "Thành viên của các tổ hợp tác đó 2 Hợp tác xã và tổ hợp tác thành lập (tổng) 3 "
        "Thành viên của các hợp tác xã và tổ hợp tác đó (tổng) 9 Lớp tập huấn đã mở 1 "
        "Lượt người (mỗi người tính một lần cho mỗi lớp) 2 Số học viên (mỗi người tính một lần) 2 "
        "Sản phẩm lên sàn thương mại điện tử 0"
    ) in now
    assert "Lượt người Số người (không trùng) Nữ 1 1 Nam 1 1" in now
    # Today's province by commune; the whole, not the sum of the rows.
    assert (
        "Xã Lạc Sơn 1 4 0 0 0 0 0 0 Xã Quyết Thắng 1 3 1 2 1 2 2 0 Cả địa bàn 2 7 1 2 1 2 2 0"
    ) in now
    assert "Không có cho địa bàn và kỳ này." in now  # the reported total is Hòa Bình's

    old = pdf_text(
        client.get(url, {"unit": "17", "era": "legacy", "from": "2018-01-01", "to": "2025-12-31"})
    )
    assert "Tỉnh Hoà Bình · đơn vị hành chính trước ngày 1/7/2025" in old
    assert "Huyện Lạc Sơn 2 7 1 2 1 2 2 0 Cả địa bàn 2 7 1 2 1 2 2 0" in old
    # The reported 72 stands apart with its source and is not added to the computed 2.
    assert "Hợp tác xã thành lập 2 " in old
    assert "Hợp tác xã được hỗ trợ thành lập 72 01/01/2018 – 31/12/2023 Báo Hòa Bình" in old


def test_a_commune_union_officers_pdf_counts_only_their_communes(
    client, commune_union_officer, records
):
    client.force_login(commune_union_officer)
    url = reverse("support:report_export", args=["pdf"])
    text = pdf_text(client.get(url, {"unit": "25", "from": "2024-01-01", "to": "2025-12-31"}))
    assert "Hợp tác xã thành lập 1 Thành viên của các hợp tác xã đó 3" in text
    assert "Xã Quyết Thắng" in text and "Xã Lạc Sơn" not in text
