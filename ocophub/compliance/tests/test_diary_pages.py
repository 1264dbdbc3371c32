"""The production diary of a growing area: its producer adds seasons, inputs applied and
harvests (with the batches they fed) from a phone; the page flags an input with a banned
ingredient (Vietnam's list, and markets' lists) and a harvest inside a pre-harvest
interval, both still recorded; officials of the province read and write, commune
officers read, anyone else gets 404."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.compliance.models import Application, Harvest, Season, Substance
from ocophub.conftest import make_user
from ocophub.testing.builders import make_batch
from ocophub.testing.epcis import gtin

from . import consignment

CODE = "VN-HBOR-0100"
DIARY = reverse("compliance:diary", args=[CODE])
NEW_SEASON = reverse("compliance:diary_season", args=[CODE])
TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def input_url(season: Season) -> str:
    return reverse("compliance:diary_application", args=[CODE, season.pk])


def harvest_url(season: Season) -> str:
    return reverse("compliance:diary_harvest", args=[CODE, season.pk])


def ids(*names: str) -> list[int]:
    return [Substance.objects.get(name=n).pk for n in names]


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


@pytest.fixture
def season(shipment):
    return Season.objects.create(
        area=shipment.area,
        name="Vụ đông",
        starts=days_ago(90),
        ends=TODAY + datetime.timedelta(days=30),
        declared_yield_kg=Decimal("500"),
    )


@pytest.fixture
def new_batch(shipment, producer_account):
    return make_batch(
        shipment.seeds.product, producer_account, lot="DOI-NEW", production_date=TODAY
    )


@pytest.fixture
def other_producer(make_producer, make_product):
    account = make_user("producer-2", Role.PRODUCER)
    grower = make_producer(account=account, name="HTX Cam Khác")
    product = make_product(grower, name="Cam Khác", gtin=gtin(7))
    return account, make_batch(product, account, lot="CAM-1", production_date=TODAY)


@pytest.fixture
def producer(client, producer_account):
    client.force_login(producer_account)
    english(client)
    return client


def test_a_producer_adds_a_season_an_input_and_a_harvest_and_the_batch_knows_its_season(
    producer, shipment, new_batch
):
    assert producer.get(DIARY).status_code == 200
    form = producer.get(NEW_SEASON)
    assert form.status_code == 200
    assert f'value="{TODAY.isoformat()}"' in form.content.decode()  # starts today by default
    response = producer.post(
        NEW_SEASON,
        {
            "name": "Vụ đông 2026",
            "starts": days_ago(60).isoformat(),
            "ends": (TODAY + datetime.timedelta(days=30)).isoformat(),
            "declared_yield_kg": "500",
        },
    )
    assert response.status_code == 302 and response["Location"] == DIARY
    season = Season.objects.get(area=shipment.area, name="Vụ đông 2026")
    page = producer.get(input_url(season)).content.decode()
    assert 'value="Producer"' in page or 'value="producer"' in page  # applied by: the user
    assert 'type="search"' in page and "azoxystrobin" in page
    response = producer.post(
        input_url(season),
        {
            "product_name": "Amistar 250SC",
            "substances": ids("azoxystrobin"),
            "dose": "10 ml / 16 l",
            "applied_on": days_ago(30).isoformat(),
            "applied_by": "Bùi Văn Thử",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(season=season)
    assert [s.name for s in application.substances.all()] == ["azoxystrobin"]
    assert application.recorded_by.username == "producer"
    page = producer.get(harvest_url(season)).content.decode()
    assert "DOI-NEW" in page and "DOI-2025-01" in page
    response = producer.post(
        harvest_url(season),
        {"harvested_on": TODAY.isoformat(), "quantity_kg": "120.5", "batches": [new_batch.pk]},
    )
    assert response.status_code == 302
    harvest = new_batch.harvests.get()
    assert harvest.season == season and harvest.season.area == shipment.area
    assert harvest.quantity_kg == Decimal("120.5")
    html = producer.get(DIARY).content.decode()
    assert "Amistar 250SC" in html and "DOI-NEW" in html
    assert "data-flag=" not in html.split(f'data-season="{season.pk}"')[1].split("</section>")[0]
    # Newest season first: the one just added comes before the 2025 one.
    assert html.index("Vụ đông 2026") < html.index("Vụ 2025")


def test_an_input_with_a_banned_ingredient_is_recorded_and_flagged(producer, season):
    response = producer.post(
        input_url(season),
        {
            "product_name": "Regent 800WG",
            "substances": ids("fipronil"),
            "applied_on": days_ago(40).isoformat(),
            "applied_by": "Bùi Văn Thử",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "fipronil is banned in Vietnam" in response.content.decode()  # said at once
    application = Application.objects.get(season=season, product_name="Regent 800WG")
    html = producer.get(DIARY).content.decode()
    row = html.split(f'data-application="{application.pk}"')[1].split("</tr>")[0]
    assert 'data-flag="banned"' in row and "fipronil is banned in Vietnam" in row
    assert 'data-flag="banned_market"' in row and "banned for CN" in row  # China's list too
    assert "1 entry of this season needs attention" in html


def test_an_ingredient_banned_only_by_a_market_is_flagged_for_that_market(producer, season):
    producer.post(
        input_url(season),
        {
            "product_name": "Dithane M-45",
            "substances": ids("mancozeb"),
            "applied_on": days_ago(40).isoformat(),
            "applied_by": "Bùi Văn Thử",
        },
    )
    html = producer.get(DIARY).content.decode()
    assert "mancozeb is banned for EU" in html
    assert 'data-flag="banned"' not in html


def test_a_harvest_inside_the_pre_harvest_interval_is_recorded_and_flagged(
    producer, season, new_batch
):
    consignment.apply(season, days_ago(3), "Abamectin 3.6EC", "abamectin")  # 7 days
    response = producer.post(
        harvest_url(season),
        {"harvested_on": TODAY.isoformat(), "quantity_kg": "50", "batches": [new_batch.pk]},
        follow=True,
    )
    assert "Harvested 3 days after Abamectin 3.6EC" in response.content.decode()
    harvest = Harvest.objects.get(season=season)
    html = producer.get(DIARY).content.decode()
    row = html.split(f'data-harvest="{harvest.pk}"')[1].split("</tr>")[0]
    assert 'data-flag="phi"' in row
    assert "its pre-harvest interval is 7 days" in row


def test_a_harvest_after_the_interval_is_not_flagged(producer, season):
    consignment.apply(season, days_ago(10), "Abamectin 3.6EC", "abamectin")
    producer.post(harvest_url(season), {"harvested_on": TODAY.isoformat(), "quantity_kg": "50"})
    assert 'data-flag="phi"' not in producer.get(DIARY).content.decode()


def test_another_producer_gets_404_and_writes_nothing(client, season, other_producer):
    account, _batch = other_producer
    client.force_login(account)
    assert client.get(DIARY).status_code == 404
    assert client.get(NEW_SEASON).status_code == 404
    posted = {"name": "x", "starts": TODAY.isoformat(), "ends": TODAY.isoformat()}
    assert client.post(NEW_SEASON, {**posted, "declared_yield_kg": "1"}).status_code == 404
    assert client.post(input_url(season), {"product_name": "x"}).status_code == 404
    assert client.post(harvest_url(season), {"quantity_kg": "1"}).status_code == 404
    assert Season.objects.filter(name="x").count() == 0
    assert not Application.objects.filter(season=season).exists()
    assert not Harvest.objects.filter(season=season).exists()


def test_a_commune_officer_reads_the_diary_but_cannot_write(client, season, commune_officer):
    client.force_login(commune_officer)
    html = client.get(DIARY).content.decode()
    assert "Vụ đông" in html and 'data-action="new-season"' not in html
    assert 'data-action="new-harvest"' not in html
    assert client.get(NEW_SEASON).status_code == 403
    response = client.post(
        harvest_url(season), {"harvested_on": TODAY.isoformat(), "quantity_kg": "5"}
    )
    assert response.status_code == 403
    assert not Harvest.objects.filter(season=season).exists()


def test_inspectors_of_the_province_write_and_of_another_province_get_404(
    client, season, inspector, other_inspector
):
    client.force_login(inspector)
    assert 'data-action="new-application"' in client.get(DIARY).content.decode()
    response = client.post(
        harvest_url(season), {"harvested_on": TODAY.isoformat(), "quantity_kg": "5"}
    )
    assert response.status_code == 302
    assert Harvest.objects.get(season=season).recorded_by == inspector
    client.force_login(other_inspector)
    assert client.get(DIARY).status_code == 404
    assert client.post(harvest_url(season), {"quantity_kg": "5"}).status_code == 404


def test_the_code_page_links_the_diary(producer, shipment):
    html = producer.get(reverse("compliance:code", args=[CODE])).content.decode()
    assert f'href="{DIARY}"' in html


@pytest.mark.parametrize(
    ("form", "data", "field", "message"),
    [
        (
            "season",
            {"name": "Vụ sai", "starts": "2026-05-01", "ends": "2026-04-01"},
            "ends",
            "A season cannot end before it starts.",
        ),
        (
            "season",
            {"name": "Vụ sai", "starts": "2026-05-01", "ends": "2026-06-01", "yield": "0"},
            "declared_yield_kg",
            "The declared yield must be more than zero.",
        ),
        ("harvest", {"quantity_kg": "0"}, "quantity_kg", "The quantity must be more than zero."),
        (
            "harvest",
            {"other_batch": True},
            "batches",
            "is not one of HTX Dổi Chí Đạo&#x27;s batches",
        ),
        (
            "harvest",
            {"harvested_on": "2025-01-01"},
            "harvested_on",
            "The harvest date must be within the season",
        ),
        (
            "harvest",
            {"harvested_on": (TODAY + datetime.timedelta(days=2)).isoformat()},
            "harvested_on",
            "give a date no later than today",
        ),
        (
            "input",
            {"applied_on": days_ago(200).isoformat()},
            "applied_on",
            "The date must be within the season",
        ),
        ("input", {"product_name": ""}, "product_name", "This field is required."),
    ],
    ids=lambda v: v if isinstance(v, str) and v in ("season", "harvest", "input") else "",
)
def test_bad_input_is_refused_with_400_naming_the_field_and_nothing_written(
    producer, season, new_batch, other_producer, form, data, field, message
):
    if form == "season":
        url = NEW_SEASON
        posted = {
            "name": data["name"],
            "starts": data["starts"],
            "ends": data["ends"],
            "declared_yield_kg": data.get("yield", "100"),
        }
    elif form == "harvest":
        url = harvest_url(season)
        batch = other_producer[1] if data.get("other_batch") else new_batch
        posted = {
            "harvested_on": data.get("harvested_on", TODAY.isoformat()),
            "quantity_kg": data.get("quantity_kg", "10"),
            "batches": [new_batch.pk, batch.pk],
        }
    else:
        url = input_url(season)
        posted = {
            "product_name": data.get("product_name", "Amistar 250SC"),
            "substances": ids("azoxystrobin"),
            "applied_on": data.get("applied_on", TODAY.isoformat()),
            "applied_by": "Bùi Văn Thử",
        }
    seasons = Season.objects.count()
    response = producer.post(url, posted)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-error="{field}"' in html  # the summary names the field
    assert message in html
    assert Season.objects.count() == seasons
    assert not Harvest.objects.filter(season=season).exists()
    assert not Application.objects.filter(season=season).exists()
    assert not new_batch.harvests.exists()


def test_errors_and_flags_speak_vietnamese_by_default(client, producer_account, season):
    client.force_login(producer_account)
    consignment.apply(season, days_ago(40), "Regent 800WG", "fipronil")
    html = client.get(DIARY).content.decode()
    assert "Nhật ký sản xuất" in html and "bị cấm" in html
    response = client.post(harvest_url(season), {"harvested_on": "2025-01-01", "quantity_kg": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày thu hoạch phải nằm trong vụ" in html
    assert "Số lượng phải lớn hơn 0." in html


def test_the_english_page_speaks_english(producer, season):
    html = producer.get(DIARY).content.decode()
    assert "Production diary of VN-HBOR-0100" in html
    assert "Inputs applied" in html and "Harvests" in html
    assert "Nhật ký" not in html
