"""A code's own status has a history: granted when registered, then suspended,
reinstated, revoked, expired or retired through the model's moves only, each a row
with who, when and why, shown on the code's staff page; the public check shows the
dates and statuses, never who or why."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ocophub.compliance.models import CodeEvent, CodeStatus

from . import consignment

D = datetime.date


@pytest.fixture
def shipment(inspector, make_producer, make_product, producer_account):
    return consignment.build(inspector, make_producer, make_product, producer_account)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_registering_a_code_grants_it_in_its_history(shipment, inspector):
    (granted,) = shipment.area.history()
    assert (granted.from_status, granted.to_status, granted.move) == ("", "active", "granted")
    assert granted.on == D(2024, 1, 1) and granted.by == inspector
    assert shipment.area.status_on(D(2023, 12, 31)) is None
    assert shipment.area.status_on(D(2024, 1, 1)) == CodeStatus.ACTIVE


def test_each_change_is_a_row_with_who_when_and_why(shipment, inspector):
    area = shipment.area
    area.change_status(CodeStatus.SUSPENDED, inspector, "Fruit fly", on=D(2025, 3, 1))
    area.change_status(CodeStatus.ACTIVE, inspector, "Follow-up clean", on=D(2025, 4, 1))
    area.change_status(CodeStatus.REVOKED, inspector, "Diary forged", on=D(2025, 9, 1))
    area.refresh_from_db()
    assert area.status == CodeStatus.REVOKED
    moves = [(e.move, e.on, e.reason, e.by) for e in area.history()]
    assert moves[1:] == [
        ("suspended", D(2025, 3, 1), "Fruit fly", inspector),
        ("reinstated", D(2025, 4, 1), "Follow-up clean", inspector),
        ("revoked", D(2025, 9, 1), "Diary forged", inspector),
    ]
    assert area.status_on(D(2025, 3, 15)) == CodeStatus.SUSPENDED
    assert area.status_on(D(2025, 5, 1)) == CodeStatus.ACTIVE
    assert area.status_since(D(2025, 5, 1)) == D(2025, 4, 1)


def test_illegal_or_unexplained_changes_are_refused_and_nothing_is_written(shipment, inspector):
    facility = shipment.facility
    facility.change_status(CodeStatus.REVOKED, inspector, "Closed by order", on=D(2025, 3, 1))
    with pytest.raises(ValidationError, match="revoked cannot become active"):
        facility.change_status(CodeStatus.ACTIVE, inspector, "Please")
    area = shipment.area
    with pytest.raises(ValidationError) as refused:
        area.change_status(CodeStatus.SUSPENDED, inspector, "  ")
    assert refused.value.message_dict == {"reason": ["Say why."]}
    area.change_status(CodeStatus.EXPIRED, inspector, "Not renewed", on=D(2025, 6, 1))
    with pytest.raises(ValidationError, match="before the last one"):
        area.change_status(CodeStatus.ACTIVE, inspector, "Renewed", on=D(2025, 5, 1))
    assert CodeEvent.objects.filter(area=area).count() == 2
    area.refresh_from_db()
    assert area.status == CodeStatus.EXPIRED
    renewed = area.change_status(CodeStatus.ACTIVE, inspector, "Renewed", on=D(2025, 7, 1))
    assert renewed.move == "renewed"


def test_the_staff_page_shows_the_history_and_changes_the_status(client, shipment, inspector):
    client.force_login(inspector)
    english(client)
    url = reverse("compliance:code", args=["VN-HBOR-0100"])
    response = client.post(
        url, {"status": "suspended", "on": "2025-03-01", "reason": "Fruit fly at the edge"}
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert 'data-code-status="suspended"' in html
    assert 'data-move="suspended"' in html and "Fruit fly at the edge" in html
    assert 'data-move="granted"' in html and "inspector" in html
    assert '<option value="active">reinstated</option>' in client.get(url).content.decode()
    refused = client.post(url, {"status": "retired", "on": "2025-02-01", "reason": "x"})
    assert refused.status_code == 400
    assert "before the last one" in refused.content.decode()
    ahead = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = client.post(url, {"status": "retired", "on": ahead, "reason": "x"})
    assert future.status_code == 400 and "today or earlier" in future.content.decode()
    shipment.area.refresh_from_db()
    assert shipment.area.status == CodeStatus.SUSPENDED


def test_the_producer_reads_its_code_page_but_cannot_change_it(client, shipment, producer_account):
    client.force_login(producer_account)
    url = reverse("compliance:code", args=["VN-HBOR-0100"])
    html = client.get(url).content.decode()
    assert 'data-move="granted"' in html and 'data-form="code-status"' not in html
    response = client.post(url, {"status": "retired", "on": "2025-03-01", "reason": "x"})
    assert response.status_code == 403
    shipment.area.refresh_from_db()
    assert shipment.area.status == CodeStatus.ACTIVE


def test_an_inspector_of_another_province_gets_404(client, shipment, other_inspector):
    client.force_login(other_inspector)
    url = reverse("compliance:code", args=["VN-HBOR-0100"])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"status": "retired", "on": "2025-03-01", "reason": "x"}).status_code
        == 404
    )


def test_the_public_check_shows_dates_and_statuses_but_not_who_or_why(client, shipment, inspector):
    shipment.area.change_status(
        CodeStatus.SUSPENDED, inspector, "Fruit fly at the edge", on=D(2025, 3, 1)
    )
    html = client.get("/en/codes/VN-HBOR-0100/").content.decode()
    assert 'data-status="suspended"' in html
    assert 'data-move="granted"' in html and 'data-move="suspended"' in html
    assert 'datetime="2025-03-01"' in html
    assert "Fruit fly" not in html and "inspector" not in html
