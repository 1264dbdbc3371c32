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
    assert Certificate.objects.count() == count == 19
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
    assert product("Hạt dổi Chí Đạo").status == Lifecycle.CERTIFIED
    doi = Certificate.objects.filter(product__name="Hạt dổi Chí Đạo").order_by("valid_from")[0]
    assert doi.status_on(today) == CertificateStatus.EXPIRED
    assert (doi.valid_from, doi.valid_until) == (
        datetime.date(2019, 12, 27),
        datetime.date(2022, 12, 26),
    )
    assert doi.issued_by == "Ủy ban nhân dân tỉnh Hòa Bình"
    assert doi.number == "OCOP-17-2019-0001"
    assert not doi.is_sample
    banana = product("Chuối tiêu Hương Nhượng")
    assert banana.stars == 3
    assert (
        banana.certificates.order_by("valid_from")[0].status_on(today) == CertificateStatus.REVOKED
    )
    # As the 2024 article has it: 15 certified products in Lạc Sơn, one of them 4-star.
    lac_son = Product.objects.filter(commune__district__name="Huyện Lạc Sơn")
    certified = lac_son.filter(certificates__in=Certificate.objects.valid_on(today)).distinct()
    assert certified.count() == 15
    assert certified.filter(stars=4).count() == 1
    honey = Certificate.objects.get(product__name="Mật ong Thanh An")
    assert honey.issued_by == "Ủy ban nhân dân huyện Lạc Sơn"  # 148: a district's 3 stars
    assert product("Mật ong Thanh An").stars == 3
    assert Certificate.objects.get(product__name="Bánh chưng cốm Vụ Bản").number.startswith(
        "OCOP-25-2025-"
    )
    # Only the sourced certificates are not sample data.
    assert set(Certificate.objects.filter(is_sample=False).values_list("number", flat=True)) == {
        Certificate.objects.get(product__name=name).number
        for name in ("Mật ong Thanh An", "Ớt Phú Lương")
    } | {doi.number}
