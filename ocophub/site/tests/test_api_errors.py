"""Every API error has one body, {"detail": ..., "errors"?: {...}}, and the schema says so."""

from django.test import Client

from ocophub.accounts.models import ApiToken


def test_field_errors_name_each_field_in_detail_and_in_errors(db, commune_officer):
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(commune_officer)}"})
    response = api.post(
        "/api/v1/producers",
        {"kind": "cooperative", "name": "HTX", "registration_number": "123", "representative": ""},
        content_type="application/json",
    )
    # The schema refuses a payload without `commune` before the view runs: a list.
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"][-1] == "commune"
    response = api.post(
        "/api/v1/producers",
        {
            "kind": "cooperative",
            "name": "HTX",
            "registration_number": "123",
            "representative": "",
            "commune": "legacy:5275",
        },
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 400
    assert set(body) == {"detail", "errors"}
    assert {"registration_number", "representative"} <= set(body["errors"])
    assert f"representative: {body['errors']['representative']}" in body["detail"]


def test_a_refusal_has_only_detail(db, producer_account):
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(producer_account)}"})
    response = api.post(
        "/api/v1/products",
        {"name": "x", "producer_id": 1, "commune": "5275"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert list(response.json()) == ["detail"]


def test_openapi_documents_the_error_body(client):
    schema = client.get("/api/v1/openapi.json").json()
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"detail", "errors"} and error["required"] == ["detail"]
    create = schema["paths"]["/api/v1/producers"]["post"]["responses"]
    for code in ("400", "403"):
        ref = create[code]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/ErrorOut"
    assert "404" in schema["paths"]["/api/v1/batches/{batch_id}"]["get"]["responses"]


def test_openapi_documents_400_where_an_operation_takes_input_and_401_where_it_needs_a_token(
    client,
):
    schema = client.get("/api/v1/openapi.json").json()
    provinces = schema["paths"]["/api/v1/places/provinces"]["get"]["responses"]
    assert provinces["400"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorOut")
    assert "401" not in provinces
    capture_jobs = schema["paths"]["/api/v1/epcis/capture"]["get"]["responses"]
    assert capture_jobs["401"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorOut")
    assert "400" not in schema["paths"]["/api/v1/criteria-sets"]["get"]["responses"]


def test_a_request_without_a_token_where_one_is_needed_answers_the_error_body(client):
    response = client.get("/api/v1/epcis/capture")
    assert response.status_code == 401
    assert list(response.json()) == ["detail"]
