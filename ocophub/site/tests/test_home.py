import re

import pytest

from ocophub.conftest import QUYET_THANG, current_commune
from ocophub.products.models import Lifecycle, Product


def figure(html, label):
    match = re.search(r'<div class="n">(\d+)</div><div class="l">' + re.escape(label), html)
    return int(match.group(1))


@pytest.mark.django_db
def test_home_page_counts_published_products_only(client, make_producer, make_product):
    thanh_an, other = make_producer(), make_producer(commune=current_commune(QUYET_THANG))
    honey = make_product(thanh_an)
    make_product(thanh_an, name="Trà hoa vàng")
    make_product(other, name="Chè Shan tuyết", commune=other.commune)
    Product.objects.filter(pk=honey.pk).update(status=Lifecycle.CERTIFIED, stars=4)
    Product.objects.filter(name="Trà hoa vàng").update(status=Lifecycle.IN_PREPARATION)
    Product.objects.filter(name="Chè Shan tuyết").update(status=Lifecycle.EXPIRED, stars=3)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "certified OCOP products") == 1
    assert figure(html, "4-star products") == 1
    assert figure(html, "3-star products") == 0  # expired: published, no longer certified
    assert figure(html, "certified producers") == 2
    assert figure(html, "communes with an OCOP product") == 2
    assert figure(html, "products in preparation") == 1
    assert "Mật ong Thanh An" in html and "Chè Shan tuyết" in html
    assert "Trà hoa vàng" not in html
