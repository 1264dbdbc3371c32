import datetime

from django.utils import timezone

from ocophub.accounts import demo as accounts_demo
from ocophub.certificates import demo
from ocophub.certificates.models import Certificate, CertificateStatus
from ocophub.producers import demo as producers_demo
from ocophub.products import demo as products_demo
from ocophub.products.models import Lifecycle, Product


def test_demo_certificates_every_status_and_products_follow(db):
    accounts_demo.load()
    producers_demo.load()
    products_demo.load()
    demo.load()
    count = Certificate.objects.count()
    assert demo.load() == "0 certificates issued"  # idempotent
    assert Certificate.objects.count() == count == 16
    today = timezone.localdate()
    statuses = {c.status_on(today) for c in Certificate.objects.all()}
    assert {
        CertificateStatus.EXPIRING,
        CertificateStatus.EXPIRED,
        CertificateStatus.REVOKED,
        CertificateStatus.SUPERSEDED,
    } <= statuses

    def product(name):
        return Product.objects.get(name=name)

    assert product("Chè xanh Ngọc Sơn").stars == 4
    assert product("Hạt dổi Chí Đạo").status == Lifecycle.EXPIRED
    doi = Certificate.objects.get(product__name="Hạt dổi Chí Đạo")
    assert (doi.valid_from, doi.valid_until) == (
        datetime.date(2019, 12, 27),
        datetime.date(2022, 12, 26),
    )
    assert doi.issued_by == "Ủy ban nhân dân tỉnh Hòa Bình"
    assert doi.number == "OCOP-17-2019-0001"
    assert not doi.is_sample
    assert product("Chuối tiêu Hương Nhượng").stars is None
    honey = Certificate.objects.get(product__name="Mật ong Thanh An")
    assert honey.issued_by == "Ủy ban nhân dân huyện Lạc Sơn"  # 148: a district's 3 stars
    assert product("Mật ong Thanh An").stars == 3
    assert Certificate.objects.get(product__name="Bánh chưng cốm Vụ Bản").number.startswith(
        "OCOP-25-2025-"
    )
    # Only the sourced three are not sample data.
    assert set(
        Certificate.objects.filter(is_sample=False).values_list("product__name", flat=True)
    ) == {"Mật ong Thanh An", "Ớt Phú Lương", "Hạt dổi Chí Đạo"}
