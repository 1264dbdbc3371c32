"""Drawing a growing area's boundary on a 390 px phone: the inspector taps the corners
on the map, checks the drawing (measured in hectares by the server), then walks a new
boundary point by point with the phone's position and saves it as a new version;
nothing is loaded from outside the site and the page does not scroll sideways."""

import pytest

from ocophub.accounts import demo as accounts_demo
from ocophub.accounts.demo import password_for
from ocophub.compliance import demo
from ocophub.compliance.models import GrowingArea
from ocophub.conftest import log_in
from ocophub.producers import demo as producers_demo
from ocophub.products import demo as products_demo
from ocophub.trace import demo as trace_demo

CODE = "VN-HBOR-0001"
METRES_PER_DEG_LAT = 110_574.0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_inspector_draws_and_walks_a_boundary_on_a_phone(
    phone, too_wide, live_server, reference_data
):
    for module in (accounts_demo, producers_demo, products_demo, trace_demo, demo):
        module.load()
    area = GrowingArea.objects.get(code=CODE)
    centre = area.current_boundary.shape.centroid
    page = phone(
        geolocation={"latitude": centre.y, "longitude": centre.x, "accuracy": 5},
        permissions=["geolocation"],
    )
    context, outside = page.context, page.outside
    log_in(page, "inspector", password_for("inspector"))
    page.goto(f"{live_server.url}/compliance/codes/{CODE}/")
    page.click("a[data-action=redraw]")
    page.wait_for_selector("#boundary-map[data-state=ready]")
    page.wait_for_selector("#boundary-map[data-others-drawn]")
    assert int(page.get_attribute("#boundary-map", "data-vertices")) >= 3  # the current one
    assert not too_wide(page)

    # Tap four corners around the middle of the map.
    page.click("button[data-action=draw]")
    box = page.locator("#boundary-map").bounding_box()
    mx, my = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-120, -120), (120, -120), (120, 120), (-120, 120)):
        page.mouse.click(mx + dx, my + dy)
    page.click("button[data-action=undo]")
    assert page.get_attribute("#boundary-map", "data-vertices") == "3"
    page.mouse.click(mx - 120, my + 120)
    page.click("button[data-action=finish]")
    assert page.get_attribute("#boundary-map", "data-vertices") == "4"
    assert "Đã vẽ 4 điểm." in page.inner_text("#boundary-status")
    page.click("button[name=action][value=check]")
    page.wait_for_selector("p.measured")
    measured = float(page.get_attribute("p.measured", "data-measured"))
    assert measured > 1  # hundreds of metres a side at the map's zoom
    assert "chưa được lưu" in page.inner_text("p.measured")
    assert area.boundaries.count() == 1
    assert not too_wide(page)

    # Walk a square of about 150 m, a point at each corner where the phone stands.
    page.wait_for_selector("#boundary-map[data-state=ready]")
    page.click("button[data-action=draw]")
    per_lon = METRES_PER_DEG_LAT * 0.9367  # cos(20.5°)
    side_lat, side_lon = 150 / METRES_PER_DEG_LAT, 150 / per_lon
    corners = [(0, 0), (0, side_lon), (side_lat, side_lon), (side_lat, 0)]
    for n, (dlat, dlon) in enumerate(corners, 1):
        context.set_geolocation(
            {"latitude": centre.y + dlat, "longitude": centre.x + dlon, "accuracy": 5}
        )
        page.click("button[data-action=here]")
        page.wait_for_selector(f"#boundary-map[data-vertices='{n}']")
    page.click("button[data-action=finish]")
    page.click("button[name=action][value=save]")
    page.wait_for_url(f"**/compliance/codes/{CODE}/")
    assert "Đã lưu ranh giới mới" in page.inner_text(".messages")
    assert not too_wide(page)
    assert area.boundaries.count() == 2
    new = area.current_boundary
    assert float(new.area_ha) == pytest.approx(2.25, rel=0.02)
    assert new.source == "drawn"
    assert new.shape.bounds[1] == pytest.approx(centre.y, abs=1e-6)
    assert outside == []
