"""The inspection form on a 390 px phone in the field: the inspector taps to record the
position (the browser's geolocation, granted to the site), sees it, adds a finding and
records the inspection, without sideways scroll; the position is stored with it."""

import pytest

from ocophub.accounts.demo import password_for
from ocophub.compliance.models import GrowingArea, Inspection
from ocophub.conftest import log_in

CODE = "VN-HBOR-0001"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_inspector_records_an_inspection_with_the_phones_position(
    phone, too_wide, demo_codes, live_server
):
    centre = GrowingArea.objects.get(code=CODE).current_boundary.shape.centroid
    page = phone(
        geolocation={"latitude": centre.y, "longitude": centre.x, "accuracy": 8},
        permissions=["geolocation"],
    )
    log_in(page, "inspector", password_for("inspector"))
    page.goto(f"{live_server.url}/compliance/codes/{CODE}/")
    page.click("a[data-action=inspect]")
    page.wait_for_selector("form[data-form=inspection]")
    assert not too_wide(page)
    page.click("#position button")
    page.wait_for_selector("#position[data-state=located]")
    assert "Đã ghi vị trí" in page.inner_text("#position output")
    assert float(page.input_value("input[name=latitude]")) == pytest.approx(centre.y, abs=1e-5)
    page.select_option("#id_finding-0-kind", "pest")
    page.fill("#id_finding-0-note", "rệp sáp trên vài cây")
    page.fill("#id_notes", "Kiểm tra trên điện thoại")
    assert not too_wide(page)
    page.click("form[data-form=inspection] button[type=submit]")
    page.wait_for_url(f"**/compliance/codes/{CODE}/")
    assert "Đã ghi lần kiểm tra." in page.inner_text(".messages")
    assert not too_wide(page)
    inspection = Inspection.objects.get(notes="Kiểm tra trên điện thoại")
    assert inspection.area.code == CODE
    assert inspection.latitude == pytest.approx(centre.y, abs=1e-5)
    assert inspection.longitude == pytest.approx(centre.x, abs=1e-5)
    assert inspection.accuracy_m == 8
    assert [f.kind for f in inspection.findings.all()] == ["pest"]
    assert page.outside == []
