"""Producers and the registry's officers keep the points of sale (điểm bán) in their scope:
a shop that stocks a product certified today shows on the public "where to buy" page."""

import pytest

from ocophub.accounts.models import Role
from ocophub.conftest import current_commune, log_in, make_user
from ocophub.market.models import Shop

HANOI_COMMUNE = 4  # a current commune of Hà Nội, outside Phú Thọ


def in_english(client):
    client.cookies["django_language"] = "en"  # staff pages: English only by the switch


@pytest.fixture
def owner(certified):
    user = make_user("thanhan", Role.PRODUCER)
    certified["producer"].accounts.add(user)
    return user


@pytest.fixture
def elsewhere(make_producer, make_product):
    """A producer in Hà Nội with its own account, product and shop."""
    account = make_user("hanoi", Role.PRODUCER)
    commune = current_commune(HANOI_COMMUNE)
    producer = make_producer(name="HTX Hà Nội", commune=commune, account=account)
    product = make_product(producer, name="Trà sen Tây Hồ")
    shop = Shop.objects.create(
        name="Quầy trà Tây Hồ", kind="stall", address="Chợ Quảng An", commune=commune
    )
    shop.producer = producer
    shop.save()
    shop.products.add(product)
    return {"account": account, "producer": producer, "product": product, "shop": shop}


def shop_data(certified, **changes):
    data = {
        "name": "Quầy mật ong Thanh An",
        "kind": "stall",
        "address": "Chợ Vụ Bản, khu 3",
        "commune": str(certified["producer"].commune.code),
        "phone": "0912 345 678",
        "hours": "6:00–11:00",
        "latitude": "20.451000",
        "longitude": "105.452000",
        "products": [certified["honey"].pk],
    }
    return {**data, **changes}


def listed_shops(client):
    page = client.get("/market/shops/").content.decode()
    names = ("Cửa hàng OCOP Đà Bắc", "Quầy mật ong Thanh An", "Quầy trà Tây Hồ")
    return [name for name in names if name in page]


def test_a_producer_adds_a_shop_and_shoppers_find_it_on_where_to_buy(client, certified, owner):
    client.force_login(owner)
    assert client.get("/market/shops/new/").status_code == 200
    made = client.post("/market/shops/new/", shop_data(certified), follow=True)
    assert made.redirect_chain == [("/market/shops/", 302)]
    assert "Đã lưu điểm bán: Quầy mật ong Thanh An." in made.content.decode()
    shop = Shop.objects.get(name="Quầy mật ong Thanh An")
    assert shop.producer == certified["producer"] and shop.commune == certified["producer"].commune
    assert (shop.phone, shop.hours, str(shop.latitude)) == (
        "0912 345 678",
        "6:00–11:00",
        "20.451000",
    )
    assert list(shop.products.all()) == [certified["honey"]]
    row = made.content.decode().split(f'id="shop-{shop.pk}"')[1].split("</tr>")[0]
    assert 'data-public="yes"' in row and "đang hiện" in row
    public = client.get("/noi-ban/").content.decode()
    assert "Quầy mật ong Thanh An" in public and "Chợ Vụ Bản, khu 3" in public


def test_a_producer_edits_its_shop_and_a_shop_of_uncertified_products_leaves_the_public_page(
    client, certified, owner
):
    client.force_login(owner)
    client.post("/market/shops/new/", shop_data(certified))
    shop = Shop.objects.get(name="Quầy mật ong Thanh An")
    form = client.get(f"/market/shops/{shop.pk}/").content.decode()
    assert 'value="Chợ Vụ Bản, khu 3"' in form and "Gạo nếp cái hoa vàng" in form
    edited = client.post(
        f"/market/shops/{shop.pk}/",
        shop_data(certified, hours="6:00–12:00", products=[certified["rice"].pk]),
    )
    assert edited.status_code == 302 and edited["Location"] == "/market/shops/"
    shop.refresh_from_db()
    assert shop.hours == "6:00–12:00" and list(shop.products.all()) == [certified["rice"]]
    # The rice's certificate ended: nothing there is certified today.
    assert 'data-public="no"' in client.get("/market/shops/").content.decode()
    assert "Quầy mật ong Thanh An" not in client.get("/noi-ban/").content.decode()


def test_a_producer_removes_its_shop_after_confirming(client, certified, owner):
    client.force_login(owner)
    client.post("/market/shops/new/", shop_data(certified))
    shop = Shop.objects.get(name="Quầy mật ong Thanh An")
    asked = client.get(f"/market/shops/{shop.pk}/delete/")
    assert asked.status_code == 200 and Shop.objects.filter(pk=shop.pk).exists()
    assert "Xóa điểm bán" in asked.content.decode()
    removed = client.post(f"/market/shops/{shop.pk}/delete/", follow=True)
    assert removed.redirect_chain == [("/market/shops/", 302)]
    assert "Đã xóa điểm bán: Quầy mật ong Thanh An." in removed.content.decode()
    assert not Shop.objects.filter(pk=shop.pk).exists()
    assert "Quầy mật ong Thanh An" not in client.get("/noi-ban/").content.decode()


def test_another_producers_shop_is_not_found_and_cannot_be_changed(
    client, certified, owner, elsewhere
):
    theirs = elsewhere["shop"]
    client.force_login(owner)
    assert listed_shops(client) == []  # the sample shop has no producer: the office's
    assert client.get(f"/market/shops/{theirs.pk}/").status_code == 404
    assert client.get(f"/market/shops/{theirs.pk}/delete/").status_code == 404
    posted = client.post(f"/market/shops/{theirs.pk}/", shop_data(certified, name="Của tôi"))
    assert posted.status_code == 404
    assert client.post(f"/market/shops/{theirs.pk}/delete/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Quầy trà Tây Hồ" and theirs.producer == elsewhere["producer"]
    # Nor can it make a shop for the other producer.
    made = client.post(
        "/market/shops/new/", shop_data(certified, producer=elsewhere["producer"].pk)
    )
    assert made.status_code == 302
    assert Shop.objects.get(name="Quầy mật ong Thanh An").producer == certified["producer"]


def test_each_officer_sees_the_shops_of_their_communes(
    client, certified, owner, elsewhere, commune_officer, province_officer
):
    client.force_login(owner)
    client.post("/market/shops/new/", shop_data(certified))
    client.force_login(commune_officer)
    assert listed_shops(client) == ["Cửa hàng OCOP Đà Bắc", "Quầy mật ong Thanh An"]
    assert client.get(f"/market/shops/{elsewhere['shop'].pk}/").status_code == 404
    client.force_login(province_officer)
    assert listed_shops(client) == ["Cửa hàng OCOP Đà Bắc", "Quầy mật ong Thanh An"]
    client.force_login(elsewhere["account"])
    assert listed_shops(client) == ["Quầy trà Tây Hồ"]


def test_those_who_keep_no_shops_are_refused(client, certified, province_officer):
    for user in (
        make_user("buyer", Role.BUYER),
        make_user("inspector", Role.INSPECTOR, province=province_officer.province),
        make_user("union", Role.UNION_OFFICER, province=province_officer.province),
    ):
        client.force_login(user)
        for url in (
            "/market/shops/",
            "/market/shops/new/",
            f"/market/shops/{certified['shop'].pk}/",
        ):
            assert client.get(url).status_code == 403, (user.username, url)
    client.logout()
    assert client.get("/market/shops/").status_code == 302  # to the login page


def test_the_office_picks_a_producer_of_its_scope_and_that_producers_products(
    client, certified, elsewhere, province_officer
):
    client.force_login(province_officer)
    made = client.post(
        "/market/shops/new/", shop_data(certified, producer=certified["producer"].pk)
    )
    assert made.status_code == 302
    assert Shop.objects.get(name="Quầy mật ong Thanh An").producer == certified["producer"]
    in_english(client)
    outside = client.post(
        "/market/shops/new/",
        shop_data(certified, name="Ngoài tỉnh", producer=elsewhere["producer"].pk),
    )
    assert outside.status_code == 400
    assert "Choose a producer in your scope from the list." in outside.content.decode()
    # The product list follows the producer chosen.
    boxes = client.get(
        "/market/shops/products/", {"producer": certified["producer"].pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="id_products"' in boxes and "Gạo nếp cái hoa vàng" in boxes
    assert "Trà sen Tây Hồ" not in boxes
    assert not Shop.objects.filter(name="Ngoài tỉnh").exists()


def test_an_officer_keeps_the_products_of_a_shop_of_many_producers_it_may_not_change(
    client, certified, elsewhere, commune_officer
):
    shop = certified["shop"]  # no producer: an OCOP shop of many producers' products
    shop.products.add(elsewhere["product"])  # one of Hà Nội, outside the officer's communes
    client.force_login(commune_officer)
    form = client.get(f"/market/shops/{shop.pk}/").content.decode()
    assert "Trà sen Tây Hồ" not in form
    saved = client.post(
        f"/market/shops/{shop.pk}/",
        shop_data(certified, name=shop.name, products=[certified["rice"].pk]),
    )
    assert saved.status_code == 302
    assert set(shop.products.all()) == {certified["rice"], elsewhere["product"]}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Nhập tên điểm bán."),
        ({"latitude": ""}, "latitude", "Nhập cả vĩ độ và kinh độ, hoặc bỏ trống cả hai."),
        ({"longitude": "205"}, "longitude", "Kinh độ nằm trong khoảng -180 đến 180"),
        ({"commune": "không có xã này"}, "commune", "Không tìm thấy xã/phường “không có xã này”"),
    ],
)
def test_a_bad_shop_is_refused_under_its_field_in_vietnamese(
    client, certified, owner, changes, field, message
):
    client.force_login(owner)
    answer = client.post("/market/shops/new/", shop_data(certified, **changes))
    assert answer.status_code == 400
    page = answer.content.decode()
    errors = page.split(f'id="id_{field}_errors"')[1].split("</ul>")[0]
    assert message in errors and errors.count("<li>") == 1
    assert Shop.objects.count() == 1  # the sample shop only


def test_a_product_of_another_producer_is_refused_and_nothing_is_written(
    client, certified, owner, elsewhere
):
    client.force_login(owner)
    in_english(client)
    answer = client.post(
        "/market/shops/new/", shop_data(certified, products=[elsewhere["product"].pk])
    )
    assert answer.status_code == 400
    errors = answer.content.decode().split('id="id_products_errors"')[1].split("</ul>")[0]
    assert "Tick only the products listed" in errors
    assert Shop.objects.count() == 2


def test_a_commune_outside_the_officers_communes_is_refused(client, certified, commune_officer):
    client.force_login(commune_officer)
    in_english(client)
    answer = client.post(
        "/market/shops/new/", shop_data(certified, commune=str(HANOI_COMMUNE), products=[])
    )
    assert answer.status_code == 400
    errors = answer.content.decode().split('id="id_commune_errors"')[1].split("</ul>")[0]
    assert "it is outside your communes" in errors
    assert Shop.objects.count() == 1


def test_the_shop_pages_read_in_english(client, certified, owner):
    client.force_login(owner)
    in_english(client)
    client.post("/market/shops/new/", shop_data(certified))
    page = client.get("/market/shops/").content.decode()
    assert "<h1>Points of sale</h1>" in page and "Add a point of sale" in page
    assert "1 point of sale" in page and "Stall" in page
    form = client.get("/market/shops/new/").content.decode()
    assert "New point of sale" in form and "Opening hours" in form
    missing = client.post("/market/shops/new/", shop_data(certified, name="", address=""))
    assert "Give the name of the point of sale." in missing.content.decode()
    assert "Give the address: street and number, or hamlet." in missing.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_producer_adds_a_shop_on_a_phone_and_the_office_picks_a_producers_products(
    phone, too_wide, reference_data
):
    from ocophub.conftest import PHU_THO, QUYET_THANG
    from ocophub.places.models import Era, Province
    from ocophub.testing.builders import make_producer, make_product

    account = make_user("thanhan", Role.PRODUCER)
    producer = make_producer(commune=current_commune(QUYET_THANG), account=account)
    make_product(producer, name="Mật ong Thanh An")
    neighbour = make_producer(commune=current_commune(QUYET_THANG), name="HTX Chè Quyết Thắng")
    make_product(neighbour, name="Chè xanh Quyết Thắng")
    province = Province.objects.get(era=Era.CURRENT, code=PHU_THO)
    make_user("province", Role.PROVINCE_OFFICE, province=province)
    page = phone()
    wide = []

    log_in(page, "thanhan")
    page.goto(page.base_url + "/market/shops/new/")
    wide += ["new"] if too_wide(page) else []
    page.fill("#id_name", "Quầy mật ong Thanh An")
    page.select_option("#id_kind", "stall")
    page.fill("#id_address", "Chợ Vụ Bản")
    page.fill("#id_commune", str(QUYET_THANG))
    page.check("#id_products_0")
    page.click("main button[type=submit]")
    page.wait_for_url("**/market/shops/")
    wide += ["list"] if too_wide(page) else []
    shop = Shop.objects.get()
    for url in (f"/market/shops/{shop.pk}/", f"/market/shops/{shop.pk}/delete/"):
        page.goto(page.base_url + url)
        wide += [url] if too_wide(page) else []

    page.context.clear_cookies()
    log_in(page, "province")
    page.goto(page.base_url + "/market/shops/new/")
    assert page.locator("#id_products input").count() == 2  # a shop of many producers
    page.select_option("#id_producer", str(producer.pk))
    # The product list swaps to the producer's own (htmx).
    page.wait_for_function("() => document.querySelectorAll('#id_products input').length == 1")
    assert page.locator("#id_products label").inner_text().strip() == "Mật ong Thanh An"
    wide += ["office"] if too_wide(page) else []
    assert wide == [] and page.outside == []
