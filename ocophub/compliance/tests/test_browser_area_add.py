"""Registering a growing area on a 390 px phone: the inspector goes from the code list to
the new area page, fills in the code, the owner (found by a few words typed without
accents), crop and commune, zooms the map in, taps
four corners, finishes, checks and measures it (in hectares, by the server, nothing
saved), then registers it; the code page shows it, nothing is loaded from outside the
site and no page scrolls sideways."""

import pytest

from ocophub.accounts.demo import password_for
from ocophub.compliance import forms
from ocophub.compliance.models import GrowingArea
from ocophub.conftest import log_in

CODE = "VN-HBOR-0777"
ZOOM = 17  # about 1.1 m a pixel here: 200 px a side is a few hectares


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_inspector_registers_an_area_drawn_on_a_phone(
    phone, too_wide, demo_codes, live_server, monkeypatch
):
    monkeypatch.setattr(forms, "PRODUCER_FILTER_FROM", 1)  # the demo has a handful
    page = phone()
    log_in(page, "inspector", password_for("inspector"))
    page.goto(f"{live_server.url}/compliance/codes/")
    page.click("a[data-action=add-area]")
    page.wait_for_selector("form[data-form=area]")
    page.wait_for_selector("#boundary-map[data-others-drawn]")  # the demo's areas, in grey
    assert not too_wide(page)

    page.fill("#id_code", CODE)
    page.fill("#producer-filter", "doi chi dao")  # typed without accents
    assert page.locator("#id_producer option[value]:not([value=''])").count() == 1
    page.select_option("#id_producer", label="Hợp tác xã Dổi Chí Đạo")
    page.select_option("#id_crop", "doi")
    page.fill("#id_commune", "legacy:5323")
    page.fill("#id_households", "Bùi Văn Thử")

    # Zoom in from the view of every area to a field's size, clear of the others.
    page.locator("#boundary-map").scroll_into_view_if_needed()
    zoom = int(page.get_attribute("#boundary-map", "data-zoom"))
    while zoom < ZOOM:
        page.click("#boundary-map .leaflet-control-zoom-in")
        zoom += 1
        page.wait_for_selector(f"#boundary-map[data-zoom='{zoom}']")
    page.click("button[data-action=draw]")
    box = page.locator("#boundary-map").bounding_box()
    mx, my = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-100, -100), (100, -100), (100, 100), (-100, 100)):
        page.mouse.click(mx + dx, my + dy)
    page.click("button[data-action=finish]")
    assert page.get_attribute("#boundary-map", "data-vertices") == "4"
    assert not too_wide(page)

    page.click("button[name=action][value=check]")
    page.wait_for_selector("p.measured")
    measured = float(page.get_attribute("p.measured", "data-measured"))
    assert 2 < measured < 10  # about 220 m a side
    assert "chưa được đăng ký" in page.inner_text("p.measured")
    assert not GrowingArea.objects.filter(code=CODE).exists()
    assert not too_wide(page)

    page.wait_for_selector("#boundary-map[data-state=ready]")
    page.click("button[name=action][value=save]")
    page.wait_for_url(f"**/compliance/codes/{CODE}/")
    assert f"Đã đăng ký vùng trồng {CODE}" in page.inner_text(".messages")
    assert not too_wide(page)
    area = GrowingArea.objects.get(code=CODE)
    assert area.producer.name == "Hợp tác xã Dổi Chí Đạo" and area.crop.key == "doi"
    assert float(area.current_boundary.area_ha) == pytest.approx(measured, abs=1e-3)
    assert list(area.households.values_list("name", flat=True)) == ["Bùi Văn Thử"]
    assert page.outside == []
