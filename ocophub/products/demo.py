"""Demo products. The seed articles name Thanh An honey (3★), Chí Đạo dổi seeds (3★ in
2019), Phú Lương chili (3★), Lạc Sơn Ri chicken, Kim Bôi's Mường-village cured meats on
the path to OCOP, and Lạc Sơn's six products in preparation for 2024. Lạc Sơn had 15
certified products (one 4-star): the ones no source names are sample data, marked so."""

from stdnum.vn import mst

from ocophub.producers.demo import tax_number
from ocophub.producers.models import Producer

from .models import Classification, Lifecycle, Product, ProductGroup

# (name, name_en, producer serial, group 2023, group 2019, status, stars, sample, commune)
PRODUCTS = [
    ("Mật ong Thanh An", "Thanh An honey", 1, "1.4", "1.3", Lifecycle.CERTIFIED, 3, False, None),
    ("Hạt dổi Chí Đạo", "Chi Dao doi seeds", 2, "1.6", "1.4", Lifecycle.CERTIFIED, 3, False, None),
    ("Ớt Phú Lương", "Phu Luong chili", 3, "1.6", "1.4", Lifecycle.CERTIFIED, 3, False, None),
    ("Gà Ri Lạc Sơn", "Lac Son Ri chicken", 4, "1.2", "1.1", Lifecycle.IDEA, None, False, None),
    (
        "Gà đồi Chí Thiện",
        "Chi Thien hill chicken",
        5,
        "1.2",
        "1.1",
        Lifecycle.IDEA,
        None,
        False,
        None,
    ),
    (
        "Xúc xích thịt lợn bản Mường",
        "Muong village pork sausage",
        6,
        "1.5",
        "1.3",
        Lifecycle.IN_PREPARATION,
        None,
        False,
        None,
    ),
    (
        "Gà muối bản Mường",
        "Muong village salt-cured chicken",
        6,
        "1.5",
        "1.3",
        Lifecycle.IN_PREPARATION,
        None,
        False,
        None,
    ),
    (
        "Chân giò muối bản Mường",
        "Muong village salt-cured pork hock",
        6,
        "1.5",
        "1.3",
        Lifecycle.IN_PREPARATION,
        None,
        False,
        None,
    ),
    # Lạc Sơn's six products being prepared for 2024.
    (
        "Muối hạt dổi Chí Đạo",
        "Chi Dao doi seed salt",
        2,
        "1.6",
        "1.4",
        Lifecycle.IN_PREPARATION,
        None,
        False,
        None,
    ),
    (
        "Măng chua Văn Sơn",
        "Van Son pickled bamboo shoots",
        11,
        "1.5",
        "1.3",
        Lifecycle.IN_PREPARATION,
        None,
        False,
        None,
    ),
    (
        "Xúc xích ốc Lạc Sơn",
        "Lac Son snail sausage",
        7,
        "1.5",
        "1.3",
        Lifecycle.IN_PREPARATION,
        None,
        False,
        None,
    ),
    (
        "Vịt cổ xanh Yên Phú",
        "Yen Phu green-necked duck",
        10,
        "1.2",
        "1.1",
        Lifecycle.IN_PREPARATION,
        None,
        False,
        None,
    ),
    (
        "Bột nghệ gia vị Tân Lập",
        "Tan Lap seasoned turmeric powder",
        9,
        "1.6",
        "1.4",
        Lifecycle.IN_PREPARATION,
        None,
        False,
        None,
    ),
    (
        "Trứng gà thảo dược Hương Nhượng",
        "Huong Nhuong herbal chicken eggs",
        4,
        "1.2",
        "1.1",
        Lifecycle.IN_PREPARATION,
        None,
        False,
        None,
    ),
    # Sample certified products: Lạc Sơn's 15 in all, one of them 4-star.
    (
        "Chè xanh Ngọc Sơn",
        "Ngoc Son green tea",
        8,
        "1.7",
        "1.5",
        Lifecycle.CERTIFIED,
        4,
        True,
        None,
    ),
    (
        "Gạo nếp cẩm Vụ Bản",
        "Vu Ban purple sticky rice",
        7,
        "1.3",
        "1.3",
        Lifecycle.CERTIFIED,
        3,
        True,
        None,
    ),
    (
        "Rượu men lá Tân Lập",
        "Tan Lap leaf-yeast rice wine",
        9,
        "2.1",
        "2.1",
        Lifecycle.CERTIFIED,
        3,
        True,
        None,
    ),
    (
        "Măng khô Văn Sơn",
        "Van Son dried bamboo shoots",
        11,
        "1.5",
        "1.3",
        Lifecycle.CERTIFIED,
        3,
        True,
        None,
    ),
    ("Bưởi đỏ Yên Phú", "Yen Phu red pomelo", 10, "1.1", "1.1", Lifecycle.CERTIFIED, 3, True, None),
    ("Cam Ân Nghĩa", "An Nghia orange", 12, "1.1", "1.1", Lifecycle.CERTIFIED, 3, True, None),
    (
        "Mật ong rừng Ân Nghĩa",
        "An Nghia wild honey",
        12,
        "1.4",
        "1.3",
        Lifecycle.CERTIFIED,
        3,
        True,
        None,
    ),
    (
        "Chè búp khô Ngọc Sơn",
        "Ngoc Son dried tea buds",
        8,
        "1.7",
        "1.5",
        Lifecycle.CERTIFIED,
        3,
        True,
        None,
    ),
    (
        "Bánh chưng cốm Vụ Bản",
        "Vu Ban green rice chung cake",
        7,
        "1.5",
        "1.3",
        Lifecycle.CERTIFIED,
        3,
        True,
        None,
    ),
    (
        "Tinh bột nghệ Tân Lập",
        "Tan Lap turmeric starch",
        9,
        "3.3",
        "3",
        Lifecycle.CERTIFIED,
        3,
        True,
        None,
    ),
    ("Gạo tẻ Yên Phú", "Yen Phu white rice", 10, "1.3", "1.3", Lifecycle.CERTIFIED, 3, True, None),
    (
        "Chuối tiêu Hương Nhượng",
        "Huong Nhuong banana",
        4,
        "1.1",
        "1.1",
        Lifecycle.CERTIFIED,
        3,
        True,
        None,
    ),
]


def load():
    groups = {(g.classification, g.code): g for g in ProductGroup.objects.all()}
    producers = {}
    created = 0
    for name, name_en, serial, g23, g19, status, stars, sample, commune in PRODUCTS:
        if serial not in producers:
            producers[serial] = Producer.objects.get(
                registration_number=mst.format(tax_number(serial))
            )
        producer = producers[serial]
        _product, new = Product.objects.get_or_create(
            name=name,
            producer=producer,
            defaults={
                "name_en": name_en,
                "commune": commune or producer.commune,
                "status": status,
                "stars": stars,
                "is_sample": sample,
                "group_2023": groups[(Classification.DECISION_148_2023, g23)],
                "group_2019": groups[(Classification.DECISION_1048_2019, g19)],
            },
        )
        created += new
    return f"{created} products created"
