"""The producers API shows a producer to everyone once one of its products is published
(the rule products registers with producers), and only then."""

import pytest
from django.test import Client

from ocophub.accounts.models import ApiToken
from ocophub.producers.models import Producer
from ocophub.products.models import Lifecycle

pytestmark = pytest.mark.django_db


def test_producer_api_hides_other_producers_until_they_publish(
    producer_account, make_producer, make_product
):
    ours = make_producer(name="Hợp tác xã Thanh An", account=producer_account)
    theirs = make_producer(name="Hợp tác xã Hạt dổi Chí Đạo")
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(producer_account)}"})
    assert api.get(f"/api/v1/producers/{theirs.pk}").status_code == 404
    assert api.get(f"/api/v1/producers/{ours.pk}").status_code == 200
    assert [p["name"] for p in api.get("/api/v1/producers").json()["items"]] == [ours.name]
    anonymous = Client()
    assert anonymous.get("/api/v1/producers").json() == {"count": 0, "items": []}
    make_product(theirs, name="Hạt dổi", status=Lifecycle.CERTIFIED, stars=3)
    assert anonymous.get(f"/api/v1/producers/{theirs.pk}").status_code == 200
    assert api.get(f"/api/v1/producers/{theirs.pk}").status_code == 200
    body = {
        "kind": "cooperative",
        "name": "HTX mới",
        "registration_number": "0100233583",
        "representative": "A",
        "commune": "legacy:5275",
    }
    response = api.post("/api/v1/producers", body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Chỉ Văn phòng OCOP tỉnh và cán bộ xã được đăng ký chủ thể."
    assert not Producer.objects.filter(name="HTX mới").exists()
