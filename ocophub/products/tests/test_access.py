"""Who may read and change products, checked through HTTP for each role."""

import pytest
from django.test import Client

from ocophub.accounts.models import ApiToken, Role
from ocophub.conftest import MY_THANH, QUYET_THANG, current_commune, legacy_commune, make_user
from ocophub.products.models import Lifecycle, Product, ProductGroup

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"Authorization": f"Bearer {ApiToken.issue(user)}"}


def payload(product, **changes):
    body = {
        "name": product.name,
        "producer_id": product.producer_id,
        "commune": product.commune.ref,
        "group_2023": "1.4",
    }
    return {**body, **changes}


@pytest.fixture
def two_producers(make_producer, make_product, producer_account):
    """Our producer (linked to the producer account) and another one, each with a draft."""
    ours = make_producer(name="Hợp tác xã Thanh An", account=producer_account)
    theirs = make_producer(name="Hợp tác xã Hạt dổi Chí Đạo", commune=legacy_commune(5323))
    return {
        "ours": ours,
        "theirs": theirs,
        "our_draft": make_product(ours, name="Mật ong Thanh An"),
        "their_draft": make_product(theirs, name="Muối hạt dổi", status=Lifecycle.IN_PREPARATION),
        "their_published": make_product(
            theirs, name="Hạt dổi Chí Đạo", status=Lifecycle.CERTIFIED, stars=3
        ),
    }


def test_producer_account_cannot_read_or_change_another_producers_draft(
    client, producer_account, two_producers
):
    draft = two_producers["their_draft"]
    client.force_login(producer_account)
    assert client.get(f"/products/{draft.pk}/").status_code == 404
    assert client.get(f"/products/{draft.pk}/edit/").status_code == 404
    response = client.post(
        f"/products/{draft.pk}/edit/",
        {"name": "Chiếm đoạt", "producer": draft.producer_id, "commune": draft.commune.ref},
    )
    assert response.status_code == 404
    assert client.post(f"/products/{draft.pk}/status/", {"status": "idea"}).status_code == 404
    draft.refresh_from_db()
    assert draft.name == "Muối hạt dổi" and draft.status == Lifecycle.IN_PREPARATION
    listing = client.get("/products/", {"q": "muoi"}).content.decode()
    assert "Muối hạt dổi" not in listing


def test_producer_account_reads_and_edits_its_own_draft_only(
    client, producer_account, two_producers
):
    ours = two_producers["our_draft"]
    published = two_producers["their_published"]
    client.force_login(producer_account)
    assert client.get(f"/products/{ours.pk}/").status_code == 200
    response = client.post(
        f"/products/{ours.pk}/edit/",
        {
            "name": "Mật ong hoa rừng Thanh An",
            "producer": ours.producer_id,
            "commune": ours.commune.ref,
            "group_2023": ours.group_2023_id,
        },
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.name == "Mật ong hoa rừng Thanh An"
    # A published product of another producer can be read, not changed.
    page = client.get(f"/products/{published.pk}/")
    assert page.status_code == 200
    assert f"/products/{published.pk}/edit/" not in page.content.decode()
    assert client.get(f"/products/{published.pk}/edit/").status_code == 404


def test_the_product_form_offers_only_the_producers_own_trademarks(
    client, producer_account, two_producers
):
    ours = two_producers["our_draft"]
    Trademark = ours.producer.trademarks.model
    own = Trademark.objects.create(producer=ours.producer, name="Mật ong Thanh An")
    collective = Trademark.objects.create(
        producer=two_producers["theirs"], name="Hạt dổi Chí Đạo", kind="collective"
    )
    client.force_login(producer_account)
    page = client.get(f"/products/{ours.pk}/edit/")
    offered = list(page.context["form"].fields["trademark"].queryset)
    assert offered == [own]
    response = client.post(
        f"/products/{ours.pk}/edit/",
        {
            "name": ours.name,
            "producer": ours.producer_id,
            "commune": ours.commune.ref,
            "group_2023": ours.group_2023_id,
            "trademark": collective.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["trademark"] == ["Nhãn hiệu này thuộc về chủ thể khác."]
    ours.refresh_from_db()
    assert ours.trademark_id is None


def test_producer_account_cannot_register_a_product_for_another_producer(
    client, producer_account, two_producers
):
    theirs = two_producers["theirs"]
    client.force_login(producer_account)
    group = ProductGroup.objects.get(classification="2023", code="1.4")
    before = Product.objects.count()
    response = client.post(
        "/products/new/",
        {
            "name": "Mật ong giả danh",
            "producer": theirs.pk,
            "commune": theirs.commune.ref,
            "group_2023": group.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["producer"]
    assert Product.objects.count() == before


def test_producer_account_api_sees_and_changes_only_its_own(producer_account, two_producers):
    api = Client(headers=bearer(producer_account))
    draft = two_producers["their_draft"]
    assert api.get(f"/api/v1/products/{draft.pk}").status_code == 404
    names = {p["name"] for p in api.get("/api/v1/products").json()["items"]}
    assert names == {"Mật ong Thanh An", "Hạt dổi Chí Đạo"}
    response = api.put(
        f"/api/v1/products/{draft.pk}",
        payload(draft, name="Chiếm đoạt"),
        content_type="application/json",
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.name == "Muối hạt dổi"
    response = api.post(
        "/api/v1/products",
        payload(draft, name="Sản phẩm lạ"),
        content_type="application/json",
    )
    assert response.status_code == 400 and "producer" in response.json()["detail"]
    assert not Product.objects.filter(name="Sản phẩm lạ").exists()
    ours = two_producers["our_draft"]
    response = api.put(
        f"/api/v1/products/{ours.pk}",
        payload(ours, name="Mật ong bạc hà Thanh An"),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["name"] == "Mật ong bạc hà Thanh An"


def test_anonymous_sees_only_published_products(client, two_producers):
    listing = client.get("/products/").content.decode()
    assert "Hạt dổi Chí Đạo" in listing
    assert "Muối hạt dổi" not in listing and "Mật ong Thanh An" not in listing
    assert client.get(f"/products/{two_producers['their_draft'].pk}/").status_code == 404
    assert client.get(f"/products/{two_producers['their_published'].pk}/").status_code == 200
    api = client.get("/api/v1/products").json()
    assert [p["name"] for p in api["items"]] == ["Hạt dổi Chí Đạo"]
    assert client.get(f"/api/v1/products/{two_producers['our_draft'].pk}").status_code == 404
    export = client.get("/products/export.csv").content.decode("utf-8-sig")
    assert "Hạt dổi Chí Đạo" in export and "Muối hạt dổi" not in export
    # Anonymous users are sent to the login page for any write.
    assert client.get("/products/new/").status_code == 302
    draft = two_producers["their_draft"]
    response = client.post(f"/products/{draft.pk}/status/", {"status": "idea"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_commune_officer_cannot_edit_products_outside_their_communes(
    client, commune_officer, make_producer, make_product
):
    # Chí Đạo (legacy 5323) became Quyết Thắng, the officer's commune; Mỹ Thành is unmapped.
    inside = make_product(make_producer(commune=legacy_commune(5323)), name="Muối hạt dổi")
    outside = make_product(make_producer(commune=legacy_commune(MY_THANH)), name="Ớt Phú Lương")
    client.force_login(commune_officer)
    assert client.get(f"/products/{inside.pk}/edit/").status_code == 200
    assert client.get(f"/products/{outside.pk}/").status_code == 404
    assert client.get(f"/products/{outside.pk}/edit/").status_code == 404
    response = client.post(
        f"/products/{outside.pk}/edit/",
        {
            "name": "Đổi tên",
            "producer": outside.producer_id,
            "commune": outside.commune.ref,
            "group_2023": outside.group_2023_id,
        },
    )
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.name == "Ớt Phú Lương"
    # Nor may they move a product of theirs to a commune they do not govern.
    response = client.post(
        f"/products/{inside.pk}/edit/",
        {
            "name": inside.name,
            "producer": inside.producer_id,
            "commune": "legacy:5275",
            "group_2023": inside.group_2023_id,
        },
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["commune"]] == ["scope"]
    assert "nằm ngoài địa bàn" in response.content.decode()
    inside.refresh_from_db()
    assert inside.commune.code == 5323


def test_province_officer_is_scoped_to_their_province(
    client, province_officer, other_province_officer, make_producer, make_product
):
    lac_son = make_product(make_producer(commune=legacy_commune(MY_THANH)), name="Gà Ri Lạc Sơn")
    hanoi_commune = current_commune(4)  # Phường Ba Đình, Hà Nội
    hanoi = make_product(make_producer(commune=hanoi_commune), name="Cốm làng Vòng")
    client.force_login(province_officer)
    # Hòa Bình's legacy communes count in Phú Thọ, the province it became.
    assert client.get(f"/products/{lac_son.pk}/edit/").status_code == 200
    assert client.get(f"/products/{hanoi.pk}/").status_code == 404
    assert client.get(f"/products/{hanoi.pk}/edit/").status_code == 404
    listing = client.get("/products/").content.decode()
    assert "Gà Ri Lạc Sơn" in listing and "Cốm làng Vòng" not in listing
    client.force_login(other_province_officer)
    assert client.get(f"/products/{hanoi.pk}/edit/").status_code == 200
    assert client.get(f"/products/{lac_son.pk}/edit/").status_code == 404


@pytest.mark.parametrize("role", [Role.COUNCIL_MEMBER, Role.INSPECTOR, Role.UNION_OFFICER])
def test_other_roles_cannot_change_products(client, phu_tho, role, make_producer, make_product):
    product = make_product(make_producer(), name="Gà Ri Lạc Sơn")
    user = make_user(f"user-{role}", role, province=phu_tho)
    client.force_login(user)
    assert client.get(f"/products/{product.pk}/edit/").status_code == 404
    assert client.get("/products/new/").status_code == 403
    response = client.put(
        f"/api/v1/products/{product.pk}",
        payload(product, name="Đổi tên"),
        content_type="application/json",
        headers=bearer(user),
    )
    assert response.status_code == 404


def test_api_writes_need_a_valid_token_or_session(client, province_officer, make_producer):
    producer = make_producer(commune=legacy_commune(MY_THANH))
    body = {
        "name": "Mật ong bạc hà",
        "producer_id": producer.pk,
        "commune": "legacy:5275",
        "group_2023": "1.4",
    }
    post = "/api/v1/products"
    assert client.post(post, body, content_type="application/json").status_code == 401
    bad = {"Authorization": "Bearer ocop_not-a-real-token"}
    assert client.post(post, body, content_type="application/json", headers=bad).status_code == 401
    token = ApiToken.issue(province_officer)
    ApiToken.objects.filter(user=province_officer).update(revoked=True)
    revoked = {"Authorization": f"Bearer {token}"}
    response = client.post(post, body, content_type="application/json", headers=revoked)
    assert response.status_code == 401
    assert not Product.objects.filter(name="Mật ong bạc hà").exists()
    response = client.post(
        post, body, content_type="application/json", headers=bearer(province_officer)
    )
    assert response.status_code == 201, response.content
    assert response.json()["producer"] == producer.name and response.json()["stars"] is None


def test_api_session_writes_check_csrf(province_officer, make_producer):
    producer = make_producer(commune=legacy_commune(MY_THANH))
    body = {
        "name": "Mật ong",
        "producer_id": producer.pk,
        "commune": "legacy:5275",
        "group_2023": "1.4",
    }
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(province_officer)
    response = browser.post("/api/v1/products", body, content_type="application/json")
    assert response.status_code == 403
    browser.get("/products/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/v1/products", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_commune_officer_api_writes_stay_in_their_communes(commune_officer, make_producer):
    api = Client(headers=bearer(commune_officer))
    outside = make_producer(commune=legacy_commune(MY_THANH))
    inside = make_producer(commune=current_commune(QUYET_THANG))
    body = {
        "name": "Gà Ri",
        "producer_id": outside.pk,
        "commune": "legacy:5275",
        "group_2023": "1.5",
    }
    response = api.post("/api/v1/products", body, content_type="application/json")
    assert response.status_code == 400
    assert not Product.objects.filter(name="Gà Ri").exists()
    body.update(producer_id=inside.pk, commune=str(QUYET_THANG))
    response = api.post("/api/v1/products", body, content_type="application/json")
    assert response.status_code == 201, response.content
