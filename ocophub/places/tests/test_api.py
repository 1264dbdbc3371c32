import pytest

pytestmark = pytest.mark.django_db


def test_provinces_by_era(client):
    current = client.get("/api/v1/places/provinces?era=current").json()
    assert current["count"] == 34
    legacy = client.get("/api/v1/places/provinces?era=legacy&q=hoa binh").json()
    assert [p["name"] for p in legacy["items"]] == ["Tỉnh Hoà Bình"]
    assert legacy["items"][0]["successor"] == "current:25"
    assert legacy["items"][0]["valid_until"] == "2025-06-30"


def test_bad_era_is_a_400_that_names_it(client):
    response = client.get("/api/v1/places/provinces?era=ancient")
    assert response.status_code == 400
    assert "era" in response.content.decode()


def test_communes_of_a_legacy_province(client):
    data = client.get("/api/v1/places/communes?era=legacy&province=17&q=my thanh").json()
    assert [(c["name"], c["district"]) for c in data["items"]] == [("Xã Mỹ Thành", "Huyện Lạc Sơn")]
    assert data["items"][0]["successor"] is None


def test_province_pages_show_both_eras_and_unmapped(client):
    page = client.get("/places/legacy/17/?q=my thanh").content.decode()
    assert "Xã Mỹ Thành" in page and 'class="badge expiring"' in page
    page = client.get("/places/legacy/17/?q=chi dao").content.decode()
    assert "Xã Chí Đạo" in page and "Xã Quyết Thắng" in page
    assert 'class="badge expiring"' not in page
    page = client.get("/places/?era=legacy").content.decode()
    assert "Tỉnh Hoà Bình" in page and "Phú Thọ" in page
