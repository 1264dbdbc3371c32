"""Shared fixtures: the real administrative units (loaded once per test database), one
user per role, and the builders of ocophub.testing as fixtures."""

import os

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections

from ocophub.accounts.models import Role, User
from ocophub.places.models import Commune, Era, Province
from ocophub.testing import builders

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHU_THO = 25  # current province that Hòa Bình became
MY_THANH, CHI_DAO, VU_BAN = 5275, 5323, 5266  # legacy Lạc Sơn communes
QUYET_THANG = 5323  # current commune carrying Chí Đạo's code


def load_reference_data():
    if not Commune.objects.exists():
        call_command("load_places", verbosity=0, stdout=open(os.devnull, "w"))
        call_command("load_product_groups", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


def _flushes_the_database(item):
    marker = item.get_closest_marker("django_db")
    return (
        item.get_closest_marker("browser") is not None
        or "transactional_db" in getattr(item, "fixturenames", ())
        or bool(marker and marker.kwargs.get("transaction"))
    )


def pytest_collection_modifyitems(items):
    # Browser tests (a live server) and other transactional tests end with a database
    # flush, which wipes the reference data and migrations' data the other tests share:
    # run them last.
    items.sort(key=_flushes_the_database)


@pytest.fixture(autouse=True)
def _plain_static_files(settings, tmp_path):
    # Tests do not run collectstatic; the hashed-manifest storage would need it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _no_scan_page_cache(settings):
    # Tests change certificates and events between scans; the cache has tests of its own.
    settings.TRACE_SCAN_CACHE = False


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate limits count per address and every test client is 127.0.0.1: start at zero.
    caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # No worker runs beside the tests: a task enqueued runs in the test, before enqueue returns.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reference_data(db):
    load_reference_data()


def legacy_commune(code):
    return Commune.objects.get(era=Era.LEGACY, code=code)


def current_commune(code):
    return Commune.objects.get(era=Era.CURRENT, code=code)


@pytest.fixture
def phu_tho(db):
    return Province.objects.get(era=Era.CURRENT, code=PHU_THO)


def make_user(username, role, **extra):
    user = User.objects.create_user(username, password="pw-for-tests-1", role=role, **extra)
    return user


@pytest.fixture
def province_officer(phu_tho):
    return make_user("province", Role.PROVINCE_OFFICE, province=phu_tho)


@pytest.fixture
def other_province_officer(db):
    hanoi = Province.objects.get(era=Era.CURRENT, code=1)
    return make_user("hanoi", Role.PROVINCE_OFFICE, province=hanoi)


@pytest.fixture
def commune_officer(phu_tho):
    user = make_user("commune", Role.COMMUNE_OFFICER, province=phu_tho)
    user.communes.set([current_commune(QUYET_THANG)])
    return user


@pytest.fixture
def make_producer(db):
    """`make_producer(commune=None, account=None, **fields)` (ocophub.testing.builders)."""
    return builders.producer_builder()


@pytest.fixture
def make_product(db):
    """`make_product(producer, name="Mật ong Thanh An", **fields)` (ocophub.testing)."""
    return builders.product_builder()


@pytest.fixture
def producer_account(db):
    return make_user("producer", Role.PRODUCER)


BROWSER_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser():
    """Debian's chromium driven by Playwright (never Playwright's own browser download)."""
    # Playwright (and its event loop) loads only for the browser tests that ask for it.
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail(f"{executable} not found: run `make system-deps` (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's event loop runs, Django keeps database connections per
            # context rather than per thread: the test's own would outlive the test
            # database (PostgreSQL then refuses to drop it).
            connections.close_all()


# Room for a page of the live server on a loaded 2-core machine: a market page once took
# more than 15 s there while the rest of the suite ran beside it.
BROWSER_TIMEOUT_MS = 30_000


@pytest.fixture
def page(browser, live_server):
    """A desktop-sized page; `page.base_url` is the live server."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    page.base_url = live_server.url
    yield page
    context.close()


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    """Open a page the size of a 390 px phone, in Vietnamese, on the live server:
    `phone(**options)` passes browser context options (a geolocation, is_mobile, say).
    The page keeps in `page.outside` every request it made to anywhere but the site."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(locale="vi-VN", viewport=PHONE, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        page.base_url = live_server.url
        page.outside = []
        page.on(
            "request",
            lambda r: None if r.url.startswith(live_server.url) else page.outside.append(r.url),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


def overflow(page):
    """How wide the page is and how wide the screen is (CSS px)."""
    return page.evaluate(
        "() => ({width: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )


@pytest.fixture
def too_wide():
    """too_wide(page): whether the page scrolls sideways."""

    def check(page):
        size = overflow(page)
        # A mobile page (is_mobile) wider than its screen may be zoomed out to fit, which
        # widens innerWidth: hold it to the width the page was opened at too.
        return size["width"] > min(size["viewport"], page.viewport_size["width"])

    return check


def log_in(page, username, password="pw-for-tests-1"):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # The header's language switch has submit buttons too: click the login form's own.
    page.click("main button[type=submit]")
    page.wait_for_load_state()
