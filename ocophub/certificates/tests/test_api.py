import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

D = datetime.date


def test_certificate_api_shape(client, honey, issue, settings):
    settings.SITE_URL = "https://ocop.example.vn"
    cert = issue(honey, stars=3, valid_from=D(2024, 3, 15), decision_number="12/QĐ-UBND")
    data = client.get(f"/api/v1/certificates/{cert.number}").json()
    expected_status = cert.status_on(timezone.localdate())
    assert data == {
        "number": cert.number,
        "product": "Mật ong Thanh An",
        "product_id": honey.pk,
        "producer": "Hợp tác xã Thanh An",
        "stars": 3,
        "status": str(expected_status),
        "valid_from": "2024-03-15",
        "valid_until": "2027-03-14",
        "issued_by": "UBND tỉnh Hòa Bình",
        "decision_number": "12/QĐ-UBND",
        "revoked_on": None,
        "revocation_reason": "",
        "superseded_by": None,
        "verification_url": f"https://ocop.example.vn/verify/{cert.number}",
    }


def test_certificate_api_unknown_is_404(client, db):
    assert client.get("/api/v1/certificates/NOPE").status_code == 404
    assert client.get("/api/v1/certificates/NOPE/pdf").status_code == 404


def test_certificate_pdf_api(client, honey, issue):
    cert = issue(honey)
    response = client.get(f"/api/v1/certificates/{cert.number}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_superseded_status_in_api(client, honey, issue):
    t = timezone.localdate()
    old = issue(honey, valid_from=t - datetime.timedelta(days=300))
    new = issue(honey, stars=4, valid_from=t - datetime.timedelta(days=1))
    data = client.get(f"/api/v1/certificates/{old.number}").json()
    assert (data["status"], data["superseded_by"]) == ("superseded", new.number)


def test_product_items_carry_current_certificate_without_n_plus_1(
    client, honey, issue, make_product
):
    t = timezone.localdate()
    cert = issue(honey, valid_from=t - datetime.timedelta(days=10))
    for i in range(5):
        issue(make_product(honey.producer, name=f"Mật ong {i}"), valid_from=t)
    expired = make_product(honey.producer, name="Sáp ong cũ")
    issue(expired, valid_from=D(2019, 1, 2))
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/products?page_size=1")
    with CaptureQueriesContext(connection) as many:
        items = client.get("/api/v1/products").json()["items"]
    assert len(many) == len(few)
    by_name = {item["name"]: item for item in items}
    assert by_name["Mật ong Thanh An"]["certificate"] == {
        "number": cert.number,
        "status": "valid",
        "valid_until": cert.valid_until.isoformat(),
    }
    # An expired product is still published; its latest certificate shows as expired.
    assert by_name["Sáp ong cũ"]["certificate"]["status"] == "expired"
    assert by_name["Sáp ong cũ"]["stars"] is None
