"""What a wrong address answers."""

import json

import pytest

from ocophub.core.views import server_error


@pytest.mark.django_db
def test_unknown_api_path_answers_json_and_pages_answer_html(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/v1/no-such-thing" in response.json()["detail"]
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_server_error_on_an_api_path_answers_json_and_pages_answer_html(rf):
    response = server_error(rf.get("/api/v1/compliance/areas"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "ghi dở" in json.loads(response.content)["detail"]
    page = server_error(rf.get("/products/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/listings?product=130099064628163110345113600",
        "/api/v1/shops?product=130099064628163110345113600",
        "/api/v1/batches?product=130099064628163110345113600",
        "/api/v1/compliance/areas?producer=130099064628163110345113600",
    ],
)
def test_a_record_id_past_64_bits_is_refused_plainly(client, db, url):
    # Found by `make fuzz`: the database failed on the number (a server error).
    r = client.get(url)
    assert r.status_code in (400, 422) and "produc" in r.content.decode()
