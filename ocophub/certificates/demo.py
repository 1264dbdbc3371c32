"""Demo certificates, issued through issue_certificate so products' stars follow.

From the seeds: Thanh An honey and Phú Lương chili hold 3 stars (a 2024 article; the
decision dates are not given, so both sit on one Lạc Sơn district decision of March 2024,
when 148/QĐ-TTg let a district recognise 3 stars); Chí Đạo dổi seeds were certified 3
stars by the province in 2019. No source records a renewal of that 2019 certificate, so
its 36 months ran out on 26/12/2022; the article still counts the product among Lạc Sơn's
15 in 2024, so the demo has it re-evaluated in January 2023 and again in December 2025
(both renewals marked sample), leaving the 2019 certificate expired. Decision numbers and
scores the sources do not give are left blank.

Sample (marked): the 4-star Lạc Sơn product (Chè xanh Ngọc Sơn, 3 stars in 2021 then
upgraded in 2024, so one certificate shows as superseded) and the other certified Lạc
Sơn products, so that today, as in the 2024 article, Lạc Sơn has 15 certified products,
one of them 4-star. One sample is dated from today so it always shows as expiring (about
45 days left); Chuối tiêu's first certificate was revoked in 2023 and the product
certified again in 2024, so the revoked status shows without losing a product.
"""

import datetime

from django.utils import timezone

from ocophub.products.models import Product

from .issuing import issue_certificate, revoke
from .validity import add_months

HOA_BINH = "Ủy ban nhân dân tỉnh Hòa Bình"
LAC_SON = "Ủy ban nhân dân huyện Lạc Sơn"
PHU_THO = "Ủy ban nhân dân tỉnh Phú Thọ"
D = datetime.date


def issuer(day, stars):
    """The body that recognised `stars` on `day` for a Lạc Sơn product (domain.md)."""
    if day < D(2023, 2, 24):  # 1048: the province recognises 3 and 4 stars
        return HOA_BINH
    if day < D(2025, 7, 1):  # 148: the district 3 stars, the province 4
        return LAC_SON if stars == 3 else HOA_BINH
    return PHU_THO  # merged province, two-tier government


def expiring_start(today):
    """A start date whose certificate ends about 45 days from today."""
    return add_months(today + datetime.timedelta(days=46), -36)


# (product, [(valid from, stars, score, decision number)], sample)
PLAN = [
    ("Mật ong Thanh An", [(D(2024, 3, 28), 3, None, "")], False),
    ("Ớt Phú Lương", [(D(2024, 3, 28), 3, None, "")], False),
    (
        "Hạt dổi Chí Đạo",
        [(D(2019, 12, 27), 3, None, ""), (D(2023, 1, 16), 3, 61, ""), (D(2025, 12, 15), 3, 63, "")],
        False,
    ),
    (
        "Chè xanh Ngọc Sơn",
        [(D(2021, 11, 10), 3, 66, "2456/QĐ-UBND"), (D(2024, 8, 20), 4, 74.5, "1733/QĐ-UBND")],
        True,
    ),
    ("Gạo nếp cẩm Vụ Bản", [(D(2024, 5, 20), 3, 61, "1187/QĐ-UBND")], True),
    ("Rượu men lá Tân Lập", [(D(2024, 5, 20), 3, 58.5, "1187/QĐ-UBND")], True),
    ("Măng khô Văn Sơn", [(D(2024, 11, 8), 3, 63, "3012/QĐ-UBND")], True),
    ("Bưởi đỏ Yên Phú", [(D(2024, 11, 8), 3, 67, "3012/QĐ-UBND")], True),
    ("Chè búp khô Ngọc Sơn", [(D(2024, 11, 8), 3, 60, "3012/QĐ-UBND")], True),
    ("Cam Ân Nghĩa", [(D(2025, 4, 15), 3, 64, "905/QĐ-UBND")], True),
    ("Mật ong rừng Ân Nghĩa", [(D(2025, 4, 15), 3, 62.5, "905/QĐ-UBND")], True),
    ("Bánh chưng cốm Vụ Bản", [(D(2025, 10, 28), 3, 65, "2870/QĐ-UBND")], True),
    ("Tinh bột nghệ Tân Lập", [(D(2025, 10, 28), 3, 59, "2870/QĐ-UBND")], True),
    ("Gạo tẻ Yên Phú", [("expiring", 3, 57, "")], True),
    (
        "Chuối tiêu Hương Nhượng",
        [(D(2021, 6, 15), 3, 52, "1420/QĐ-UBND"), (D(2024, 5, 20), 3, 55, "1187/QĐ-UBND")],
        True,
    ),
]
# (product, index of the certificate in its steps) -> (revoked on, reason)
REVOCATIONS = {
    ("Chuối tiêu Hương Nhượng", 0): (
        D(2023, 3, 10),
        "Kiểm tra định kỳ: cơ sở không duy trì điều kiện bảo đảm an toàn thực phẩm (dữ liệu mẫu).",
    ),
}


def load():
    today = timezone.localdate()
    issued = 0
    for name, steps, sample in PLAN:
        product = Product.objects.filter(name=name).first()
        if product is None or product.certificates.exists():
            continue
        for index, (valid_from, stars, score, decision) in enumerate(steps):
            if valid_from == "expiring":
                valid_from = expiring_start(today)
            certificate = issue_certificate(
                product=product,
                stars=stars,
                score=score,
                issued_by=issuer(valid_from, stars),
                valid_from=valid_from,
                decision_number=decision,
                # A renewal the sources do not record is sample data, whoever holds it.
                is_sample=sample or index > 0,
            )
            issued += 1
            if (name, index) in REVOCATIONS:
                revoke(certificate, *REVOCATIONS[(name, index)])
    return f"{issued} certificates issued"
