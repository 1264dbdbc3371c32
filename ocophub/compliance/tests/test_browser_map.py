"""The map of codes on a 390 px phone: the inspector sees the demo's growing areas
drawn as polygons and the packing house as a circle, opens a popup and follows it to
the code's page, without sideways scroll and with nothing from outside the site."""

import pytest

from ocophub.accounts.demo import password_for
from ocophub.conftest import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_inspector_sees_the_areas_on_the_map_on_a_phone(
    phone, too_wide, demo_codes, live_server
):
    page = phone()
    log_in(page, "inspector", password_for("inspector"))
    page.goto(live_server.url + "/compliance/map/")
    page.wait_for_selector("#code-map[data-state=drawn]")
    assert page.locator("#code-map").get_attribute("data-features") == "5"
    polygons = page.locator("#code-map path[data-code^='VN']:not([data-marker])")
    assert polygons.count() == 5  # four areas and the packing house's circle
    suspended = page.locator("path[data-code='VN-HBOR-0004']")
    assert suspended.get_attribute("data-state") == "suspended"
    box = page.locator("path[data-code='VN-HBOR-0001']").bounding_box()
    assert box["width"] > 2 and box["height"] > 2
    # Small areas are dots too at district scale, with the same popup.
    assert page.locator("#code-map path[data-marker=area]").count() == 4
    assert page.locator(".leaflet-control-scale").count() == 1
    assert not too_wide(page)
    page.locator("path[data-code='VNHBPH-0001']").dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "VNHBPH-0001" in popup.inner_text()
    popup.locator("a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/compliance/codes/VNHBPH-0001/")
    assert not too_wide(page)
    # The other staff pages of the codes fit the phone too.
    for path in ("/compliance/codes/VN-HBOR-0004/", "/compliance/reports/", "/compliance/codes/"):
        page.goto(live_server.url + path)
        assert not too_wide(page), path
    assert page.outside == []
