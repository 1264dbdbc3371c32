"""Every main page, as each demo role, fits a 390 x 844 phone: no sideways scroll, and
the header takes one line until the menu is opened."""

import pytest
from django.core.management import call_command

from ocophub.accounts.demo import DEMO_USERS, password_for
from ocophub.conftest import log_in, overflow

MAIN_PAGES = [
    "/",
    "/products/",
    "/producers/",
    "/certificates/",
    "/certificates/expiring/",
    "/evaluation/",
    "/evaluation/criteria/",
    "/programme/",
    "/programme/targets/",
    "/trace/batches/",
    "/places/",
    "/accounts/me/",
    "/notices/",
    "/notices/settings/",
]


def detail_pages():
    from ocophub.evaluation.models import Dossier, Round
    from ocophub.producers.models import Producer
    from ocophub.products.models import Product
    from ocophub.trace.models import Batch

    pages = [
        f"/products/{Product.objects.order_by('pk').first().pk}/",
        f"/producers/{Producer.objects.order_by('pk').first().pk}/",
        f"/evaluation/rounds/{Round.objects.order_by('pk').first().pk}/",
        f"/evaluation/dossiers/{Dossier.objects.order_by('pk').first().pk}/",
    ]
    batch = Batch.objects.order_by("pk").first()
    if batch:
        pages.append(f"/trace/batches/{batch.pk}/")
    return pages


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_main_page_fits_a_phone_for_every_role(phone, reference_data):
    page = phone()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    pages = MAIN_PAGES + detail_pages()
    too_wide = []
    roles = [None] + [username for username, *_ in DEMO_USERS]
    for username in roles:
        page.context.clear_cookies()
        if username:
            log_in(page, username, password_for(username))
        for url in pages:
            page.goto(page.base_url + url)
            size = overflow(page)
            if size["width"] > size["viewport"]:
                too_wide.append((username, url, size["width"]))
    assert too_wide == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_phone_header_is_one_line_and_the_menu_opens(phone, reference_data):
    page = phone()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    log_in(page, "province", password_for("province"))
    page.goto(page.base_url + "/products/")
    header = page.locator("header.top").bounding_box()
    assert header["height"] < 70
    menu = page.locator("header .menu")
    assert not menu.is_visible()
    page.click("label.menu-button")
    assert menu.is_visible()
    assert page.locator("header nav a", has_text="Sản phẩm").first.is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lists_become_cards_that_name_each_value_on_a_phone(phone, reference_data):
    page = phone()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    page.goto(page.base_url + "/products/")
    cell = page.locator("table.has-labels tbody td[data-label]").first
    assert cell.get_attribute("data-label")
    assert page.locator("table.has-labels thead").first.is_hidden()


def support_pages():
    from ocophub.support.models import Course, Person, Programme, Session, SupportCase

    case = SupportCase.objects.get(name="Hợp tác xã Dổi Chí Đạo")
    course = Course.objects.order_by("pk").first()
    session = Session.objects.filter(course=course).order_by("pk").first()
    programme = Programme.objects.order_by("pk").first()
    person = Person.objects.order_by("pk").first()
    return [
        "/support/",
        "/support/cases/",
        f"/support/cases/{case.pk}/",
        f"/support/cases/{case.pk}/roster/?as_of=2022-06-01",
        "/support/cases/new/",
        "/support/people/",
        "/support/people/?q=0912",
        f"/support/people/{person.pk}/",
        "/support/people/new/",
        "/support/courses/",
        f"/support/courses/{course.pk}/",
        f"/support/courses/{course.pk}/import/",
        f"/support/sessions/{session.pk}/",
        f"/support/sessions/{session.pk}/qr/",
        f"/support/check-in/{session.token}/",
        "/support/duplicates/",
        "/support/programmes/",
        f"/support/programmes/{programme.pk}/",
        "/support/reports/?unit=17&era=legacy&from=2018-01-01&to=2023-12-31",
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_union_pages_fit_a_phone_for_the_union_officer(phone, reference_data):
    page = phone()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    log_in(page, "union", password_for("union"))
    too_wide, failed = [], []
    for url in support_pages():
        response = page.goto(page.base_url + url)
        if response.status != 200:
            failed.append((url, response.status))
        size = overflow(page)
        if size["width"] > size["viewport"]:
            too_wide.append((url, size["width"]))
    assert failed == [] and too_wide == []
