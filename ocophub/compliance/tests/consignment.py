"""A consignment that may go to China on 1 August 2025, built the way the apps build it:
dổi seeds harvested in a coded growing area (clean diary, within the declared yield),
salted into a second batch, packed at a coded packing house (an EPCIS event at its
GLN), with both codes approved for China. Tests change one thing to get one reason."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ocophub.compliance.areas import register_area, register_facility
from ocophub.compliance.models import (
    Application,
    Approval,
    ApprovalStatus,
    GrowingArea,
    Harvest,
    Market,
    PackingFacility,
    Season,
    Substance,
)
from ocophub.products.gtin import check_digit
from ocophub.testing.builders import make_batch
from ocophub.testing.epcis import gtin
from ocophub.trace.models import Batch
from ocophub.trace.services import record_step

from .shapes import square

D = datetime.date
DAY = D(2025, 8, 1)
GLN = "893000000001" + check_digit("893000000001")


@dataclass
class Consignment:
    area: GrowingArea
    facility: PackingFacility
    season: Season
    harvest: Harvest
    seeds: Batch  # the harvest batch
    salt: Batch  # made from the seeds, packed at the facility: what is shipped
    area_approval: Approval
    facility_approval: Approval


def approve(holder: Any, market_code: str, user: Any, product: Any = None) -> Approval:
    on, expires = D(2024, 3, 1), D(2027, 3, 1)
    approval = Approval.request(
        holder, Market.objects.get(code=market_code), user, product=product, on=on
    )
    approval.move(ApprovalStatus.SUBMITTED, user, on=on)
    approval.move(
        ApprovalStatus.APPROVED, user, on=on, reference=f"{market_code}-1", expires_on=expires
    )
    return approval


def apply(season: Season, on: datetime.date, product: str, *substances: str, **fields: Any):
    application = Application.objects.create(
        season=season, product_name=product, applied_on=on, applied_by="Bùi Văn Thử", **fields
    )
    application.substances.set(Substance.objects.filter(name__in=substances))
    return application


def build(inspector: Any, make_producer: Any, make_product: Any, account: Any) -> Consignment:
    grower = make_producer(account=account, name="HTX Dổi Chí Đạo")
    seeds_product = make_product(grower, name="Hạt dổi Chí Đạo", gtin=gtin(1))
    salt_product = make_product(grower, name="Muối hạt dổi", gtin=gtin(2))
    area = register_area(
        {
            "code": "VN-HBOR-0100",
            "producer": grower.pk,
            "crop": "doi",
            "commune": "legacy:5323",
            "geometry": square(150),
            "valid_from": D(2024, 1, 1),
        },
        inspector,
    )
    facility = register_facility(
        {
            "code": "VNHBPH-0001",
            "name": "Nhà đóng gói Chí Đạo",
            "operator": grower,
            "commune": "legacy:5323",
            "gln": GLN,
            "granted_on": D(2024, 1, 1),
        },
        inspector,
    )
    season = Season.objects.create(
        area=area,
        name="Vụ 2025",
        starts=D(2025, 1, 1),
        ends=D(2025, 12, 31),
        declared_yield_kg=Decimal("1000"),
    )
    apply(season, D(2025, 6, 1), "Abamectin 3.6EC", "abamectin")
    seeds = make_batch(seeds_product, account, lot="DOI-2025-01", production_date=D(2025, 7, 1))
    harvest = Harvest.objects.create(
        season=season, harvested_on=D(2025, 7, 1), quantity_kg=Decimal("400")
    )
    harvest.batches.set([seeds])
    salt = make_batch(
        salt_product, account, lot="MD-2025-01", inputs=[seeds], production_date=D(2025, 7, 10)
    )
    moment = timezone.make_aware(datetime.datetime(2025, 7, 10, 9, 0))
    record_step(salt, "packing", moment, location=GLN)
    return Consignment(
        area=area,
        facility=facility,
        season=season,
        harvest=harvest,
        seeds=seeds,
        salt=salt,
        area_approval=approve(area, "CN", inspector),
        facility_approval=approve(facility, "CN", inspector),
    )
