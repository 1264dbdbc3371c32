"""Demo targets: the two the seed articles state.

- Lạc Sơn Party Committee, Resolution 12-NQ/HU of 7 April 2023: by 2025 every commune
  and town of the district has at least one OCOP product, and the district at least one
  product of 4 stars or more.
- Hòa Bình province: 210 certified OCOP products by 2030 (158 in 2024).

"By 2025" is read as the end of 2025 and "by 2030" as the end of 2030.
"""

import datetime

from ocophub.places.models import Era

from .models import Target, TargetKind, UnitLevel

RESOLUTION_12 = "Nghị quyết số 12-NQ/HU ngày 07/04/2023 của Ban Thường vụ Huyện ủy Lạc Sơn"

TARGETS = [
    {
        "title": "Lạc Sơn: mỗi xã, thị trấn có ít nhất 01 sản phẩm OCOP",
        "kind": TargetKind.COVERAGE,
        "unit_era": Era.LEGACY,
        "unit_level": UnitLevel.DISTRICT,
        "unit_code": 157,
        "threshold": 1,
        "min_stars": 3,
        "deadline": datetime.date(2025, 12, 31),
        "source_document": RESOLUTION_12,
        "notes": "Nghị quyết về tích tụ, tập trung đất đai và phát triển sản phẩm OCOP.",
    },
    {
        "title": "Lạc Sơn: huyện có ít nhất 01 sản phẩm OCOP đạt 4 sao trở lên",
        "kind": TargetKind.COUNT,
        "unit_era": Era.LEGACY,
        "unit_level": UnitLevel.DISTRICT,
        "unit_code": 157,
        "threshold": 1,
        "min_stars": 4,
        "deadline": datetime.date(2025, 12, 31),
        "source_document": RESOLUTION_12,
        "notes": "",
    },
    {
        "title": "Hòa Bình: 210 sản phẩm OCOP được công nhận đến năm 2030",
        "kind": TargetKind.COUNT,
        "unit_era": Era.LEGACY,
        "unit_level": UnitLevel.PROVINCE,
        "unit_code": 17,
        "threshold": 210,
        "min_stars": 3,
        "deadline": datetime.date(2030, 12, 31),
        "source_document": "Mục tiêu của tỉnh Hòa Bình (báo Hòa Bình, 2024)",
        "notes": "Năm 2024 tỉnh có 158 sản phẩm OCOP (2 tiềm năng 5 sao, 32 sản phẩm 4 sao, "
        "124 sản phẩm 3 sao).",
    },
]


def load():
    created = 0
    for fields in TARGETS:
        fields = dict(fields)
        title = fields.pop("title")
        _target, new = Target.objects.get_or_create(title=title, defaults=fields)
        created += new
    return f"{created} targets created"
