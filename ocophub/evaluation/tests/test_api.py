import json

from ocophub.accounts.models import ApiToken, Role
from ocophub.conftest import make_user
from ocophub.evaluation import workflow

from .conftest import FOOD_2023, full_scores, scores_totalling

URL = "/api/v1/evaluation/self-assessment"


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_criteria_sets_list_and_detail(client, criteria_sets):
    listed = client.get("/api/v1/criteria-sets").json()
    assert {s["code"] for s in listed} == set(criteria_sets)
    detail = client.get(f"/api/v1/criteria-sets/{FOOD_2023}").json()
    assert [(p["code"], p["total"]) for p in detail["parts"]] == [("A", 40), ("B", 25), ("C", 35)]
    a01 = detail["parts"][0]["criteria"][0]
    assert a01["code"] == "A01" and a01["max_points"] == 3
    assert [lv["points"] for lv in a01["levels"]] == [1, 2, 3]
    assert a01["minimum_requirement"] is False
    c04 = next(c for c in detail["parts"][2]["criteria"] if c["code"] == "C04")
    assert c04["minimum_requirement"] is True and c04["minimum_points"] == 2
    assert {"stars": 5, "min": 90} in detail["bands"]
    assert client.get("/api/v1/criteria-sets/nope").status_code == 404


def test_self_assessment_open_to_anyone(client, food_set):
    response = post(client, {"criteria_set": FOOD_2023, "scores": scores_totalling(food_set, 72)})
    assert response.status_code == 200
    assert response.json() == {"total": 72.0, "stars": 4, "achieved": True, "missing": []}


def test_self_assessment_reports_missing(client, food_set):
    scores = full_scores(food_set)
    del scores["B07"]
    scores["C05"] = 0
    body = post(client, {"criteria_set": FOOD_2023, "scores": scores}).json()
    assert body["achieved"] is False
    assert [(m["criterion"], m["reason"]) for m in body["missing"]] == [
        ("B07", "not_scored"),
        ("C05", "below_minimum"),
    ]


def test_self_assessment_400_names_the_problem(client, food_set):
    response = post(client, {"criteria_set": FOOD_2023, "scores": {"A01": 4, "X1": 1}})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"A01", "X1"} and "X1" in errors["X1"]
    response = post(client, {"criteria_set": "nope", "scores": {}})
    assert response.status_code == 400 and "criteria_set" in response.json()["errors"]


def test_scoped_reads(client, cycle, province_officer, other_province_officer):
    assert client.get("/api/v1/evaluation/rounds").status_code == 401
    dossier = cycle["dossier"]
    token = ApiToken.issue(cycle["member"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"/api/v1/evaluation/dossiers/{dossier.pk}", **auth).status_code == 200
    stranger = ApiToken.issue(other_province_officer)
    response = client.get(
        f"/api/v1/evaluation/dossiers/{dossier.pk}", HTTP_AUTHORIZATION=f"Bearer {stranger}"
    )
    assert response.status_code == 404
    # Another member's sheet stays hidden until the reader submits their own.
    chair = cycle["chair"]
    workflow.save_sheet(
        workflow.sheet_for(dossier, chair), full_scores(dossier.criteria_set), chair, submit=True
    )
    sheets = client.get(f"/api/v1/evaluation/dossiers/{dossier.pk}", **auth).json()["score_sheets"]
    assert sheets == []
    client.force_login(province_officer)
    rounds = client.get("/api/v1/evaluation/rounds").json()
    assert [r["id"] for r in rounds] == [cycle["round"].pk]
    dossiers = client.get(f"/api/v1/evaluation/rounds/{cycle['round'].pk}/dossiers").json()
    assert [d["product"] for d in dossiers] == [dossier.product.name]
    outsider = make_user("nobody", Role.PRODUCER)
    client.force_login(outsider)
    assert client.get(f"/api/v1/evaluation/rounds/{cycle['round'].pk}/dossiers").status_code == 404
