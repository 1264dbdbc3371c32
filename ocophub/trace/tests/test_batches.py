import datetime
import json

import pytest

from ocophub.accounts.models import ApiToken, Role
from ocophub.conftest import make_user
from ocophub.epcis.store import events_for_epcs
from ocophub.testing.builders import make_batch
from ocophub.testing.files import upload, xlsx_upload
from ocophub.trace.models import Batch, SerialItem

from .conftest import GTIN_HONEY, GTIN_SAUSAGE

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_producer_creates_a_batch_in_the_web_app(client, honey, producer_account):
    login(client, producer_account)
    response = client.post(
        "/trace/batches/new/",
        {
            "product": honey.pk,
            "lot": "MO-01",
            "production_date": "2025-07-01",
            "expiry_date": "2027-06-30",
            "date_kind": "15",
            "quantity": "120",
            "unit": "LTR",
        },
    )
    batch = Batch.objects.get(product=honey, lot="MO-01")
    assert response.status_code == 302 and response.url == f"/trace/batches/{batch.pk}/"
    assert batch.created_by == producer_account
    assert batch.history.count() == 1
    assert batch.digital_link == f"http://127.0.0.1:8000/01/{GTIN_HONEY}/10/MO-01"
    assert batch.label_uri.endswith("/10/MO-01?15=270630")
    page = client.get(response.url)
    assert (
        "MO-01" in page.content.decode()
        and 'class="qr"><img src="/trace/qr/batch/' in page.content.decode()
    )


def test_expiry_before_production_is_refused_with_field_named(client, honey, producer_account):
    login(client, producer_account)
    response = client.post(
        "/trace/batches/new/",
        {
            "product": honey.pk,
            "lot": "MO-02",
            "production_date": "2025-07-01",
            "expiry_date": "2025-06-01",
            "date_kind": "17",
            "unit": "H87",
        },
    )
    assert response.status_code == 200
    assert "expiry_date" in response.context["form"].errors
    assert not Batch.objects.filter(lot="MO-02").exists()


def test_lot_outside_gs1_characters_is_refused(client, honey, producer_account):
    login(client, producer_account)
    response = client.post(
        "/trace/batches/new/",
        {
            "product": honey.pk,
            "lot": "Lô 1",
            "production_date": "2025-07-01",
            "unit": "H87",
            "date_kind": "15",
        },
    )
    errors = response.context["form"].errors["lot"]
    assert "ô" in errors[0]


def test_producer_cannot_touch_another_producers_batches(
    client, honey_batch, make_producer, make_product
):
    other_account = make_user("other", Role.PRODUCER)
    other = make_producer(account=other_account)
    login(client, other_account)
    assert client.get(f"/trace/batches/{honey_batch.pk}/").status_code == 404
    response = client.post(
        "/trace/batches/new/",
        {
            "product": honey_batch.product.pk,
            "lot": "X1",
            "production_date": "2025-07-01",
            "unit": "H87",
            "date_kind": "15",
        },
    )
    # No product with a GTIN of their own: the page is refused outright.
    assert response.status_code == 403
    make_product(other, name="Gà", gtin=GTIN_SAUSAGE)
    response = client.post(
        "/trace/batches/new/",
        {
            "product": honey_batch.product.pk,
            "lot": "X1",
            "production_date": "2025-07-01",
            "unit": "H87",
            "date_kind": "15",
        },
    )
    assert "product" in response.context["form"].errors
    assert not Batch.objects.filter(lot="X1").exists()
    assert client.post(f"/trace/batches/{honey_batch.pk}/labels/", {"count": 2}).status_code == 404


def test_commune_officer_sees_batches_in_territory(client, honey_batch, phu_tho):
    officer = make_user("officer", Role.PROVINCE_OFFICE, province=phu_tho)
    login(client, officer)
    page = client.get("/trace/batches/")
    assert honey_batch.lot in page.content.decode()


def test_bulk_creates_numbered_lots(client, honey, producer_account):
    login(client, producer_account)
    response = client.post(
        "/trace/batches/bulk/",
        {
            "product": honey.pk,
            "prefix": "HT25-",
            "first": 1,
            "count": 12,
            "production_date": "2025-08-01",
            "expiry_date": "2027-08-01",
            "date_kind": "15",
            "quantity": "50",
            "unit": "H87",
        },
    )
    assert response.status_code == 302
    lots = sorted(Batch.objects.filter(product=honey).values_list("lot", flat=True))
    assert lots == [f"HT25-{n:03d}" for n in range(1, 13)]
    # Running it again would clash: nothing more is written.
    response = client.post(
        "/trace/batches/bulk/",
        {
            "product": honey.pk,
            "prefix": "HT25-",
            "first": 10,
            "count": 5,
            "production_date": "2025-08-01",
            "date_kind": "15",
            "unit": "H87",
        },
    )
    assert response.status_code == 200
    assert "HT25-010" in str(response.context["form"].non_field_errors())
    assert Batch.objects.filter(product=honey).count() == 12


def _csv(text):
    return upload("lots.csv", text.encode(), content_type="text/csv")


def test_csv_import_all_or_nothing(client, honey, honey_batch, producer_account):
    login(client, producer_account)
    bad = (
        "gtin,lot,production_date,expiry_date,unit,inputs\n"
        f"{GTIN_HONEY},C-1,01/09/2025,2027-09-01,kg,\n"
        f"{GTIN_HONEY},C-2,2025-09-02,2024-01-01,kg,\n"
        f"{GTIN_HONEY},C-3,2025-09-03,,kg,{GTIN_HONEY}:NOPE\n"
    )
    response = client.post("/trace/batches/import/", {"file": _csv(bad)}, follow=True)
    job = response.context["job"]
    assert job.status == "failed"
    rows = {(p["row"], p["field"]) for p in job.problems}
    assert (3, "expiry_date") in rows and (4, "inputs") in rows
    assert not Batch.objects.filter(lot__startswith="C-").exists()

    good = (
        "gtin,lot,production_date,expiry_date,unit,inputs\n"
        f"{GTIN_HONEY[1:]},C-1,01/09/2025,2027-09-01,kg,\n"
        f"{GTIN_HONEY},C-2,2025-09-02,,l,{GTIN_HONEY}:{honey_batch.lot}\n"
    )
    response = client.post("/trace/batches/import/", {"file": _csv(good)}, follow=True)
    assert response.context["job"].status == "done"
    c1 = Batch.objects.get(lot="C-1")
    assert c1.production_date == datetime.date(2025, 9, 1) and c1.unit == "KGM"
    assert list(Batch.objects.get(lot="C-2").inputs.all()) == [honey_batch]


def test_api_lists_batches_of_a_product(client, honey, honey_batch, settings):
    settings.SITE_URL = "https://ocop.example.vn"
    response = client.get(f"/api/v1/batches?product={honey.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == honey_batch.pk
    assert item["lot"] == "MO2025-07"
    assert item["production_date"] == "2025-07-01"
    assert item["expiry_date"] == "2027-06-30"
    assert item["digital_link"] == f"https://ocop.example.vn/01/{GTIN_HONEY}/10/MO2025-07"


def test_api_hides_batches_of_unpublished_products(client, honey, honey_batch):
    honey.status = "preparing"
    honey.save()
    assert client.get(f"/api/v1/batches?product={honey.pk}").json()["count"] == 0


def test_api_creates_with_token_and_checks_scope(client, honey, honey_batch, producer_account):
    token = ApiToken.issue(producer_account)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    payload = {
        "product_id": honey.pk,
        "lot": "API-1",
        "production_date": "2025-10-01",
        "expiry_date": "2027-10-01",
        "quantity": "10.5",
        "unit": "KGM",
        "input_ids": [honey_batch.pk],
    }
    response = client.post(
        "/api/v1/batches", json.dumps(payload), content_type="application/json", **auth
    )
    assert response.status_code == 201, response.content
    assert response.json()["digital_link"].endswith("/10/API-1")
    assert response.json()["input_ids"] == [honey_batch.pk]

    anonymous = client.post("/api/v1/batches", json.dumps(payload), content_type="application/json")
    assert anonymous.status_code == 401

    payload["lot"] = "API-1"
    dup = client.post(
        "/api/v1/batches", json.dumps(payload), content_type="application/json", **auth
    )
    assert dup.status_code == 400 and "lot" in dup.json()["detail"]

    stranger = make_user("stranger", Role.PRODUCER)
    other = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(stranger)}"}
    payload["lot"] = "API-2"
    refused = client.post(
        "/api/v1/batches", json.dumps(payload), content_type="application/json", **other
    )
    assert refused.status_code == 403
    assert not Batch.objects.filter(lot="API-2").exists()


def test_api_serials(client, honey_batch, producer_account):
    token = ApiToken.issue(producer_account)
    response = client.post(
        f"/api/v1/batches/{honey_batch.pk}/serials",
        json.dumps({"count": 5}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    serials = response.json()
    assert len({s["serial"] for s in serials}) == 5
    assert SerialItem.objects.filter(batch=honey_batch).count() == 5
    assert all(s["digital_link"].endswith("/21/" + s["serial"]) for s in serials)


def test_import_of_xlsx_reads_dates(client, honey, producer_account):
    lots = xlsx_upload(
        [[GTIN_HONEY, "X-9", datetime.datetime(2025, 3, 4), "pcs"]],
        header=["gtin", "lot", "production_date", "unit"],
        name="lots.xlsx",
    )
    login(client, producer_account)
    response = client.post("/trace/batches/import/", {"file": lots}, follow=True)
    assert response.context["job"].status == "done", response.context["job"].problems
    assert Batch.objects.get(lot="X-9").production_date == datetime.date(2025, 3, 4)


def test_batch_creation_records_commissioning_and_transformation(honey, honey_batch):
    events = events_for_epcs([honey_batch.digital_link])
    assert [e["bizStep"].rsplit(":", 1)[-1].rsplit("/", 1)[-1] for e in events] == ["commissioning"]
    assert events[0]["quantityList"][0]["epcClass"] == honey_batch.digital_link
    assert events[0]["quantityList"][0]["uom"] == "LTR"

    make_batch(honey, lot="CHAI-1", production_date=datetime.date(2025, 7, 5), inputs=[honey_batch])
    types = sorted(e["type"] for e in events_for_epcs([honey_batch.digital_link]))
    assert types == ["ObjectEvent", "TransformationEvent"]


def test_batches_in_navigation_for_producers_and_officers_only(client, honey, producer_account):
    assert "/trace/batches/" not in client.get("/").content.decode()
    client.force_login(producer_account)
    assert 'href="/trace/batches/"' in client.get("/").content.decode()
    council = make_user("council9", Role.COUNCIL_MEMBER)
    client.force_login(council)
    assert "/trace/batches/" not in client.get("/").content.decode()
    assert client.get("/trace/batches/new/").status_code == 403
