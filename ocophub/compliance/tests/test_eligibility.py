"""A consignment is eligible for a market on a date only when every growing area and
packing facility it came through is in use and approved for that market then, and the
diaries of its seasons are clean; otherwise each problem is a reason."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from ocophub.compliance import eligibility
from ocophub.compliance.inspections import FindingIn, record_inspection
from ocophub.compliance.models import (
    ApprovalStatus,
    CodeStatus,
    Harvest,
    Market,
)
from ocophub.testing.builders import make_batch
from ocophub.testing.epcis import gtin
from ocophub.trace.services import add_serials, record, record_step

from . import consignment
from .consignment import DAY, GLN, apply, approve

D = datetime.date


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


def market(code):
    return Market.objects.get(code=code)


def reasons(result):
    return [(r.code, r.batch.lot, r.record) for r in result.reasons]


def test_a_consignment_through_approved_codes_with_a_clean_diary_is_eligible(shipment):
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    assert result.reasons == []
    assert result.eligible
    trail = result.trails[0]
    # Followed back through its input batch to the harvest, and to the packing event.
    assert [b.lot for b in trail.batches] == ["MD-2025-01", "DOI-2025-01"]
    assert trail.areas == [shipment.area]
    assert trail.seasons == [shipment.season]
    assert trail.facilities == [shipment.facility]


def test_a_batch_from_no_harvest_has_no_growing_area(shipment, make_product):
    other = make_product(shipment.salt.product.producer, name="Mật ong", gtin=gtin(3))
    honey = make_batch(other, lot="MO-1", production_date=D(2025, 7, 1))
    record_step(honey, "packing", timezone.make_aware(datetime.datetime(2025, 7, 2)), location=GLN)
    result = eligibility.check([shipment.salt, honey], market("CN"), DAY)
    assert not result.eligible
    assert reasons(result) == [("no_growing_area", "MO-1", f"batch:{honey.pk}")]
    assert "cannot be traced to a harvest" in result.reasons[0].message


def test_a_batch_never_at_a_packing_facility_fails_a_market_that_requires_one(shipment):
    # The seeds themselves were never at the packing house (only the salt made of them).
    result = eligibility.check([shipment.seeds], market("CN"), DAY)
    assert reasons(result) == [("no_packing_facility", "DOI-2025-01", f"batch:{shipment.seeds.pk}")]
    # The EU (as shipped) does not require a packing code: only the area counts there.
    approve(shipment.area, "EU", shipment.area.created_by)
    assert eligibility.check([shipment.seeds], market("EU"), DAY).eligible


def test_an_event_at_the_facility_after_the_date_or_declared_in_error_does_not_count(shipment):
    later = make_batch(shipment.seeds.product, lot="DOI-LATE", production_date=D(2025, 7, 1))
    shipment.harvest.batches.add(later)
    record_step(later, "packing", timezone.make_aware(datetime.datetime(2025, 8, 5)), location=GLN)
    assert [r.code for r in eligibility.check([later], market("CN"), DAY).reasons] == [
        "no_packing_facility"
    ]
    assert eligibility.check([later], market("CN"), D(2025, 8, 5)).eligible


def test_a_serialised_item_at_the_facility_brings_its_batch_there(shipment):
    batch = make_batch(shipment.seeds.product, lot="DOI-SER", production_date=D(2025, 7, 1))
    shipment.harvest.batches.add(batch)
    (item,) = add_serials(batch, 1)
    record(
        [
            {
                "type": "ObjectEvent",
                "eventTime": "2025-07-05T09:00:00+07:00",
                "eventTimeZoneOffset": "+07:00",
                "epcList": [item.digital_link],
                "action": "OBSERVE",
                "bizStep": "packing",
                "bizLocation": {"id": "urn:epc:id:sgln:8930000.00001.0"},
            }
        ]
    )
    assert eligibility.gln_of("urn:epc:id:sgln:8930000.00001.0") == GLN
    assert eligibility.check([batch], market("CN"), DAY).eligible


def test_a_code_retired_before_the_date_is_a_reason(shipment, inspector):
    shipment.facility.change_status(CodeStatus.RETIRED, inspector, "Closed", on=D(2025, 7, 20))
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    assert reasons(result) == [("code_retired", "MD-2025-01", f"facility:{shipment.facility.pk}")]
    assert "the code VNHBPH-0001 was retired" in result.reasons[0].message


def test_a_code_retired_after_the_date_was_in_use_on_it(shipment, inspector):
    shipment.facility.change_status(CodeStatus.RETIRED, inspector, "Closed", on=D(2025, 9, 1))
    assert eligibility.check([shipment.salt], market("CN"), DAY).eligible
    later = eligibility.check([shipment.salt], market("CN"), D(2025, 9, 2))
    assert ("code_retired", "MD-2025-01", f"facility:{shipment.facility.pk}") in reasons(later)


def test_a_suspended_code_is_a_reason_until_it_is_reinstated(shipment, inspector):
    area = shipment.area
    area.change_status(CodeStatus.SUSPENDED, inspector, "Fruit fly found", on=D(2025, 7, 25))
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    assert reasons(result) == [("code_suspended", "MD-2025-01", f"area:{area.pk}")]
    area.change_status(CodeStatus.ACTIVE, inspector, "Follow-up clean", on=D(2025, 8, 10))
    assert eligibility.check([shipment.salt], market("CN"), D(2025, 8, 11)).eligible
    assert not eligibility.check([shipment.salt], market("CN"), DAY).eligible  # as it was then


def test_a_code_not_yet_granted_on_the_date_is_a_reason(shipment):
    shipment.facility.code_events.update(on=D(2025, 9, 1))
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    assert reasons(result) == [
        ("code_not_granted", "MD-2025-01", f"facility:{shipment.facility.pk}")
    ]


def test_an_area_without_a_boundary_on_the_date_is_a_reason(shipment):
    shipment.area.boundaries.update(valid_until=D(2025, 7, 20))
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    assert reasons(result) == [("area_not_recorded", "MD-2025-01", f"area:{shipment.area.pk}")]
    assert eligibility.check([shipment.salt], market("CN"), D(2025, 7, 20)).eligible


def test_a_code_without_an_approval_for_the_market_and_product_is_not_approved(
    shipment, make_product
):
    # Japan: neither code holds an approval.
    result = eligibility.check([shipment.salt], market("JP"), DAY)
    assert reasons(result) == [
        ("not_approved", "MD-2025-01", f"area:{shipment.area.pk}"),
        ("not_approved", "MD-2025-01", f"facility:{shipment.facility.pk}"),
    ]
    assert "VN-HBOR-0100 holds no approval for JP" in result.reasons[0].message
    # Korea: the area's approval names another product only.
    honey = make_product(shipment.salt.product.producer, name="Mật ong", gtin=gtin(4))
    approve(shipment.area, "KR", shipment.area.created_by, product=honey)
    approve(shipment.facility, "KR", shipment.area.created_by)
    result = eligibility.check([shipment.salt], market("KR"), DAY)
    assert reasons(result) == [("not_approved", "MD-2025-01", f"area:{shipment.area.pk}")]
    # ... and one that names the seeds (the harvest's product) counts.
    approve(shipment.area, "US", shipment.area.created_by, product=shipment.seeds.product)
    approve(shipment.facility, "US", shipment.area.created_by)
    assert eligibility.check([shipment.salt], market("US"), DAY).eligible


def test_an_approval_still_pending_is_not_approved(shipment, inspector):
    from ocophub.compliance.models import Approval

    pending = Approval.request(shipment.area, market("AU"), inspector, on=D(2025, 1, 1))
    approve(shipment.facility, "AU", inspector)
    result = eligibility.check([shipment.salt], market("AU"), DAY)
    assert reasons(result) == [("not_approved", "MD-2025-01", f"approval:{pending.pk}")]
    assert "the approval is requested" in result.reasons[0].message


def test_a_suspension_in_force_on_the_date_is_a_reason(shipment, inspector):
    record_inspection(
        shipment.area,
        inspector,
        D(2025, 7, 20),
        [FindingIn("pest", "critical", note="sâu đục quả")],
    )
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    approval = shipment.area_approval
    assert reasons(result) == [("approval_suspended", "MD-2025-01", f"approval:{approval.pk}")]
    assert "suspended on" in result.reasons[0].message
    assert "sâu đục quả" in result.reasons[0].message
    # As of a date before the suspension, the same consignment was eligible.
    assert eligibility.check([shipment.salt], market("CN"), D(2025, 7, 15)).eligible


def test_a_revoked_approval_is_a_reason(shipment, inspector):
    shipment.facility_approval.move(
        ApprovalStatus.REVOKED, inspector, on=D(2025, 7, 25), reason="misused code"
    )
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    approval = shipment.facility_approval
    assert reasons(result) == [("approval_revoked", "MD-2025-01", f"approval:{approval.pk}")]
    assert "misused code" in result.reasons[0].message


def test_an_approval_past_its_expiry_is_a_reason(shipment):
    result = eligibility.check([shipment.salt], market("CN"), D(2027, 3, 2))
    assert [r.code for r in result.reasons] == ["approval_expired", "approval_expired"]
    assert "expired on" in result.reasons[0].message


def test_a_substance_banned_by_the_market_or_by_vietnam_is_a_reason(shipment):
    approve(shipment.area, "EU", shipment.area.created_by)
    # Imidacloprid: permitted in Vietnam (sample list), not approved in the EU.
    application = apply(shipment.season, D(2025, 3, 1), "Confidor 100SL", "imidacloprid")
    assert eligibility.check([shipment.salt], market("CN"), DAY).eligible
    result = eligibility.check([shipment.salt], market("EU"), DAY)
    assert reasons(result) == [("banned_substance", "MD-2025-01", f"application:{application.pk}")]
    assert "imidacloprid" in result.reasons[0].message
    # Fipronil: on Vietnam's own banned list, so it fails every market.
    apply(shipment.season, D(2025, 3, 2), "Regent 800WG", "fipronil")
    assert "banned_substance" in [
        r.code for r in eligibility.check([shipment.salt], market("CN"), DAY).reasons
    ]


def test_a_harvest_inside_the_pre_harvest_interval_is_a_reason(shipment):
    # Abamectin: 7 days on the list; applied three days before the harvest.
    apply(shipment.season, D(2025, 6, 28), "Abamectin 3.6EC", "abamectin")
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    assert reasons(result) == [
        ("phi_not_respected", "MD-2025-01", f"harvest:{shipment.harvest.pk}")
    ]
    assert "3 days after" in result.reasons[0].message
    assert "interval is 7 days" in result.reasons[0].message


def test_the_labels_longer_interval_counts(shipment):
    apply(shipment.season, D(2025, 6, 15), "Thuốc X", phi_days=21)
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    assert [r.code for r in result.reasons] == ["phi_not_respected"]
    assert "interval is 21 days" in result.reasons[0].message


def test_harvests_above_the_seasons_declared_yield_are_a_reason(shipment):
    Harvest.objects.create(
        season=shipment.season, harvested_on=D(2025, 7, 20), quantity_kg=Decimal("700.5")
    )
    result = eligibility.check([shipment.salt], market("CN"), DAY)
    assert reasons(result) == [
        ("over_declared_yield", "MD-2025-01", f"season:{shipment.season.pk}")
    ]
    assert "1,100.5 kg harvested" in result.reasons[0].message
    # Before that harvest the season was within its yield.
    assert eligibility.check([shipment.salt], market("CN"), D(2025, 7, 19)).eligible


def test_reasons_are_in_vietnamese_by_default(shipment):
    with translation.override("vi"):
        result = eligibility.check([shipment.salt], market("JP"), DAY)
    assert "JP" in result.reasons[0].message
    assert "holds no approval" not in result.reasons[0].message


def test_a_batch_is_found_by_id_or_by_digital_link(shipment):
    from ocophub.trace.models import Batch

    everything = Batch.objects.all()
    salt = shipment.salt
    assert eligibility.find_batch(salt.pk, everything) == salt
    assert eligibility.find_batch(str(salt.pk), everything) == salt
    assert eligibility.find_batch(salt.digital_link, everything) == salt
    assert eligibility.find_batch(salt.label_uri, everything) == salt
    (item,) = add_serials(salt, 1)
    assert eligibility.find_batch(item.digital_link, everything) == salt
    assert eligibility.find_batch("https://id.gs1.org/01/" + gtin(9) + "/10/X", everything) is None
    assert eligibility.find_batch("not a link", everything) is None
    assert eligibility.find_batch(salt.pk, Batch.objects.none()) is None
