import io

from django.urls import reverse
from openpyxl import load_workbook

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.evaluation import workflow
from ocophub.evaluation.criteria_io import to_xlsx
from ocophub.evaluation.models import Council, Dossier, Round, ScoreSheet

from .conftest import full_scores, scores_totalling


def login(client, user):
    client.force_login(user)
    return client


def test_pages_render_in_vietnamese_by_default(client, cycle, province_officer):
    login(client, province_officer)
    dossier = cycle["dossier"]
    for url in [
        reverse("evaluation:rounds"),
        reverse("evaluation:round", args=[cycle["round"].pk]),
        reverse("evaluation:dossier", args=[dossier.pk]),
        reverse("evaluation:council", args=[cycle["council"].pk]),
        reverse("evaluation:criteria"),
        reverse("evaluation:criteria_detail", args=[dossier.criteria_set.code]),
        reverse("evaluation:local_step", args=[dossier.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="vi"' in response.content.decode()


def test_dossier_scope_by_role(
    client,
    cycle,
    province_officer,
    other_province_officer,
    producer_account,
    commune_officer,
    phu_tho,
):
    url = reverse("evaluation:dossier", args=[cycle["dossier"].pk])
    stranger_producer = make_user("someone", Role.PRODUCER)
    other_commune = make_user("elsewhere", Role.COMMUNE_OFFICER, province=phu_tho)
    outsider_member = make_user("outsider", Role.COUNCIL_MEMBER, province=phu_tho)
    allowed = [province_officer, producer_account, commune_officer, cycle["chair"], cycle["member"]]
    refused = [other_province_officer, stranger_producer, other_commune, outsider_member]
    for user in allowed:
        assert login(client, user).get(url).status_code == 200, user.username
    for user in refused:
        assert login(client, user).get(url).status_code == 404, user.username
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_member_cannot_read_or_change_anothers_sheet_over_http(client, cycle):
    chair, member = cycle["chair"], cycle["member"]
    dossier = cycle["dossier"]
    scores = full_scores(dossier.criteria_set)
    sheet = workflow.save_sheet(workflow.sheet_for(dossier, chair), scores, chair, submit=True)
    login(client, member)
    assert client.get(reverse("evaluation:sheet", args=[sheet.pk])).status_code == 404
    page = client.get(reverse("evaluation:dossier", args=[dossier.pk])).content.decode()
    assert reverse("evaluation:sheet", args=[sheet.pk]) not in page
    # Posting to the score page only ever writes the member's own sheet.
    data = {
        f"c_{code}": str(int(v)) for code, v in full_scores(dossier.criteria_set, pick=min).items()
    }
    client.post(reverse("evaluation:score", args=[dossier.pk]), {**data, "save": "1"})
    sheet.refresh_from_db()
    assert sheet.scores == {k: float(v) for k, v in scores.items()}
    own = ScoreSheet.objects.get(dossier=dossier, member__user=member)
    assert own.submitted_at is None and own.total < sheet.total
    # After submitting their own, the chair's sheet opens.
    client.post(reverse("evaluation:score", args=[dossier.pk]), {**data, "submit": "1"})
    assert client.get(reverse("evaluation:sheet", args=[sheet.pk])).status_code == 200


def test_score_form_refuses_disallowed_level(client, cycle):
    dossier = cycle["dossier"]
    login(client, cycle["chair"])
    data = {f"c_{code}": str(int(v)) for code, v in full_scores(dossier.criteria_set).items()}
    data["c_C01"] = "4"
    response = client.post(reverse("evaluation:score", args=[dossier.pk]), {**data, "submit": "1"})
    assert response.status_code == 200
    assert not ScoreSheet.objects.exists()


def test_conflicted_member_refused_over_http(client, cycle):
    cycle["producer"].accounts.add(cycle["member"])
    login(client, cycle["member"])
    assert client.get(reverse("evaluation:score", args=[cycle["dossier"].pk])).status_code == 403


def test_producer_registers_own_product_only(
    client, criteria_sets, cycle, producer_account, make_producer, make_product
):
    round_ = cycle["round"]
    own = make_product(cycle["producer"], name="Mật ong Thanh An")
    foreign = make_product(make_producer(), name="Gà Ri Lạc Sơn")
    login(client, producer_account)
    url = reverse("evaluation:dossier_create", args=[round_.pk])
    assert client.post(url, {"product": own.pk, "kind": "new"}).status_code == 302
    assert Dossier.objects.filter(product=own).exists()
    assert client.post(url, {"product": foreign.pk, "kind": "new"}).status_code == 403
    assert not Dossier.objects.filter(product=foreign).exists()
    assert Round.objects.count() == 1


def test_decision_refused_after_issue_and_results_export(client, cycle, province_officer):
    dossier = cycle["dossier"]
    scores = scores_totalling(dossier.criteria_set, 75)
    for user in (cycle["chair"], cycle["member"]):
        workflow.save_sheet(workflow.sheet_for(dossier, user), scores, user, submit=True)
    login(client, cycle["member"])
    close = reverse("evaluation:council_close", args=[cycle["council"].pk])
    assert client.post(close).status_code == 403  # only the chair closes
    login(client, cycle["chair"])
    assert client.post(close).status_code == 302
    login(client, province_officer)
    response = client.post(
        reverse("evaluation:decide", args=[cycle["council"].pk]),
        {
            "number": "77/QĐ-UBND",
            "date": "2025-11-20",
            "issuing_body": "UBND tỉnh Phú Thọ",
            "body_level": "province",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = dossier.decision_items.get()
    assert item.certificate is not None and item.certificate.stars == 4
    # The score page refuses any change now.
    login(client, cycle["member"])
    before = ScoreSheet.objects.get(dossier=dossier, member__user=cycle["member"]).scores
    response = client.post(
        reverse("evaluation:score", args=[dossier.pk]), {"c_A01": "1", "save": "1"}, follow=True
    )
    assert "không thể thay đổi" in response.content.decode() or "can no longer change" in (
        response.content.decode()
    )
    assert ScoreSheet.objects.get(dossier=dossier, member__user=cycle["member"]).scores == before
    login(client, province_officer)
    response = client.get(reverse("evaluation:round_results", args=[cycle["round"].pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    results, sheet_rows = book.worksheets
    assert results["A2"].value == dossier.product.name
    assert results["F2"].value == 75
    assert results["J2"].value == item.certificate.number
    # A row per criterion, a column per member.
    assert sheet_rows.max_row - 1 == dossier.criteria_set.criteria().count()
    header = [c.value for c in sheet_rows[1]]
    assert str(cycle["chair"].get_full_name() or cycle["chair"].username) in header
    a01 = next(r for r in sheet_rows.iter_rows(min_row=2, values_only=True) if r[2] == "A01")
    assert a01[6:8] == (scores["A01"], scores["A01"])
    login(client, cycle["member"])
    assert (
        client.get(reverse("evaluation:round_results", args=[cycle["round"].pk])).status_code == 403
    )


def test_criteria_import_page(client, food_set, province_officer, producer_account):
    url = reverse("evaluation:criteria_import")
    assert login(client, producer_account).get(url).status_code == 403
    login(client, province_officer)
    book = load_workbook(io.BytesIO(to_xlsx(food_set)))
    book["Set"]["B1"] = "bo-moi-2026"
    book["Criteria"]["E2"] = 7  # A01's maximum no longer matches its part
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "bo.xlsx"
    response = client.post(url, {"file": out})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Criteria!E2" in page and "Parts!D2" in page


def test_htmx_preview_totals_only_the_posted_levels(client, cycle):
    dossier = cycle["dossier"]
    login(client, cycle["member"])
    url = reverse("evaluation:preview", args=[dossier.pk])
    page = client.post(url, {"c_A01": "3", "c_C01": "5"}, HTTP_HX_REQUEST="true").content.decode()
    assert "8" in page and "<html" not in page
    page = client.post(url, {"c_A01": "7"}, HTTP_HX_REQUEST="true").content.decode()
    assert "errorlist" in page


def test_forward_only_by_the_province_office_to_a_higher_council(client, cycle, province_officer):
    dossier = cycle["dossier"]
    national = Council.objects.create(round=cycle["round"], level="national", name="Hội đồng TW")
    url = reverse("evaluation:forward", args=[dossier.pk])
    login(client, cycle["chair"])
    assert client.post(url, {"council": national.pk}).status_code == 403
    login(client, province_officer)
    client.post(url, {"council": national.pk})
    dossier.refresh_from_db()
    assert dossier.council == cycle["council"]  # scoring not closed yet: refused
    for user in (cycle["chair"], cycle["member"]):
        workflow.save_sheet(
            workflow.sheet_for(dossier, user), full_scores(dossier.criteria_set), user, submit=True
        )
    workflow.close_scoring(cycle["council"], cycle["chair"])
    client.post(url, {"council": national.pk})
    dossier.refresh_from_db()
    assert dossier.council == national
