"""The public JSON API: search that ignores accents and case, filters, shapes, schema, docs."""

import re

import pytest
from django.contrib.staticfiles import finders
from jsonschema import Draft202012Validator

from ocophub.conftest import MY_THANH, current_commune, legacy_commune
from ocophub.products.models import Lifecycle, ProductGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(make_producer, make_product):
    thanh_an = make_producer(name="Hợp tác xã Mật ong Thanh An", commune=legacy_commune(MY_THANH))
    chi_dao = make_producer(name="Hợp tác xã Hạt dổi Chí Đạo", commune=legacy_commune(5323))
    hanoi = make_producer(name="HTX Cốm làng Vòng", commune=current_commune(4))
    certified = {"status": Lifecycle.CERTIFIED, "stars": 3}
    spices = ProductGroup.objects.get(classification="2023", code="1.6")
    return {
        "honey": make_product(thanh_an, name="Mật ong Thanh An", **certified),
        "doi": make_product(chi_dao, name="Hạt dổi Chí Đạo", group_2023=spices, **certified),
        "com": make_product(
            hanoi,
            name="Cốm làng Vòng",
            group_2023=ProductGroup.objects.get(classification="2023", code="1.5"),
            status=Lifecycle.CERTIFIED,
            stars=4,
        ),
        "draft": make_product(thanh_an, name="Mật ong bạc hà"),
    }


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize("q", ["mat ong", "MAT ONG", "Mật ong", "mật  ONG thanh", "an mat"])
def test_search_ignores_accents_case_and_word_order(client, catalogue, q):
    assert names(client.get("/api/v1/products", {"q": q})) == ["Mật ong Thanh An"]


def test_d_finds_đ_and_producer_and_commune_names_are_searched(client, catalogue):
    assert names(client.get("/api/v1/products", {"q": "chi dao"})) == ["Hạt dổi Chí Đạo"]
    assert names(client.get("/api/v1/products", {"q": "doi"})) == ["Hạt dổi Chí Đạo"]
    assert names(client.get("/api/v1/products", {"q": "my thanh"})) == ["Mật ong Thanh An"]
    assert names(client.get("/api/v1/products", {"q": "mat ong xyz"})) == []


def test_list_shape(client, catalogue):
    body = client.get("/api/v1/products", {"q": "mat ong"}).json()
    assert set(body) == {"count", "items"} and body["count"] == 1
    item = body["items"][0]
    assert {"id", "name", "producer", "commune", "stars"} <= set(item)
    assert item == {
        **item,
        "id": catalogue["honey"].pk,
        "name": "Mật ong Thanh An",
        "producer": "Hợp tác xã Mật ong Thanh An",
        "commune": "Xã Mỹ Thành",
        "district": "Huyện Lạc Sơn",
        "province": "Tỉnh Hoà Bình",
        "group": "1.4",
        "stars": 3,
    }


def test_stars_are_null_until_certified(client, catalogue, province_officer):
    client.force_login(province_officer)
    body = client.get("/api/v1/products", {"q": "bac ha"}).json()
    assert body["items"][0]["stars"] is None and body["items"][0]["status"] == "idea"


def test_filters_by_province_commune_and_group(client, catalogue):
    # Phú Thọ (current 25) holds the products made in legacy Hòa Bình communes.
    assert names(client.get("/api/v1/products", {"province": "25"})) == [
        "Hạt dổi Chí Đạo",
        "Mật ong Thanh An",
    ]
    assert names(client.get("/api/v1/products", {"province": "legacy:17"})) == [
        "Hạt dổi Chí Đạo",
        "Mật ong Thanh An",
    ]
    assert names(client.get("/api/v1/products", {"province": "1"})) == ["Cốm làng Vòng"]
    # Quyết Thắng (current 5323) is what Chí Đạo became.
    assert names(client.get("/api/v1/products", {"commune": "5323"})) == ["Hạt dổi Chí Đạo"]
    assert names(client.get("/api/v1/products", {"commune": "legacy:5275"})) == ["Mật ong Thanh An"]
    assert names(client.get("/api/v1/products", {"group": "1.4"})) == ["Mật ong Thanh An"]
    # A top-level group includes its sub-groups.
    assert names(client.get("/api/v1/products", {"group": "1"})) == [
        "Cốm làng Vòng",
        "Hạt dổi Chí Đạo",
        "Mật ong Thanh An",
    ]
    assert names(client.get("/api/v1/products", {"group": "1", "province": "25", "q": "ong"})) == [
        "Mật ong Thanh An"
    ]
    assert names(client.get("/api/v1/products", {"province": "999"})) == []


def test_pages(client, make_producer, make_product):
    producer = make_producer()
    for i in range(23):
        make_product(producer, name=f"Sản phẩm {i:02d}", status=Lifecycle.CERTIFIED, stars=3)
    first = client.get("/api/v1/products").json()
    second = client.get("/api/v1/products", {"page": 2}).json()
    assert first["count"] == second["count"] == 23
    assert len(first["items"]) == 20 and len(second["items"]) == 3
    assert second["items"][-1]["name"] == "Sản phẩm 22"


def test_producers_search_in_the_same_shape(client, catalogue):
    body = client.get("/api/v1/producers", {"q": "hat doi"}).json()
    assert set(body) == {"count", "items"} and body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Hợp tác xã Hạt dổi Chí Đạo" and item["commune"] == "Xã Chí Đạo"
    assert item["kind"] == "cooperative"
    assert body == client.get("/api/v1/producers", {"q": "HAT DỔI"}).json()
    assert client.get("/api/v1/producers", {"q": "khong co"}).json() == {"count": 0, "items": []}


def test_provinces_of_both_eras(client):
    current = client.get("/api/v1/places/provinces", {"era": "current"}).json()
    legacy = client.get("/api/v1/places/provinces", {"era": "legacy"}).json()
    assert current["count"] == 34 and len(current["items"]) == 34
    assert legacy["count"] == 63 and len(legacy["items"]) == 63
    assert client.get("/api/v1/places/provinces").json()["count"] == 34
    phu_tho = next(p for p in current["items"] if p["code"] == 25)
    assert phu_tho["name"] == "Phú Thọ" and phu_tho["communes"] > 100


def test_openapi_schema_is_valid_and_lists_the_registry(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "OCOP Hub API"
    paths = schema["paths"]
    for path in (
        "/api/v1/products",
        "/api/v1/products/{product_id}",
        "/api/v1/producers",
        "/api/v1/places/provinces",
        "/api/v1/places/communes",
    ):
        assert "get" in paths[path], path
    params = {p["name"] for p in paths["/api/v1/products"]["get"]["parameters"]}
    assert {"q", "province", "commune", "group", "page"} <= params
    assert "BearerToken" in str(paths["/api/v1/products"]["post"]["security"])

    # Every reference resolves.
    text = client.get("/api/v1/openapi.json").content.decode()
    for ref in set(re.findall(r'"\$ref": ?"#/([^"]+)"', text)):
        node = schema
        for part in ref.split("/"):
            node = node[part]

    for component in schema["components"]["schemas"].values():
        Draft202012Validator.check_schema(component)


def test_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert not [u for u in urls if re.match(r"(https?:)?//", u)]
    for url in urls:
        assert finders.find(url.removeprefix("/static/")), url


def test_list_page_names_groups_in_the_pages_language(client, catalogue):
    assert (
        "Mật ong, sản phẩm từ mật ong"
        in client.get("/products/", {"q": "mat ong"}).content.decode()
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/products/", {"q": "mat ong"}).content.decode()
    assert "Honey and honey products" in html and "Mật ong, sản phẩm" not in html
