"""The production diary over the API: GET an area's seasons with their inputs, harvests
and flags; POST an input or a harvest to a season (token or session), recorded even
when it breaks a rule and answered with its flags; 400 names the field to fix and
writes nothing; another producer gets 404, a commune officer 403."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ocophub.accounts.models import ApiToken, Role
from ocophub.compliance.models import Application, Harvest, Season
from ocophub.conftest import make_user
from ocophub.testing.builders import make_batch
from ocophub.testing.epcis import gtin

from . import consignment

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def headers(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}", "HTTP_ACCEPT_LANGUAGE": "en"}


def post(client, user, url, **payload):
    return client.post(url, payload, content_type="application/json", **headers(user))


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


def inputs_url(season):
    return f"/api/v1/compliance/seasons/{season.pk}/applications"


def harvests_url(season):
    return f"/api/v1/compliance/seasons/{season.pk}/harvests"


def test_the_areas_seasons_come_newest_first_with_their_rows_and_flags(
    client, shipment, season, producer_account
):
    consignment.apply(season, days_ago(20), "Regent 800WG", "fipronil")
    url = f"/api/v1/compliance/areas/{shipment.area.pk}/seasons"
    response = client.get(url, **headers(producer_account))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    newest, older = body["items"]
    assert (newest["name"], older["name"]) == ("Vụ đông", "Vụ 2025")
    (application,) = newest["applications"]
    assert application["substances"] == ["fipronil"]
    kinds = [f["kind"] for f in application["flags"]]
    assert kinds == ["banned", "banned_market"]
    assert "fipronil is banned in Vietnam" in application["flags"][0]["message"]
    (harvest,) = older["harvests"]
    assert harvest["batches"] == [{"id": shipment.seeds.pk, "uri": shipment.seeds.digital_link}]
    assert Decimal(older["harvested_kg"]) == Decimal("400")


def test_a_producer_posts_an_input_and_a_harvest_by_batch_link(
    client, season, new_batch, producer_account
):
    response = post(
        client,
        producer_account,
        inputs_url(season),
        product_name="Abamectin 3.6EC",
        substances=["Abamectin"],
        dose="10 ml / 16 l",
        applied_on=days_ago(2).isoformat(),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["applied_by"] == "producer" and body["flags"] == []
    assert Application.objects.get(pk=body["id"]).recorded_by == producer_account
    response = post(
        client,
        producer_account,
        harvests_url(season),
        quantity_kg="80.5",
        batches=[new_batch.digital_link],
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["harvested_on"] == TODAY.isoformat()
    assert [f["kind"] for f in body["flags"]] == ["phi"]  # 2 days after, abamectin's is 7
    assert new_batch.harvests.get().season == season


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("harvest", {"quantity_kg": "0"}, "quantity_kg"),
        ("harvest", {"quantity_kg": "5", "harvested_on": "2025-01-01"}, "harvested_on"),
        ("harvest", {"quantity_kg": "5", "other": True}, "batches"),
        ("input", {"product_name": "X", "substances": ["no such thing"]}, "substances"),
        ("input", {"product_name": "", "substances": []}, "product_name"),
        ("input", {"product_name": "X", "applied_on": "2025-01-01"}, "applied_on"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_writes_nothing(
    client, season, new_batch, producer_account, make_producer, make_product, kind, payload, field
):
    payload = dict(payload)
    if payload.pop("other", False):
        grower = make_producer(name="HTX Cam Khác")
        other = make_batch(make_product(grower, name="Cam Khác", gtin=gtin(7)), lot="CAM-1")
        payload["batches"] = [new_batch.pk, other.pk]
    url = harvests_url(season) if kind == "harvest" else inputs_url(season)
    response = post(client, producer_account, url, **payload)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"] and body["detail"].startswith(f"{field}: ")
    assert not Harvest.objects.filter(season=season).exists()
    assert not Application.objects.filter(season=season).exists()


def test_another_producer_gets_404_and_a_commune_officer_403(client, season, commune_officer):
    stranger = make_user("producer-2", Role.PRODUCER)
    response = post(client, stranger, harvests_url(season), quantity_kg="5")
    assert response.status_code == 404
    area_url = f"/api/v1/compliance/areas/{season.area_id}/seasons"
    assert client.get(area_url, **headers(stranger)).status_code == 404
    assert client.get(area_url, **headers(commune_officer)).status_code == 200
    response = post(client, commune_officer, inputs_url(season), product_name="X")
    assert response.status_code == 403
    assert "not write" in response.json()["detail"]
    assert not Harvest.objects.filter(season=season).exists()
    assert not Application.objects.filter(season=season).exists()


def test_writing_needs_a_login(client, season):
    response = client.post(
        harvests_url(season), {"quantity_kg": "5"}, content_type="application/json"
    )
    assert response.status_code == 401
