"""Registering a growing area from the page, its boundary drawn on the map (the map
writes GeoJSON into the form): a check measures it in hectares (geodesic) and runs
every check without saving; registering makes the area, its boundary and its code's
first status in one go; a crossed, too small or overlapping shape, a code of no known
scheme or a commune outside the province is refused under its field with nothing
written; only the provincial office and inspectors register, in their province."""

import datetime
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pyproj import Geod
from shapely.geometry import shape as shapely_shape

from ocophub.compliance.areas import register_area
from ocophub.compliance.models import Boundary, CodeEvent, GrowingArea, Household
from ocophub.places.models import Commune, Era

from .shapes import BOWTIE, square

URL = reverse("compliance:area_add")
CODE = "VN-HBOR-0200"


@pytest.fixture
def grower(make_producer, producer_account):
    return make_producer(account=producer_account, name="HTX Dổi Chí Đạo")


def english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def send(client, grower, shape=None, action="save", **fields):
    data = {
        "code": CODE,
        "producer": grower.pk,
        "crop": "doi",
        "variety": "dổi nếp",
        "commune": "legacy:5323",
        "standard": "vietgap",
        "expected_yield_kg": "800",
        "households": "Bùi Văn Thử\n\nBùi Thị Mai\n",
        "valid_from": timezone.localdate().isoformat(),
        "geometry": json.dumps(square(150) if shape is None else shape),
        "action": action,
    }
    data.update(fields)
    return client.post(URL, data)


def nothing_written():
    return not (
        GrowingArea.objects.exists() or Boundary.objects.exists() or CodeEvent.objects.exists()
    )


def geodesic_ha(geojson):
    area, _perimeter = Geod(ellps="WGS84").geometry_area_perimeter(shapely_shape(geojson))
    return abs(area) / 10_000


def test_an_inspector_registers_an_area_and_its_code_page_shows_its_hectares(
    client, inspector, grower
):
    english(client, inspector)
    form = client.get(URL).content.decode()
    assert 'id="boundary-map"' in form and "<script>" not in form
    assert "HTX Dổi Chí Đạo" in form  # the owner offered in the select
    assert 'id="producer-filter"' not in form  # one to choose from: no box to filter
    answer = send(client, grower)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("compliance:code", args=[CODE])
    area = GrowingArea.objects.get(code=CODE)
    assert (area.producer, area.crop.key, area.variety) == (grower, "doi", "dổi nếp")
    assert area.commune.era == Era.LEGACY and area.commune.code == 5323
    assert area.standard == "vietgap" and float(area.expected_yield_kg) == 800
    assert area.created_by == inspector and area.status == "active"
    assert sorted(Household.objects.filter(area=area).values_list("name", flat=True)) == [
        "Bùi Thị Mai",
        "Bùi Văn Thử",
    ]
    boundary = area.boundaries.get()
    expected = geodesic_ha(square(150))
    assert float(boundary.area_ha) == pytest.approx(expected, abs=1e-4)
    assert boundary.source == "drawn" and boundary.valid_from == timezone.localdate()
    assert area.code_events.count() == 1  # granted
    page = client.get(answer["Location"]).content.decode()
    assert f"Growing area {CODE} registered: {expected:.2f} ha." in page
    assert f"{expected:.2f} ha" in page


def test_a_check_measures_and_writes_nothing(client, inspector, grower):
    english(client, inspector)
    answer = send(client, grower, action="check")
    assert answer.status_code == 200
    html = answer.content.decode()
    expected = geodesic_ha(square(150))
    assert "passes the checks; it is not registered yet" in html
    assert f"{expected:.2f} ha" in html and 'data-measured="' in html
    assert "&quot;Polygon&quot;" in html  # the drawing is kept in the form to register next
    assert nothing_written()


def test_the_code_list_links_the_page_for_officials_only(client, inspector, producer_account):
    english(client, inspector)
    assert URL in client.get(reverse("compliance:codes")).content.decode()
    client.force_login(producer_account)
    assert URL not in client.get(reverse("compliance:codes")).content.decode()


@pytest.mark.parametrize(
    ("shape", "fields", "field", "words"),
    [
        (BOWTIE, {}, "geometry", "crosses itself"),
        (square(50), {}, "geometry", "must be at least 1 ha"),
        (None, {"code": "HB-0001"}, "code", "matches no known code format"),
        (None, {"code": "", "crop": ""}, "code", "This field is required"),
        (None, {"geometry": ""}, "geometry", "Draw the boundary on the map first"),
    ],
    ids=["self-intersecting", "too-small", "unknown-scheme", "missing", "not-drawn"],
)
def test_a_refusal_is_told_under_its_field_and_nothing_is_written(
    client, inspector, grower, shape, fields, field, words
):
    english(client, inspector)
    for action in ("check", "save"):
        answer = send(client, grower, shape, action=action, **fields)
        assert answer.status_code == 400
        assert words in str(answer.context["form"].errors[field])
        assert words in answer.content.decode()
    assert nothing_written()


def test_an_overlap_names_the_other_area(client, inspector, grower):
    register_area(
        {
            "code": "VN-HBOR-0201",
            "producer": grower.pk,
            "crop": "doi",
            "commune": "legacy:5323",
            "geometry": square(150, east_m=100),
        },
        inspector,
    )
    english(client, inspector)
    answer = send(client, grower)
    assert answer.status_code == 400
    assert "overlaps the active growing area VN-HBOR-0201" in str(
        answer.context["form"].errors["geometry"]
    )
    assert not GrowingArea.objects.filter(code=CODE).exists()


def test_a_commune_outside_the_province_is_refused(client, inspector, grower):
    hanoi = Commune.objects.filter(era=Era.CURRENT, province__code=1).first()
    english(client, inspector)
    answer = send(client, grower, commune=str(hanoi.code))
    assert answer.status_code == 400
    assert "You do not supervise this commune." in str(answer.context["form"].errors["commune"])
    assert nothing_written()


def test_an_inspector_of_another_province_cannot_register_here(client, other_inspector, grower):
    english(client, other_inspector)
    assert "HTX Dổi Chí Đạo" not in client.get(URL).content.decode()
    answer = send(client, grower)
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert "You do not supervise this commune." in str(errors["commune"])
    assert "producer" in errors  # not among those offered
    assert nothing_written()


def test_producers_and_commune_officers_may_not_register(
    client, grower, producer_account, commune_officer
):
    for user in (producer_account, commune_officer):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert send(client, grower).status_code == 403
    assert nothing_written()


def test_the_page_is_vietnamese_by_default(client, inspector):
    client.force_login(inspector)
    html = client.get(URL).content.decode()
    assert "Đăng ký vùng trồng" in html and "Kiểm tra và đo" in html


def test_a_province_office_registers_with_a_valid_from_date(client, province_officer, grower):
    english(client, province_officer)
    day = datetime.date(2025, 9, 1)
    answer = send(client, grower, valid_from=day.isoformat())
    assert answer.status_code == 302
    area = GrowingArea.objects.get(code=CODE)
    assert area.boundaries.get().valid_from == day
    assert area.status_on(day) == "active"
