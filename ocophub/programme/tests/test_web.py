"""Dashboard, exports, PDF and target editing through HTTP, for each role."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ocophub.accounts.models import Role
from ocophub.conftest import current_commune, make_user
from ocophub.evaluation.loading import load_shipped
from ocophub.evaluation.models import (
    Council,
    CriteriaSet,
    Decision,
    DecisionItem,
    Dossier,
    Round,
)
from ocophub.places.models import Era
from ocophub.programme import demo
from ocophub.programme.models import Target
from ocophub.programme.progress import progress

from .conftest import CHI_DAO, MY_THANH, VU_BAN

D = datetime.date
pytestmark = pytest.mark.django_db
DASH = reverse("programme:dashboard")


@pytest.fixture
def certified(product_in, certify):
    """Three Lạc Sơn products; one revoked 4-star."""
    honey = product_in(MY_THANH, name="Mật ong Thanh An")
    certify(honey, stars=3, valid_from=D(2023, 6, 1))
    doi = product_in(CHI_DAO, name="Hạt dổi Chí Đạo")
    certify(doi, stars=4, valid_from=D(2024, 1, 1))
    chicken = product_in(VU_BAN, name="Gà Ri Lạc Sơn")
    certify(chicken, stars=4, valid_from=D(2023, 6, 1), revoked_on=D(2024, 3, 1))
    return honey, doi, chicken


def client_for(client, user):
    client.force_login(user)
    return client


def test_dashboard_needs_login_and_a_staff_role(client, producer_account, db):
    assert client.get(DASH).status_code == 302
    client.force_login(producer_account)
    assert client.get(DASH).status_code == 403


def test_province_officer_sees_province_figures(client, province_officer, certified):
    client_for(client, province_officer)
    response = client.get(DASH, {"as_of": "2024-06-01", "era": "legacy"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phú Thọ" in html and "<svg" in html
    stars = dict(response.context["charted"][0][0].rows)
    assert stars == {"5 ★": 0, "4 ★": 1, "3 ★": 1}  # the revoked 4-star is gone
    units = response.context["charted"][3][0]
    assert ("Huyện Lạc Sơn", 157, 2) in units.rows
    years = response.context["charted"][4][0].rows
    # (year, certificates issued, products in force at the year end or the as-of day)
    assert years[-2:] == [(2023, 2, 2), (2024, 1, 2)]
    assert years[0] == (2019, 0, 0)


def test_other_province_sees_none_and_cannot_pick_outside(
    client, other_province_officer, certified
):
    client_for(client, other_province_officer)
    response = client.get(DASH, {"as_of": "2024-06-01"})
    assert dict(response.context["charted"][0][0].rows)["4 ★"] == 0
    response = client.get(DASH, {"unit": "legacy|district:157", "as_of": "2024-06-01"})
    assert response.status_code == 400
    assert "nằm ngoài tỉnh của bạn" in response.content.decode()
    export = client.get(
        reverse("programme:export", args=["stars", "xlsx"]), {"unit": "legacy|district:157"}
    )
    assert export.status_code == 400


def test_admin_sees_the_country(client, admin_user, certified):
    client_for(client, admin_user)
    response = client.get(DASH, {"as_of": "2024-06-01"})
    assert response.context["scope"].unit is None
    units = response.context["charted"][3][0]
    assert ("Phú Thọ", 25, 2) in units.rows
    assert len(units.rows) == 34


def test_units_with_none_are_named_under_the_table_not_drawn(client, admin_user, certified):
    client_for(client, admin_user)
    response = client.get(DASH, {"as_of": "2024-06-01"})
    units = response.context["charted"][3][0]
    assert units.shown_rows == [("Phú Thọ", 25, 2)]
    assert len(units.zero_rows) == 33 and ("Cao Bằng", 4, 0) in units.zero_rows
    html = response.content.decode()
    assert "33 đơn vị khác chưa có" in html
    chart = str(response.context["charted"][3][1])
    assert "Phú Thọ" in chart and "Cao Bằng" not in chart
    # The export keeps every unit.
    export = client.get(reverse("programme:export", args=["units", "csv"]), {"as_of": "2024-06-01"})
    assert export.content.decode("utf-8-sig").count("\n") == 35


def test_bad_filters_name_the_parameter(client, province_officer, db):
    client_for(client, province_officer)
    response = client.get(DASH, {"as_of": "2024-13-01"})
    assert response.status_code == 400
    assert "as_of" in response.content.decode()
    assert client.get(DASH, {"era": "ancient"}).status_code == 400


def test_xlsx_export_reads_back(client, province_officer, certified):
    client_for(client, province_officer)
    response = client.get(
        reverse("programme:export", args=["units", "xlsx"]),
        {"as_of": "2024-06-01", "era": "legacy", "unit": "legacy|district:157"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].endswith("(trước 7/2025)") and rows[0][1:] == ("Mã", "Sản phẩm")
    assert ("Xã Mỹ Thành", 5275, 1) in rows
    assert ("Xã Chí Đạo", 5323, 1) in rows
    assert ("Thị trấn Vụ Bản", 5266, 0) in rows  # revoked: not counted
    assert len(rows) == 1 + 24


@pytest.mark.parametrize(
    "key",
    [
        "stars",
        "groups",
        "kinds",
        "years",
        "rounds",
        "expiring",
        "cooperatives",
        "top_cooperatives",
        "targets",
    ],
)
def test_every_table_exports(client, province_officer, certified, key):
    client_for(client, province_officer)
    response = client.get(reverse("programme:export", args=[key, "xlsx"]), {"as_of": "2026-05-01"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0]  # headers
    if key == "expiring":  # Mật ong Thanh An: valid until 31 May 2026
        assert rows[1][1] == "Mật ong Thanh An"


def test_rounds_count_dossiers_by_kind(
    client, province_officer, other_province_officer, product_in, make_product
):
    load_shipped()
    criteria = CriteriaSet.objects.first()
    phu_tho = province_officer.province
    round_2 = Round.objects.create(
        province=phu_tho, year=2025, number=2, opens_on=D(2025, 8, 1), closes_on=D(2025, 9, 1)
    )
    council = Council.objects.create(round=round_2, name="Hội đồng tỉnh")
    decision = Decision.objects.create(
        round=round_2,
        council=council,
        number="1/QĐ-UBND",
        date=D(2025, 10, 1),
        issuing_body="UBND tỉnh Phú Thọ",
        body_level="province",
    )
    kinds = ["new", "new", "upgrade", "reevaluation", "reevaluation"]
    first = product_in(MY_THANH, name="SP")
    for i, kind in enumerate(kinds):
        dossier = Dossier.objects.create(
            round=round_2,
            product=make_product(first.producer, name=f"SP {i}"),
            kind=kind,
            criteria_set=criteria,
        )
        DecisionItem.objects.create(
            decision=decision, dossier=dossier, total=60, stars=3, achieved=i != 1
        )
    client_for(client, province_officer)
    response = client.get(
        reverse("programme:export", args=["rounds", "xlsx"]), {"as_of": "2025-12-01"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("Đợt 2/2025", "Phú Thọ", 2, 1, 2, 4)
    # Before the round opened, and for another province, there is nothing to show.
    before = client.get(
        reverse("programme:export", args=["rounds", "csv"]), {"as_of": "2025-07-31"}
    )
    assert len(before.content.decode("utf-8-sig").splitlines()) == 1
    client_for(client, other_province_officer)
    other = client.get(reverse("programme:export", args=["rounds", "csv"]), {"as_of": "2025-12-01"})
    assert len(other.content.decode("utf-8-sig").splitlines()) == 1


def test_pdf_report_in_vietnamese(client, province_officer, certified):
    demo.load()
    client_for(client, province_officer)
    response = client.get(
        reverse("programme:report"),
        {
            "unit": "legacy|district:157",
            "era": "legacy",
            "from": "2024-01-01",
            "as_of": "2024-06-01",
        },
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "BÁO CÁO TÓM TẮT CHƯƠNG TRÌNH OCOP" in text
    fonts = {
        str(font["/BaseFont"]) for page in pages for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVu" in name for name in fonts)  # no glyph-less standard fonts
    assert "Huyện Lạc Sơn" in text
    assert "01/01/2024" in text and "01/06/2024" in text
    assert "Xã Mỹ Thành" in text and "Thị trấn Vụ Bản" in text
    assert "Lạc Sơn: mỗi xã, thị trấn có ít nhất 01 sản phẩm OCOP" in text


def test_pdf_period_must_be_in_order(client, province_officer, db):
    client_for(client, province_officer)
    response = client.get(
        reverse("programme:report"), {"from": "2025-01-01", "as_of": "2024-01-01"}
    )
    assert response.status_code == 400 and "from" in response.content.decode()


def test_province_office_creates_and_edits_targets(client, province_officer, certified):
    client_for(client, province_officer)
    url = reverse("programme:target_create")
    data = {
        "title": "Huyện Lạc Sơn có 2 sản phẩm",
        "kind": "count",
        "unit": "legacy|district:157",
        "threshold": "2",
        "min_stars": "3",
        "deadline": "2025-12-31",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    target = Target.objects.get(title=data["title"])
    assert (target.unit_era, target.unit_level, target.unit_code) == (Era.LEGACY, "district", 157)
    assert target.province.code == 25
    detail = client.get(reverse("programme:target", args=[target.pk]), {"as_of": "2024-06-01"})
    assert detail.context["result"].done == 2 and detail.context["result"].met
    response = client.post(
        reverse("programme:target_edit", args=[target.pk]), {**data, "threshold": "5"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.threshold == 5 and target.history.count() == 2


def test_target_outside_the_province_is_refused(client, province_officer, db):
    client_for(client, province_officer)
    response = client.post(
        reverse("programme:target_create"),
        {
            "title": "Hà Nội",
            "kind": "count",
            "unit": "current|province:1",
            "threshold": "2",
            "min_stars": "3",
            "deadline": "2025-12-31",
        },
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not Target.objects.exists()


def test_other_roles_cannot_edit_targets(client, other_province_officer, commune_officer, db):
    demo.load()
    target = Target.objects.get(unit_code=157, kind="coverage")
    edit = reverse("programme:target_edit", args=[target.pk])
    client_for(client, other_province_officer)
    assert client.get(edit).status_code == 404
    assert client.get(reverse("programme:target", args=[target.pk])).status_code == 404
    client_for(client, commune_officer)
    assert client.get(edit).status_code == 403
    assert client.get(reverse("programme:target", args=[target.pk])).status_code == 200


def test_growth_target_without_baseline_is_refused(client, province_officer, db):
    client_for(client, province_officer)
    response = client.post(
        reverse("programme:target_create"),
        {
            "title": "Tăng trưởng",
            "kind": "growth",
            "unit": "current|province:25",
            "threshold": "10",
            "min_stars": "3",
            "deadline": "2027-12-31",
        },
    )
    assert response.status_code == 400
    assert "baseline" in response.context["form"].errors


def test_demo_targets_are_idempotent_and_lac_son_progress(db, product_in, certify):
    demo.load()
    demo.load()
    assert Target.objects.count() == 3
    certify(product_in(MY_THANH), stars=4, valid_from=D(2024, 1, 1))

    coverage = Target.objects.get(kind="coverage")
    result = progress(coverage, D(2025, 12, 31))
    assert (result.done, result.total) == (1, 24) and "Xã Quý Hòa" in result.missing
    four_star = Target.objects.get(kind="count", unit_code=157)
    assert progress(four_star, D(2025, 12, 31)).met


def test_english_dashboard(client, province_officer, db):
    client_for(client, province_officer)
    client.cookies["django_language"] = "en"
    html = client.get(DASH).content.decode()
    assert "Products by stars" in html


def test_inspector_and_union_read_the_dashboard(client, phu_tho, db):
    for role in (Role.INSPECTOR, Role.UNION_OFFICER):
        user = make_user(f"u-{role}", role, province=phu_tho)
        client_for(client, user)
        assert client.get(DASH).status_code == 200


def test_dashboard_maps_later_records_back_to_old_districts(
    client, province_officer, certified, product_in, certify
):
    certify(product_in(current_commune(CHI_DAO), name="Gà đồi"), valid_from=D(2025, 8, 1))
    client_for(client, province_officer)
    legacy = client.get(DASH, {"as_of": "2025-09-01", "era": "legacy"}).context
    units = dict((name, n) for name, _code, n in legacy["charted"][3][0].rows)
    assert units["Huyện Lạc Sơn"] == 3  # Mỹ Thành, Chí Đạo, and Quyết Thắng's new product
    current = client.get(DASH, {"as_of": "2025-09-01"}).context
    units = {name: n for name, _code, n in current["charted"][3][0].rows}
    assert units["Xã Quyết Thắng"] == 2  # Chí Đạo's product rolls up, and the new one
    assert sum(units.values()) == 3


def test_target_path_exports(client, province_officer, other_province_officer, certified):
    demo.load()
    target = Target.objects.get(kind="coverage")
    url = reverse("programme:target_export", args=[target.pk, "xlsx"])
    client_for(client, province_officer)
    response = client.get(url, {"as_of": "2024-06-01"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Ngày", "Đã đạt", "Tổng số")
    assert rows[-1][:2] == ("Còn thiếu", "Xã Định Cư")
    path = [r for r in rows[1:] if r[0] != "Còn thiếu"]
    assert path[-1][1:] == (2, 24)  # Mỹ Thành and Chí Đạo on 1 June 2024
    assert sum(1 for r in rows if r[0] == "Còn thiếu") == 22
    client_for(client, other_province_officer)
    assert client.get(url).status_code == 404
