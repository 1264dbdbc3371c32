"""Demo producers: every one the seed articles name, plus sample ones (marked) that fill
out the Lạc Sơn picture. Names carry Vietnamese diacritics; places are real units."""

import datetime

from stdnum.vn import mst

from ocophub.accounts.models import User
from ocophub.places.models import Commune, Era

from .models import Gender, Member, Producer, ProducerKind, Trademark, TrademarkKind


def tax_number(serial):
    """A well-formed Hòa Bình tax code (prefix 54) for demo records."""
    body = f"54001{serial:04d}"
    return body + mst.calc_check_digit(body)


def legacy(code):
    return Commune.objects.get(era=Era.LEGACY, code=code)


# (key, kind, name, commune (legacy code), representative, founded, members, sample, address)
PRODUCERS = [
    (
        "thanh-an",
        ProducerKind.COOPERATIVE,
        "Hợp tác xã Nông nghiệp và Dịch vụ tổng hợp Thanh An",
        5275,
        "Bùi Văn Thanh",
        "2017-03-15",
        12,
        False,
        "Xóm Thanh An, xã Mỹ Thành",
    ),
    (
        "chi-dao",
        ProducerKind.COOPERATIVE,
        "Hợp tác xã Dổi Chí Đạo",
        5323,
        "Bùi Văn Đạo",
        "2018-06-01",
        20,
        False,
        "Xã Chí Đạo",
    ),
    (
        "phu-luong",
        ProducerKind.COOP_GROUP,
        "Tổ hợp tác sản xuất ớt Phú Lương",
        5335,
        "Quách Thị Lương",
        "2016-09-10",
        15,
        False,
        "Khu Phú Lương, xã Vũ Bình",
    ),
    (
        "huong-nhuong",
        ProducerKind.COOPERATIVE,
        "Hợp tác xã chăn nuôi gà đồi Hương Nhượng",
        5332,
        "Bùi Văn Nhượng",
        "2019-04-20",
        9,
        False,
        "Xã Hương Nhượng",
    ),
    (
        "chi-thien",
        ProducerKind.COOPERATIVE,
        "Hợp tác xã chăn nuôi và cung ứng gà đồi Chí Thiện",
        5332,
        "Đinh Công Thiện",
        "2020-02-11",
        8,
        False,
        "Khu Chí Thiện, xã Hương Nhượng",
    ),
    (
        "ban-muong",
        ProducerKind.COOPERATIVE,
        "Hợp tác xã Nông nghiệp và Thương mại Thực phẩm sạch bản Mường",
        4987,
        "Bùi Thị Hương",
        "2023-05-18",
        7,
        False,
        "Xóm Cầu, xã Hùng Sơn, huyện Kim Bôi",
    ),
    # Sample producers (plausible, not from a source) for the rest of Lạc Sơn's products.
    (
        "vu-ban",
        ProducerKind.ENTERPRISE,
        "Công ty TNHH Nông sản Vụ Bản",
        5266,
        "Trần Văn Bản",
        "2015-01-05",
        None,
        True,
        "Khu 3, thị trấn Vụ Bản",
    ),
    (
        "ngoc-son",
        ProducerKind.COOPERATIVE,
        "Hợp tác xã Chè Ngọc Sơn",
        5329,
        "Bùi Thị Ngọc",
        "2014-08-08",
        11,
        True,
        "Xã Ngọc Sơn",
    ),
    (
        "tan-lap",
        ProducerKind.HOUSEHOLD,
        "Hộ kinh doanh Bùi Văn Lập",
        5287,
        "Bùi Văn Lập",
        "2018-11-11",
        None,
        True,
        "Xã Tân Lập",
    ),
    (
        "yen-phu",
        ProducerKind.COOPERATIVE,
        "Hợp tác xã Nông nghiệp Yên Phú",
        5305,
        "Quách Văn Phú",
        "2016-04-04",
        14,
        True,
        "Xã Yên Phú",
    ),
    (
        "van-son",
        ProducerKind.COOP_GROUP,
        "Tổ hợp tác măng Văn Sơn",
        5284,
        "Bùi Thị Sơn",
        "2021-03-03",
        10,
        True,
        "Xã Văn Sơn",
    ),
    (
        "an-nghia",
        ProducerKind.COOPERATIVE,
        "Hợp tác xã Dịch vụ Nông nghiệp Ân Nghĩa",
        5347,
        "Đinh Văn Nghĩa",
        "2017-07-07",
        16,
        True,
        "Xã Ân Nghĩa",
    ),
]

MEMBERS_CHI_DAO = [
    ("Bùi Văn Đạo", Gender.MALE, "Mường"),
    ("Bùi Thị Dung", Gender.FEMALE, "Mường"),
    ("Quách Văn Tâm", Gender.MALE, "Mường"),
    ("Bùi Thị Hạnh", Gender.FEMALE, "Mường"),
    ("Đinh Văn Hải", Gender.MALE, "Mường"),
    ("Bùi Thị Nga", Gender.FEMALE, "Mường"),
    ("Nguyễn Văn Hòa", Gender.MALE, "Kinh"),
    ("Bùi Thị Lụa", Gender.FEMALE, "Mường"),
]


def load():
    created = 0
    for serial, (key, kind, name, code, rep, founded, members, sample, address) in enumerate(
        PRODUCERS, start=1
    ):
        producer, new = Producer.objects.get_or_create(
            registration_number=mst.format(tax_number(serial)),
            defaults={
                "kind": kind,
                "name": name,
                "commune": legacy(code),
                "representative": rep,
                "founded_on": datetime.date.fromisoformat(founded),
                "member_count": members,
                "is_sample": sample,
                "address": address,
                "phone": f"0218 38{serial:02d} {100 + serial}",
            },
        )
        created += new
        if new and key == "chi-dao":
            Member.objects.bulk_create(
                Member(producer=producer, full_name=n, gender=g, ethnicity=e)
                for n, g, e in MEMBERS_CHI_DAO
            )
            Trademark.objects.create(
                producer=producer,
                name="Hạt dổi Chí Đạo",
                kind=TrademarkKind.COLLECTIVE,
                certificate_number="4-0301234-000",
                registered_on=datetime.date(2018, 12, 20),
            )
        if key == "thanh-an":
            account = User.objects.filter(username="producer").first()
            if account:
                producer.accounts.add(account)
    return f"{created} producers created"
