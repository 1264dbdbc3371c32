"""The round's results spreadsheet keeps members' scores hidden while scoring is open."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from ocophub.evaluation import workflow

from .conftest import full_scores


def results(client, round_):
    response = client.get(reverse("evaluation:round_results", args=[round_.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).worksheets


def test_members_scores_appear_only_once_the_council_has_closed_scoring(
    client, cycle, province_officer
):
    chair, member, dossier = cycle["chair"], cycle["member"], cycle["dossier"]
    chair_name = str(workflow.sheet_for(dossier, chair).member)
    scores = full_scores(dossier.criteria_set)
    workflow.save_sheet(workflow.sheet_for(dossier, chair), scores, chair, submit=True)
    client.force_login(province_officer)

    summary, detail = results(client, cycle["round"])
    header = [c.value for c in detail[1]]
    assert chair_name not in header  # the member has not submitted: nobody's sheet shows
    assert summary["F2"].value is None and summary["G2"].value is None
    a01 = next(r for r in detail.iter_rows(min_row=2, values_only=True) if r[2] == "A01")
    assert scores["A01"] not in a01[6:]

    workflow.save_sheet(workflow.sheet_for(dossier, member), scores, member, submit=True)
    workflow.close_scoring(cycle["council"], chair)
    summary, detail = results(client, cycle["round"])
    header = [c.value for c in detail[1]]
    assert chair_name in header and str(workflow.sheet_for(dossier, member).member) in header
    assert summary["F2"].value is not None
