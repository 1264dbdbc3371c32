"""Exports are the import format: what is exported can be imported again unchanged."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ocophub.conftest import legacy_commune
from ocophub.core.models import ImportJob
from ocophub.producers.importing import COLUMNS as PRODUCER_COLUMNS
from ocophub.producers.models import Producer
from ocophub.products.importing import COLUMNS as PRODUCT_COLUMNS
from ocophub.products.models import Product

pytestmark = pytest.mark.django_db


def fields(model, names):
    return sorted(model.objects.values_list(*names))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_producers_and_products_round_trip(
    client, province_officer, make_producer, make_product, fmt
):
    thanh_an = make_producer(name="Hợp tác xã Thanh An", phone="0218 3861 234", member_count=20)
    chi_dao = make_producer(name="Hợp tác xã Hạt dổi Chí Đạo", commune=legacy_commune(5323))
    make_product(thanh_an, name="Mật ong Thanh An", gtin="8930000000019", story="Ong nuôi\nở rừng")
    make_product(chi_dao, name="Muối hạt dổi", description="Muối, hạt dổi, ớt")
    client.force_login(province_officer)
    producer_names = ["name", "registration_number", "kind", "phone", "member_count", "commune"]
    product_names = ["name", "producer__name", "gtin", "story", "description", "group_2023"]
    producers_before = fields(Producer, producer_names)
    products_before = fields(Product, product_names)

    producers_file = client.get(f"/producers/export.{fmt}")
    products_file = client.get(f"/products/export.{fmt}")
    for response, columns in ((producers_file, PRODUCER_COLUMNS), (products_file, PRODUCT_COLUMNS)):
        assert response.status_code == 200
        if fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(response.content)).active
            header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        else:
            assert response.content.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
            header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
        assert header == [c.name for c in columns]

    Product.objects.all().delete()
    Producer.objects.all().delete()
    for url, response in (
        ("/producers/import/", producers_file),
        ("/products/import/", products_file),
    ):
        upload = SimpleUploadedFile(f"export.{fmt}", response.content)
        client.post(url, {"file": upload})
        job = ImportJob.objects.latest("pk")
        assert job.status == ImportJob.Status.DONE, job.problems
    assert fields(Producer, producer_names) == producers_before
    assert fields(Product, product_names) == products_before
