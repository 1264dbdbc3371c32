"""What a wrong address answers."""

import pytest


@pytest.mark.django_db
def test_unknown_api_path_answers_json_and_pages_answer_html(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/v1/no-such-thing" in response.json()["detail"]
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
