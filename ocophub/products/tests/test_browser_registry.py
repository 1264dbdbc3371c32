"""In headless chromium: log in, register a producer and a product, find it unaccented."""

import pytest

from ocophub.conftest import log_in
from ocophub.producers.models import Producer
from ocophub.products.models import Product, ProductGroup


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_registers_a_producer_and_product_then_finds_it(
    page, reference_data, province_officer
):
    log_in(page, "province")
    assert page.locator("header").get_by_text("province").is_visible()

    page.goto(page.base_url + "/producers/")
    page.get_by_role("link", name="Thêm chủ thể").click()
    page.select_option("#id_kind", "cooperative")
    page.fill("#id_name", "Hợp tác xã Mật ong Thanh An")
    page.fill("#id_registration_number", "0100233583")
    page.fill("#id_representative", "Bùi Văn Thanh")
    page.fill("#id_founded_on", "2018-03-01")
    page.fill("#id_commune", "legacy:5275")
    page.fill("#id_m-0-full_name", "Bùi Thị Hoa")
    page.select_option("#id_m-0-gender", "female")
    page.fill("#id_m-0-ethnicity", "Mường")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Hợp tác xã Mật ong Thanh An"
    assert "Đã lưu chủ thể." in page.locator(".messages").inner_text()
    assert "Xã Mỹ Thành, Huyện Lạc Sơn" in page.locator("main").inner_text()

    page.get_by_role("link", name="Thêm sản phẩm").click()
    page.fill("#id_name", "Mật ong Thanh An")
    honey = ProductGroup.objects.get(classification="2023", code="1.4")
    page.select_option("#id_group_2023", str(honey.pk))
    # The commune of origin starts as the producer's commune.
    assert "[legacy:5275]" in page.input_value("#id_commune")
    page.fill("#id_gtin", "12345678")  # wrong check digit: a field error, nothing saved
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "chữ số cuối phải là 0" in page.locator(".field.error").inner_text()
    page.fill("#id_gtin", "12345670")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Mật ong Thanh An")

    page.goto(page.base_url + "/products/")
    page.fill("input[name=q]", "mat ong thanh an")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state()
    assert "q=mat+ong+thanh+an" in page.url
    results = page.locator("tbody a")
    assert results.count() == 1 and results.first.inner_text() == "Mật ong Thanh An"

    producer = Producer.objects.get()
    assert producer.registration_number == "0100233583" and producer.members.count() == 1
    product = Product.objects.get()
    assert product.producer == producer and product.gtin == "00000012345670"
    assert product.history.first().history_user == province_officer
