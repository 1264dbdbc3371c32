"""The product's page lists its certificates with their status and a link to each."""

import datetime

import pytest
from django.urls import reverse

from ocophub.certificates.issuing import issue_certificate, revoke
from ocophub.products.models import Lifecycle

pytestmark = pytest.mark.django_db


def test_product_page_lists_certificates_with_status(client, make_producer, make_product):
    product = make_product(make_producer(), name="Mật ong Thanh An", status=Lifecycle.CERTIFIED)
    old = issue_certificate(
        product=product,
        stars=3,
        score=62,
        issued_by="UBND huyện Lạc Sơn",
        valid_from=datetime.date(2020, 1, 10),
    )
    revoke(old, on=datetime.date(2021, 5, 1), reason="Vi phạm nhãn", by=None)
    new = issue_certificate(
        product=product,
        stars=4,
        score=75,
        issued_by="UBND tỉnh Hòa Bình",
        valid_from=datetime.date.today() - datetime.timedelta(days=30),
    )

    page = client.get(reverse("products:detail", args=[product.pk])).content.decode()
    assert new.number in page and old.number in page
    assert "Thu hồi" in page or "Đã thu hồi" in page
    # Anonymous visitors get the public verification page, not the staff record.
    assert f'href="/verify/{new.number}"' in page
