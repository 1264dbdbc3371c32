"""Each main role, signed in on a 390 x 844 phone, lands on its start page: its panels
fit the screen (no sideways scroll), and every link in them opens a page that answers
and fits the phone too."""

import pytest
from django.core.management import call_command

from ocophub.accounts.demo import password_for
from ocophub.conftest import log_in

# The demo account of each main role, and a panel title its start page must show.
ROLES = [
    ("producer", "Sản phẩm của bạn"),
    ("commune", "Hồ sơ chờ xã"),
    ("council1", "Hồ sơ chờ bạn chấm điểm"),
    ("province", "Hội đồng"),
    ("union", "Buổi tập huấn hôm nay"),
    ("inspector", "kiểm tra"),
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("username", "panel"), ROLES, ids=[r[0] for r in ROLES])
def test_each_role_lands_on_a_start_page_that_fits_a_phone_and_whose_links_open(
    phone, too_wide, reference_data, username, panel
):
    page = phone()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    log_in(page, username, password_for(username))
    assert page.url.endswith("/start/")
    titles = page.locator(".start-panel h2").all_inner_texts()
    assert any(panel in title for title in titles), titles
    assert not too_wide(page)

    links = page.locator(".start-panel a")
    hrefs = sorted({links.nth(i).get_attribute("href") for i in range(links.count())})
    assert hrefs, f"{username}: no links on the start page"
    # A person taps the first link: it leads away from the start page.
    first = links.first.get_attribute("href")
    links.first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith(first.split("?")[0])

    broken, wide = [], []
    for href in hrefs:
        response = page.goto(page.base_url + href if href.startswith("/") else href)
        if response.status != 200:
            broken.append((href, response.status))
        elif too_wide(page):
            wide.append(href)
    assert broken == [] and wide == []
