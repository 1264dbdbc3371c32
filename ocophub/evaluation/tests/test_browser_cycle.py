"""The whole cycle in a browser: two members score, the chair closes, the province
records the decision, the certificate it issued is downloaded and verified."""

import shutil
import subprocess

import pytest
from django.utils import timezone

from ocophub.evaluation.models import DecisionItem

from .conftest import scores_totalling


def sign_in(browser, base_url, username):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    # The header's language switch holds submit buttons too: use the login form's own.
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page


def score_in_browser(browser, base_url, username, dossier, scores):
    page = sign_in(browser, base_url, username)
    page.goto(f"{base_url}/evaluation/dossiers/{dossier.pk}/score/")
    assert page.locator("html").get_attribute("lang") == "vi"
    for code, points in scores.items():
        value = str(int(points)) if float(points).is_integer() else str(points)
        page.check(f"input[name='c_{code}'][value='{value}']")
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/evaluation/dossiers/{dossier.pk}/")
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_members_score_chair_closes_decision_issues_valid_certificate(
    browser, live_server, reference_data, cycle, province_officer, tmp_path
):
    base = live_server.url
    dossier = cycle["dossier"]
    scores = scores_totalling(dossier.criteria_set, 75)
    for user in (cycle["chair"], cycle["member"]):
        user.set_password("pw-for-tests-1")
        user.save()
    score_in_browser(browser, base, cycle["chair"].username, dossier, scores)
    score_in_browser(browser, base, cycle["member"].username, dossier, scores)

    chair = sign_in(browser, base, cycle["chair"].username)
    chair.goto(f"{base}/evaluation/councils/{cycle['council'].pk}/")
    chair.click("form[action$='/close/'] button")
    chair.wait_for_load_state()
    assert chair.locator("form[action$='/close/']").count() == 0
    chair.context.close()

    office = sign_in(browser, base, province_officer.username)
    office.goto(f"{base}/evaluation/councils/{cycle['council'].pk}/decide/")
    office.fill("#id_number", "415/QĐ-UBND")
    office.fill("#id_date", timezone.localdate().isoformat())
    office.fill("#id_issuing_body", "UBND tỉnh Phú Thọ")
    office.select_option("#id_body_level", "province")
    office.click("main form button[type=submit]")
    office.wait_for_load_state()
    assert "/evaluation/decisions/" in office.url
    item = DecisionItem.objects.get(dossier=dossier)
    number = item.certificate.number
    assert office.locator("a.certificate").inner_text() == number
    assert item.certificate.stars == 4

    pdf = office.context.request.get(f"{base}/certificates/{number}/pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    body = pdf.body()
    assert body.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "certificate.pdf"
        path.write_bytes(body)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert cycle["product"].name in text
    office.context.close()

    context = browser.new_context(locale="vi-VN")
    visitor = context.new_page()
    visitor.goto(f"{base}/verify/{number}")
    assert visitor.locator("[data-status]").get_attribute("data-status") == "valid"
    context.close()
