"""Each main role, signed in on a 390 x 844 phone, lands on its start page: its panels
fit the screen (no sideways scroll), and every link in them opens a page that answers
and fits the phone too."""

import pytest
from django.core.management import call_command

from ocophub.accounts.demo import password_for
from ocophub.conftest import log_in

from .test_phone_layout import overflow

PHONE = {"width": 390, "height": 844}

# The demo account of each main role, and a panel title its start page must show.
ROLES = [
    ("producer", "Sản phẩm của bạn"),
    ("commune", "Hồ sơ chờ xã"),
    ("council1", "Hồ sơ chờ bạn chấm điểm"),
    ("province", "Hội đồng"),
    ("union", "Buổi tập huấn hôm nay"),
    ("inspector", "kiểm tra"),
]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def too_wide(page):
    size = overflow(page)
    return size["width"] > size["viewport"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("username", "panel"), ROLES, ids=[r[0] for r in ROLES])
def test_each_role_lands_on_a_start_page_that_fits_a_phone_and_whose_links_open(
    phone, reference_data, username, panel
):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    log_in(phone, username, password_for(username))
    assert phone.url.endswith("/start/")
    titles = phone.locator(".start-panel h2").all_inner_texts()
    assert any(panel in title for title in titles), titles
    assert not too_wide(phone)

    links = phone.locator(".start-panel a")
    hrefs = sorted({links.nth(i).get_attribute("href") for i in range(links.count())})
    assert hrefs, f"{username}: no links on the start page"
    # A person taps the first link: it leads away from the start page.
    first = links.first.get_attribute("href")
    links.first.click()
    phone.wait_for_load_state()
    assert phone.url.split("?")[0].endswith(first.split("?")[0])

    broken, wide = [], []
    for href in hrefs:
        response = phone.goto(phone.base_url + href if href.startswith("/") else href)
        if response.status != 200:
            broken.append((href, response.status))
        elif too_wide(phone):
            wide.append(href)
    assert broken == [] and wide == []
