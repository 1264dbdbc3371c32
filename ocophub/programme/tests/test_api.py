import datetime

import pytest

from ocophub.programme import demo

from .conftest import CHI_DAO, MY_THANH, VU_BAN

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(product_in, certify):
    certify(product_in(MY_THANH, name="Mật ong"), stars=3, valid_from=D(2023, 6, 1))
    certify(product_in(CHI_DAO, name="Hạt dổi"), stars=4, valid_from=D(2024, 1, 1))
    certify(
        product_in(VU_BAN, name="Gà"), stars=4, valid_from=D(2023, 6, 1), revoked_on=D(2024, 3, 1)
    )


def test_targets_shape(client, certified):
    demo.load()
    body = client.get("/api/v1/targets", {"as_of": "2024-06-01"}).json()
    assert body["count"] == 3 == len(body["items"])
    coverage = next(i for i in body["items"] if i["kind"] == "coverage")
    assert {"id", "title", "deadline", "met", "done", "total", "missing"} <= set(coverage)
    assert (coverage["done"], coverage["total"], coverage["met"]) == (2, 24, False)
    assert coverage["deadline"] == "2025-12-31"
    assert "Xã Quý Hòa" in coverage["missing"] and "Xã Mỹ Thành" not in coverage["missing"]
    four = next(i for i in body["items"] if i["kind"] == "count" and i["unit_code"] == 157)
    assert four["met"] and four["missing"] == []
    hoa_binh = next(i for i in body["items"] if i["unit_code"] == 17)
    assert (hoa_binh["done"], hoa_binh["total"]) == (2, 210)
    assert client.get("/api/v1/targets", {"province": "1"}).json()["count"] == 0
    assert client.get("/api/v1/targets", {"province": "25"}).json()["count"] == 3


def test_summary_shape_and_as_of(client, certified):
    body = client.get(
        "/api/v1/programme/summary", {"unit": "157", "era": "legacy", "as_of": "2024-02-01"}
    ).json()
    assert body["total"] == 3
    assert body["by_stars"] == {"3": 1, "4": 2, "5": 0}
    assert body["by_group"] == {"1": 3}
    after = client.get(
        "/api/v1/programme/summary", {"unit": "157", "era": "legacy", "as_of": "2024-03-01"}
    ).json()
    assert after["by_stars"] == {"3": 1, "4": 1, "5": 0}
    current = client.get("/api/v1/programme/summary", {"unit": "25", "as_of": "2024-03-01"}).json()
    assert current["total"] == 2 and current["unit"] == "Phú Thọ"
    national = client.get("/api/v1/programme/summary", {"as_of": "2024-03-01"}).json()
    assert national["total"] == 2
    commune = client.get(
        "/api/v1/programme/summary",
        {"unit": "5323", "level": "commune", "era": "current", "as_of": "2024-03-01"},
    ).json()
    assert commune["total"] == 1  # Chí Đạo rolls up to Quyết Thắng


@pytest.mark.parametrize(
    "params, name",
    [
        ({"as_of": "2024-02-30"}, "as_of"),
        ({"era": "old"}, "era"),
        ({"unit": "abc"}, "unit"),
        ({"unit": "999999"}, "unit"),
        ({"unit": "157", "era": "current", "level": "district"}, "unit"),
        ({"unit": "1", "level": "hamlet"}, "level"),
    ],
)
def test_summary_bad_params(client, db, params, name):
    response = client.get("/api/v1/programme/summary", params)
    assert response.status_code == 400
    assert name in response.json()["detail"]


def test_targets_bad_params(client, db):
    assert client.get("/api/v1/targets", {"as_of": "yesterday"}).status_code == 400
    response = client.get("/api/v1/targets", {"province": "99"})
    assert response.status_code == 400 and "province" in response.json()["detail"]
