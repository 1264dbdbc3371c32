"""Growing areas over the API: registered with a geodesic area, refused when broken
(400) or overlapping an active area (409), listed in scope, asked as of a date."""

import datetime

import pytest

from ocophub.accounts.models import ApiToken
from ocophub.compliance.areas import Refused, redraw
from ocophub.compliance.models import CodeStatus, GrowingArea

from .shapes import BOWTIE, square

URL = "/api/v1/compliance/areas"


def post(client, user, **payload):
    token = ApiToken.issue(user)
    return client.post(
        URL,
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def get(client, user, url=URL, **params):
    token = ApiToken.issue(user)
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def grower(make_producer, producer_account):
    return make_producer(account=producer_account, name="HTX Ớt Vũ Bình")


def area_payload(grower, **extra):
    payload = {
        "code": "VN-HBOR-0001",
        "producer": grower.pk,
        "crop": "chili",
        "commune": "legacy:5323",
        "geometry": square(100),
    }
    return {**payload, **extra}


def test_an_inspector_registers_an_area_with_its_geodesic_area(client, inspector, grower):
    response = post(client, inspector, **area_payload(grower))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "VN-HBOR-0001"
    assert body["area_ha"] == pytest.approx(1.0, rel=0.01)
    area = GrowingArea.objects.get(pk=body["id"])
    assert area.commune.era == "legacy" and area.scheme.key == "vn-orchard-export"
    assert area.created_by == inspector


def test_a_self_intersecting_boundary_answers_400_naming_the_problem(client, inspector, grower):
    response = post(client, inspector, **area_payload(grower, geometry=BOWTIE))
    assert response.status_code == 400
    body = response.json()
    assert "crosses itself" in body["errors"]["geometry"]
    assert body["detail"].startswith("geometry: ")
    assert not GrowingArea.objects.exists()
    token = ApiToken.issue(inspector)
    vietnamese = client.post(
        URL,
        area_payload(grower, geometry=BOWTIE),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert "Ranh giới tự cắt chính nó gần kinh độ 105.455000" in vietnamese.json()["detail"]


def test_an_overlap_with_an_active_area_answers_409_naming_it(client, inspector, grower):
    assert post(client, inspector, **area_payload(grower)).status_code == 201
    response = post(
        client, inspector, **area_payload(grower, code="VN-HBOR-0002", geometry=square(100, 60))
    )
    assert response.status_code == 409
    assert "VN-HBOR-0001" in response.json()["detail"]
    # Sharing an edge only is no overlap.
    beside = post(
        client, inspector, **area_payload(grower, code="VN-HBOR-0003", geometry=square(100, 100))
    )
    assert beside.status_code == 201, beside.content


def test_a_retired_area_no_longer_blocks_its_ground(client, inspector, grower):
    post(client, inspector, **area_payload(grower))
    GrowingArea.objects.get().change_status(CodeStatus.RETIRED, inspector, "Given up by the owner")
    again = post(client, inspector, **area_payload(grower, code="VN-HBOR-0002"))
    assert again.status_code == 201


def test_an_area_below_the_crops_minimum_is_refused(client, inspector, grower):
    # Chili is annual (0.1 ha); tea perennial (1 ha) under the shipped, unconfirmed data.
    small = post(client, inspector, **area_payload(grower, geometry=square(25)))
    assert small.status_code == 400
    assert "0.1" in small.json()["errors"]["geometry"]
    tea = post(client, inspector, **area_payload(grower, crop="tea", geometry=square(80)))
    assert tea.status_code == 400 and "at least 1 ha" in tea.json()["errors"]["geometry"]


@pytest.mark.parametrize(
    "code, field_words",
    [
        ("HB-0001", "matches no known code format"),
        ("VN-17-157-05323-01-24", None),  # the domestic form, units of before July 2025
        ("VN-17-157-09999-01-24", "did not exist"),
        ("VN-17-148-05323-01-24", "another district"),
    ],
)
def test_codes_are_checked_against_the_schemes(client, inspector, grower, code, field_words):
    response = post(client, inspector, **area_payload(grower, code=code))
    if field_words is None:
        assert response.status_code == 201, response.content
        assert GrowingArea.objects.get().code == code  # as issued, never rewritten
    else:
        assert response.status_code == 400
        assert field_words in response.json()["errors"]["code"]


def test_unknown_crop_and_commune_are_named(client, inspector, grower):
    response = post(client, inspector, **area_payload(grower, crop="durian", commune="x"))
    errors = response.json()["errors"]
    assert response.status_code == 400
    assert "chili" in errors["crop"] and "legacy:CODE" in errors["commune"]


def test_an_inspector_of_another_province_may_not_register_here(client, other_inspector, grower):
    response = post(client, other_inspector, **area_payload(grower))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"commune", "producer"}


def test_producers_and_commune_officers_do_not_register_areas(
    client, producer_account, commune_officer, grower
):
    assert post(client, producer_account, **area_payload(grower)).status_code == 403
    assert post(client, commune_officer, **area_payload(grower)).status_code == 403
    assert (
        client.post(URL, area_payload(grower), content_type="application/json").status_code == 401
    )


def test_the_list_has_count_and_items_and_is_scoped(
    client, inspector, other_inspector, producer_account, grower, make_producer
):
    post(client, inspector, **area_payload(grower))
    neighbour = make_producer(name="HTX khác")
    post(
        client,
        inspector,
        **area_payload(
            neighbour, code="VN-HBOR-0002", producer=neighbour.pk, geometry=square(100, 500)
        ),
    )
    mine = get(client, inspector).json()
    assert mine["count"] == 2 and [a["code"] for a in mine["items"]] == [
        "VN-HBOR-0001",
        "VN-HBOR-0002",
    ]
    item = mine["items"][0]
    assert item["commune_ref"] == "legacy:5323" and item["district"] == "Huyện Lạc Sơn"
    assert item["current_commune"] is not None
    assert item["area_ha"] == pytest.approx(1.0, rel=0.01)
    assert get(client, other_inspector).json() == {"count": 0, "items": []}
    own = get(client, producer_account).json()
    assert [a["code"] for a in own["items"]] == ["VN-HBOR-0001"]
    assert get(client, inspector, code="0002").json()["count"] == 1
    assert get(client, inspector, producer=neighbour.pk).json()["count"] == 1
    assert client.get(URL).json()["count"] == 0  # nobody signed in


def test_a_redrawn_area_keeps_its_history_and_answers_as_of_a_date(client, inspector, grower):
    created = post(client, inspector, **area_payload(grower, valid_from="2024-01-01")).json()
    area = GrowingArea.objects.get(pk=created["id"])
    redraw(area, square(150), inspector, valid_from=datetime.date(2025, 3, 1))
    url = f"{URL}/{area.pk}"
    before = get(client, inspector, url, on="2025-02-28").json()
    after = get(client, inspector, url, on="2025-03-01").json()
    assert before["area_ha"] == pytest.approx(1.0, rel=0.01)
    assert before["valid_until"] == "2025-02-28"
    assert after["area_ha"] == pytest.approx(2.25, rel=0.01)
    assert after["valid_from"] == "2025-03-01" and after["valid_until"] is None
    assert after["versions"] == 2 and after["geometry"]["type"] == "MultiPolygon"
    assert get(client, inspector, url, on="2023-12-31").json()["area_ha"] is None
    listed = get(client, inspector, on="2024-06-01").json()["items"][0]
    assert listed["area_ha"] == pytest.approx(1.0, rel=0.01)


def test_a_redraw_must_start_after_the_current_version_and_not_overlap(client, inspector, grower):
    created = post(client, inspector, **area_payload(grower, valid_from="2024-01-01")).json()
    other = post(
        client, inspector, **area_payload(grower, code="VN-HBOR-0009", geometry=square(100, 300))
    ).json()
    area = GrowingArea.objects.get(pk=created["id"])
    with pytest.raises(Refused) as early:
        redraw(area, square(120), inspector, valid_from=datetime.date(2024, 1, 1))
    assert "valid_from" in early.value.errors
    with pytest.raises(Refused) as overlap:
        redraw(area, square(400), inspector, valid_from=datetime.date(2025, 1, 1))
    assert overlap.value.status == 409 and overlap.value.overlapping == [other["code"]]
    assert area.boundaries.count() == 1 and area.boundaries.get().valid_until is None
