"""Codes registered before the status history was kept get one from migration 0003: a
grant on the earliest day the records show them in use, and their stored status, when
not active, from the day of the migration (the only day known)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from ocophub.compliance.models import Approval, CodeEvent, CodeStatus

from . import consignment

backfill = importlib.import_module(
    "ocophub.compliance.migrations.0003_backfill_code_history"
).backfill
D = datetime.date


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


def forget_history(*holders):
    for holder in holders:
        CodeEvent.objects.filter(**{holder.holder_kind: holder}).delete()


def test_an_old_area_is_granted_from_its_first_boundary_and_keeps_its_status_from_today(
    shipment,
):
    area = shipment.area
    area.status = CodeStatus.RETIRED
    area.save(update_fields=["status"])
    forget_history(area)
    first_drawn = area.boundaries.order_by("valid_from").first().valid_from

    backfill(apps, None)

    area.refresh_from_db()
    today = timezone.localdate()
    assert [(e.from_status, e.to_status) for e in area.history()] == [
        ("", CodeStatus.ACTIVE),
        (CodeStatus.ACTIVE, CodeStatus.RETIRED),
    ]
    assert area.status_on(first_drawn - datetime.timedelta(days=1)) is None
    assert area.status_on(first_drawn) == CodeStatus.ACTIVE
    assert area.status_on(today - datetime.timedelta(days=1)) == CodeStatus.ACTIVE
    assert area.status_on(today) == CodeStatus.RETIRED
    assert area.status == CodeStatus.RETIRED  # the stored status is never rewritten


def test_an_old_facility_is_granted_from_its_first_approval_and_a_code_with_history_is_kept(
    shipment,
):
    facility, area = shipment.facility, shipment.area
    forget_history(facility)
    Approval.objects.filter(facility=facility).update(approved_on=D(2021, 6, 1))
    kept = list(CodeEvent.objects.filter(area=area).values_list("pk", "on", "to_status"))

    backfill(apps, None)
    backfill(apps, None)  # run twice, as a re-applied migration would: nothing doubles

    (granted,) = facility.history()
    assert (granted.to_status, granted.on) == (CodeStatus.ACTIVE, D(2021, 6, 1))
    assert "trước khi" in granted.reason  # says the row was back-filled
    assert list(CodeEvent.objects.filter(area=area).values_list("pk", "on", "to_status")) == kept
