"""The production diary on a 390 px phone: the producer opens the area's diary, adds a
harvest with the batch it fed, and sees it flagged inside the pre-harvest interval,
without the page scrolling sideways."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ocophub.compliance.models import Harvest, Season
from ocophub.conftest import log_in
from ocophub.testing.builders import make_batch

from . import consignment

CODE = "VN-HBOR-0100"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_producer_adds_a_harvest_on_a_phone(
    phone, too_wide, reference_data, inspector, make_producer, make_product, producer_account
):
    shipment = consignment.build(inspector, make_producer, make_product, producer_account)
    today = timezone.localdate()
    season = Season.objects.create(
        area=shipment.area,
        name="Vụ đông",
        starts=today - datetime.timedelta(days=60),
        ends=today + datetime.timedelta(days=30),
        declared_yield_kg=Decimal("500"),
    )
    consignment.apply(season, today - datetime.timedelta(days=2), "Abamectin 3.6EC", "abamectin")
    batch = make_batch(
        shipment.seeds.product, producer_account, lot="DOI-NEW", production_date=today
    )
    page = phone()
    log_in(page, "producer")
    page.goto(f"{page.base_url}/compliance/codes/{CODE}/")
    page.click("a[data-action=diary]")
    page.wait_for_selector(f"section[data-season='{season.pk}']")
    assert not too_wide(page)
    page.click(f"section[data-season='{season.pk}'] a[data-action=new-harvest]")
    page.wait_for_selector("form[data-form=diary]")
    assert page.input_value("#id_harvested_on") == today.isoformat()
    page.fill("#id_quantity_kg", "75")
    page.check(f"input[name=batches][value='{batch.pk}']")
    assert not too_wide(page)
    page.click("form[data-form=diary] button[type=submit]")
    page.wait_for_selector(f"section[data-season='{season.pk}'] tr[data-harvest]")
    assert "Đã ghi lần thu hoạch." in page.inner_text(".messages")
    assert page.is_visible("tr[data-harvest] [data-flag=phi]")
    assert not too_wide(page)
    harvest = Harvest.objects.get(season=season)
    assert list(harvest.batches.all()) == [batch] and harvest.quantity_kg == 75
    assert page.outside == []
