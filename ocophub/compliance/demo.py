"""Demo export compliance in Lạc Sơn (Hòa Bình), all of it marked as sample data:

- growing areas of demo producers with plausible polygons: Chí Đạo dổi seeds (approved
  for China and the EU, clean diary, fed the seed lot CD-2410 that the salt MD-2503 was
  made from), Ân Nghĩa oranges, Yên Phú pomelos under the domestic code form (its
  province, district and commune of before July 2025), Phú Lương chili;
- a packing house in Vụ Bản (approved for China and the EU) where MD-2503 and the
  chili lot PL-2508 were packed (EPCIS events at its GLN);
- inspections by the demo `inspector`: one passed at Chí Đạo, one at Phú Lương with a
  critical finding that suspends the chili's EU approval, and the code itself
  suspended; a minor finding at the packing house;
- diaries for a season: the chili's includes mancozeb, banned by the EU sample list.

So the export check answers yes for MD-2503 to China and no, with reasons, for
PL-2508 to the EU. Loading twice adds nothing (each record is looked up by its code).
"""

import datetime
import math
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation

from ocophub.accounts.models import User
from ocophub.places.models import Commune, Era
from ocophub.producers.models import Producer
from ocophub.trace.demo import gln
from ocophub.trace.models import Batch
from ocophub.trace.services import record_step

from . import reference
from .areas import register_area, register_facility
from .inspections import FindingIn, record_inspection
from .models import (
    Application,
    Approval,
    ApprovalStatus,
    CodeScheme,
    CodeStatus,
    Crop,
    GrowingArea,
    Harvest,
    InspectionKind,
    Market,
    PackingFacility,
    Season,
    Standard,
    Substance,
)

D = datetime.date
FACILITY_GLN = gln(10)
FACILITY_CODE = "VNHBPH-0001"
METRES_PER_DEG_LAT = 110_574.0


def outline(lat: float, lon: float, points: list[tuple[float, float]]) -> dict:
    """A GeoJSON Polygon from (east, north) offsets in metres around a point."""
    per_lon = METRES_PER_DEG_LAT * math.cos(math.radians(lat))
    ring = [
        [round(lon + e / per_lon, 6), round(lat + n / METRES_PER_DEG_LAT, 6)] for e, n in points
    ]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def yen_phu_code() -> str:
    """The domestic form names the units of before July 2025: province, district,
    commune, then the facility number and the year issued."""
    commune = Commune.objects.select_related("district", "province").get(era=Era.LEGACY, code=5305)
    return f"VN-{commune.province.code:02d}-{commune.district.code:03d}-{commune.code:05d}-01-23"


# code, producer name, crop, variety, commune (legacy), standard, expected yield, outline
AREAS = [
    (
        "VN-HBOR-0001",
        "Hợp tác xã Dổi Chí Đạo",
        "doi",
        "Dổi nếp",
        5323,
        Standard.VIETGAP,
        Decimal("2500"),
        outline(20.3905, 105.4012, [(0, 0), (160, -10), (185, 120), (90, 170), (-15, 110)]),
    ),
    (
        "VN-HBOR-0002",
        "Hợp tác xã Dịch vụ Nông nghiệp Ân Nghĩa",
        "orange",
        "Cam Xã Đoài",
        5347,
        Standard.VIETGAP,
        Decimal("90000"),
        outline(20.5268, 105.5174, [(0, 0), (260, 0), (290, 180), (150, 260), (-20, 210)]),
    ),
    (
        None,  # the domestic form, computed from the legacy units
        "Hợp tác xã Nông nghiệp Yên Phú",
        "pomelo",
        "Bưởi đỏ",
        5305,
        Standard.GLOBALGAP,
        Decimal("40000"),
        outline(20.4961, 105.5402, [(0, 0), (200, 20), (210, 170), (40, 190)]),
    ),
    (
        "VN-HBOR-0004",
        "Tổ hợp tác sản xuất ớt Phú Lương",
        "chili",
        "Ớt chỉ thiên",
        5335,
        Standard.VIETGAP,
        Decimal("6000"),
        outline(20.4312, 105.4733, [(0, 0), (90, 0), (95, 70), (0, 65)]),
    ),
]


def _approve(holder, market_code, user, on, expires, reference_no, product=None):
    market = Market.objects.get(code=market_code)
    approval = Approval.request(holder, market, user, product=product, on=on, sample=True)
    approval.move(ApprovalStatus.SUBMITTED, user, on=on)
    approval.move(
        ApprovalStatus.APPROVED,
        user,
        on=on + datetime.timedelta(days=45),
        reference=reference_no,
        expires_on=expires,
    )
    return approval


def _apply(season, on, product, *substances, by="Tổ kỹ thuật HTX"):
    application = Application.objects.create(
        season=season, product_name=product, applied_on=on, applied_by=by
    )
    names = [Substance.normalise(s) for s in substances]
    application.substances.set(Substance.objects.filter(name__in=names))
    return application


def _harvest(season, on, kg, product_name, lot):
    harvest = Harvest.objects.create(season=season, harvested_on=on, quantity_kg=Decimal(kg))
    batch = Batch.objects.filter(product__name=product_name, lot=lot).first()
    if batch is not None:
        harvest.batches.set([batch])
    return batch


def _packed(product_name, lot, moment):
    batch = Batch.objects.filter(product__name=product_name, lot=lot).first()
    if batch is not None:
        record_step(batch, "packing", timezone.make_aware(moment), location=FACILITY_GLN)


def _facility(inspector):
    operator = Producer.objects.filter(name="Công ty TNHH Nông sản Vụ Bản").first()
    if operator is None or PackingFacility.objects.filter(code=FACILITY_CODE).exists():
        return None
    facility = register_facility(
        {
            "code": FACILITY_CODE,
            "name": "Nhà đóng gói nông sản Vụ Bản",
            "operator": operator,
            "address": "Khu 3, thị trấn Vụ Bản, Lạc Sơn",
            "commune": Commune.objects.get(era=Era.LEGACY, code=5266),
            "gln": FACILITY_GLN,
            "capacity_t_per_day": Decimal("12"),
            "latitude": 20.4589,
            "longitude": 105.4475,
            "crops": list(Crop.objects.filter(key__in=["doi", "orange", "chili", "pomelo"])),
            "sample": True,
            "granted_on": D(2023, 11, 1),
        },
        inspector,
    )
    _approve(facility, "CN", inspector, D(2024, 1, 10), D(2027, 2, 25), "GACC-PH-2024-0117")
    _approve(facility, "EU", inspector, D(2024, 3, 1), D(2027, 4, 15), "EU-PH-2024-031")
    _packed("Muối hạt dổi Chí Đạo", "MD-2503", datetime.datetime(2025, 3, 5, 8, 30))
    _packed("Ớt Phú Lương", "PL-2508", datetime.datetime(2025, 8, 16, 7, 0))
    today = timezone.localdate()
    record_inspection(
        facility,
        inspector,
        D(2025, 10, 2),
        [FindingIn("hygiene", "minor", note="Sàn khu phân loại cần vệ sinh thường xuyên hơn")],
        kind=InspectionKind.SUPERVISION,
        latitude=20.4589,
        longitude=105.4475,
        notes="Dữ liệu mẫu.",
        next_visit=today + datetime.timedelta(days=14),
        sample=True,
    )
    return facility


def _area(row, inspector):
    code, producer_name, crop, variety, commune, standard, expected, shape = row
    code = code or yen_phu_code()
    producer = Producer.objects.filter(name=producer_name).first()
    if producer is None or GrowingArea.objects.filter(code=code).exists():
        return None
    return register_area(
        {
            "code": code,
            "producer": producer,
            "crop": crop,
            "variety": variety,
            "commune": Commune.objects.get(era=Era.LEGACY, code=commune),
            "standard": standard,
            "expected_yield_kg": expected,
            "geometry": shape,
            "valid_from": D(2023, 6, 1),
            "source": "geojson",
            "sample": True,
        },
        inspector,
    )


def _chi_dao(area, inspector):
    """Approved for China and the EU, a clean season that fed the seed lot CD-2410."""
    _approve(area, "CN", inspector, D(2024, 1, 10), D(2027, 2, 25), "GACC-OR-2024-0342")
    _approve(area, "EU", inspector, D(2024, 3, 1), D(2027, 1, 20), "EU-OR-2024-077")
    season = Season.objects.create(
        area=area,
        name="Vụ dổi 2024",
        starts=D(2024, 3, 1),
        ends=D(2024, 12, 31),
        declared_yield_kg=Decimal("2500"),
        sample=True,
    )
    _apply(season, D(2024, 7, 20), "Abamectin 3.6EC", "abamectin")
    _apply(season, D(2024, 8, 25), "Chế phẩm Bt", "bacillus thuringiensis")
    _harvest(season, D(2024, 10, 15), "800", "Hạt dổi Chí Đạo", "CD-2410")
    record_inspection(
        area,
        inspector,
        D(2025, 9, 5),
        [],
        kind=InspectionKind.SUPERVISION,
        latitude=20.3911,
        longitude=105.4020,
        accuracy_m=8.0,
        notes="Nhật ký sản xuất đầy đủ; không phát hiện sinh vật gây hại. Dữ liệu mẫu.",
        next_visit=timezone.localdate() - datetime.timedelta(days=10),
        sample=True,
    )


def _phu_luong(area, inspector):
    """Approved for the EU, then a critical finding: the approval and the code are
    suspended; the diary names mancozeb, which the EU sample list bans."""
    _approve(area, "EU", inspector, D(2025, 1, 5), D(2028, 1, 5), "EU-OR-2025-012")
    season = Season.objects.create(
        area=area,
        name="Vụ ớt hè thu 2025",
        starts=D(2025, 4, 1),
        ends=D(2025, 10, 31),
        declared_yield_kg=Decimal("6000"),
        sample=True,
    )
    _apply(season, D(2025, 6, 10), "Chế phẩm Bt", "bacillus thuringiensis")
    _apply(season, D(2025, 7, 20), "Mancozeb 80WP", "mancozeb")
    _harvest(season, D(2025, 8, 14), "200", "Ớt Phú Lương", "PL-2508")
    inspection, _suspended = record_inspection(
        area,
        inspector,
        D(2025, 9, 20),
        [
            FindingIn("banned_substance", "critical", note="Mancozeb trong nhật ký (cấm ở EU)"),
            FindingIn("diary_missing", "major", note="Thiếu ghi chép tháng 8"),
        ],
        kind=InspectionKind.INSPECTION,
        latitude=20.4315,
        longitude=105.4737,
        accuracy_m=12.0,
        notes="Dữ liệu mẫu.",
        next_visit=D(2025, 10, 20),
        sample=True,
    )
    area.change_status(
        CodeStatus.SUSPENDED,
        inspector,
        "Phát hiện nghiêm trọng khi kiểm tra ngày 20/09/2025: dùng hoạt chất cấm",
        on=D(2025, 9, 20),
        inspection=inspection,
    )


def _an_nghia(area, inspector):
    approval = Approval.request(
        area, Market.objects.get(code="CN"), inspector, on=D(2025, 11, 3), sample=True
    )
    approval.move(ApprovalStatus.SUBMITTED, inspector, on=D(2025, 12, 1))


def _yen_phu(area, inspector):
    _approve(area, "CN", inspector, D(2024, 2, 1), D(2027, 3, 10), "GACC-OR-2024-0388")


@transaction.atomic
def load() -> str:
    # The records' own words (reasons, notes) are the office's, in Vietnamese.
    with translation.override("vi"):
        return _load()


def _load() -> str:
    inspector = User.objects.filter(username="inspector").first()
    if inspector is None:
        return ""
    if not CodeScheme.objects.exists():
        reference.load()
    created = 0
    facility = _facility(inspector)
    created += facility is not None
    extra = [_chi_dao, _an_nghia, _yen_phu, _phu_luong]
    for row, then in zip(AREAS, extra, strict=True):
        area = _area(row, inspector)
        if area is not None:
            then(area, inspector)
            created += 1
    return f"{created} sample export codes created"
