"""Who may read and change producer records, checked through HTTP for each role."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ocophub.conftest import MY_THANH, QUYET_THANG, current_commune, legacy_commune
from ocophub.producers.models import Producer

pytestmark = pytest.mark.django_db


def form_data(producer, **changes):
    data = {
        "kind": producer.kind,
        "name": producer.name,
        "registration_number": producer.registration_number,
        "representative": producer.representative,
        "commune": producer.commune.ref,
        "status": producer.status,
        "m-TOTAL_FORMS": "0",
        "m-INITIAL_FORMS": "0",
        "t-TOTAL_FORMS": "0",
        "t-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_producer_account_cannot_read_or_change_another_producer(
    client, producer_account, make_producer
):
    ours = make_producer(name="Hợp tác xã Thanh An", account=producer_account)
    theirs = make_producer(name="Hợp tác xã Hạt dổi Chí Đạo")
    client.force_login(producer_account)
    assert client.get(f"/producers/{theirs.pk}/").status_code == 404
    assert client.get(f"/producers/{theirs.pk}/edit/").status_code == 404
    response = client.post(f"/producers/{theirs.pk}/edit/", form_data(theirs, name="Chiếm đoạt"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Hợp tác xã Hạt dổi Chí Đạo"
    listing = client.get("/producers/").content.decode()
    assert "Hợp tác xã Thanh An" in listing and "Hạt dổi Chí Đạo" not in listing
    export = client.get("/producers/export.csv").content.decode("utf-8-sig")
    assert "Thanh An" in export and "Chí Đạo" not in export
    # Its own record it may read and change, but not its status, nor create producers.
    assert client.get(f"/producers/{ours.pk}/").status_code == 200
    response = client.post(
        f"/producers/{ours.pk}/edit/",
        form_data(ours, representative="Bùi Thị Thanh", status="dissolved"),
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.representative == "Bùi Thị Thanh" and ours.status == "active"
    assert client.get("/producers/new/").status_code == 403
    assert client.get("/producers/import/").status_code == 403


def test_anonymous_cannot_open_producer_pages(client, make_producer):
    producer = make_producer()
    for url in (
        "/producers/",
        f"/producers/{producer.pk}/",
        f"/producers/{producer.pk}/edit/",
        "/producers/new/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_commune_officer_cannot_edit_producers_outside_their_communes(
    client, commune_officer, make_producer
):
    inside = make_producer(name="HTX Chí Đạo", commune=legacy_commune(5323))
    outside = make_producer(name="HTX Thanh An", commune=legacy_commune(MY_THANH))
    client.force_login(commune_officer)
    assert client.get(f"/producers/{inside.pk}/edit/").status_code == 200
    assert client.get(f"/producers/{outside.pk}/").status_code == 404
    response = client.post(f"/producers/{outside.pk}/edit/", form_data(outside, name="Đổi"))
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.name == "HTX Thanh An"
    # Creating one outside their communes is refused with a field error; nothing stored.
    new = Producer(
        kind="cooperative",
        name="HTX ngoài địa bàn",
        registration_number="0100233583",
        representative="Nguyễn Văn A",
        commune=legacy_commune(MY_THANH),
    )
    response = client.post("/producers/new/", form_data(new))
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["commune"]] == ["scope"]
    assert not Producer.objects.filter(name="HTX ngoài địa bàn").exists()
    new.commune = current_commune(QUYET_THANG)
    assert client.post("/producers/new/", form_data(new)).status_code == 302
    assert Producer.objects.filter(name="HTX ngoài địa bàn").exists()


def test_province_officer_is_scoped_to_their_province(
    client, province_officer, other_province_officer, make_producer
):
    lac_son = make_producer(name="HTX Thanh An", commune=legacy_commune(MY_THANH))
    hanoi = make_producer(name="HTX Cốm Vòng", commune=current_commune(4))
    client.force_login(province_officer)
    assert client.get(f"/producers/{lac_son.pk}/edit/").status_code == 200
    assert client.get(f"/producers/{hanoi.pk}/").status_code == 404
    listing = client.get("/producers/").content.decode()
    assert "HTX Thanh An" in listing and "HTX Cốm Vòng" not in listing
    client.force_login(other_province_officer)
    assert client.get(f"/producers/{hanoi.pk}/edit/").status_code == 200
    assert client.get(f"/producers/{lac_son.pk}/").status_code == 404


def test_api_token_command_issues_a_working_bearer_token(capsys, province_officer):
    call_command("api_token", "province")
    token = capsys.readouterr().out.strip()
    assert token.startswith("ocop_")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    body = {
        "kind": "cooperative",
        "name": "Hợp tác xã Gà Ri Lạc Sơn",
        "registration_number": "0100233583",
        "representative": "Bùi Văn Hải",
        "commune": "legacy:5275",
    }
    response = api.post("/api/v1/producers", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["commune"] == "Xã Mỹ Thành"
    assert Producer.objects.get(name="Hợp tác xã Gà Ri Lạc Sơn").history.first().history_user == (
        province_officer
    )
    bad = Client(headers={"Authorization": f"Bearer {token}x"})
    assert bad.post("/api/v1/producers", body, content_type="application/json").status_code == 401

    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "nobody")
