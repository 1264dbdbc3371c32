"""The staff app speaks Vietnamese by default and English after the switch, and the
Vietnamese catalogues of every app are complete and current."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from asgiref.local import Local
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(settings.BASE_DIR)
# Every app of the project: a new one is covered from its first string.
APPS = settings.OCOP_APPS
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdfr]|%[sd]")


def catalogue(app):
    return ROOT / "ocophub" / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def reset_translation_caches():
    # What Django itself does when LANGUAGES or LOCALE_PATHS change in tests.

    trans_real._active = Local()
    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """Compile the .po files with the project's own script, as `make` does."""
    subprocess.run([sys.executable, "scripts/compile_messages.py"], cwd=ROOT, check=True)
    reset_translation_caches()
    yield
    reset_translation_caches()


@pytest.mark.parametrize("app", APPS)
def test_every_message_is_translated(app):
    po = polib.pofile(str(catalogue(app)))
    assert po.metadata.get("Language") == "vi"
    assert not po.metadata_is_fuzzy
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(t.strip() for t in translations):
            problems.append(f"untranslated: {entry.msgid!r}")
        wanted = sorted(set(PLACEHOLDER.findall(entry.msgid)))
        for text in translations:
            if sorted(set(PLACEHOLDER.findall(text))) != wanted:  # one may repeat
                problems.append(f"placeholders differ: {entry.msgid!r} → {text!r}")
    assert po.percent_translated() == 100
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext not installed")
@pytest.mark.parametrize("app", APPS)
def test_catalogue_holds_every_string_in_the_code(app, tmp_path):
    """makemessages on a copy of the app finds no string the catalogue lacks."""
    copy = tmp_path / app
    shutil.copytree(
        ROOT / "ocophub" / app,
        copy,
        ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo", "static", "data"),
    )
    subprocess.run(
        [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "vi"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "ocophub.settings", "PATH": "/usr/bin:/bin"},
    )
    extracted = polib.pofile(str(copy / "locale/vi/LC_MESSAGES/django.po"))
    ours = {e.msgid for e in polib.pofile(str(catalogue(app))) if not e.obsolete}
    new = sorted(e.msgid for e in extracted if not e.obsolete and e.msgid not in ours)
    assert not new, f"run makemessages in ocophub/{app} and translate: {new}"


def test_compiled_catalogue_is_used():
    with translation.override("vi"):
        assert translation.gettext("Producers") == "Chủ thể"
        assert str(translation.gettext_lazy("Cooperative group")) == "Tổ hợp tác"
    with translation.override("en"):
        assert translation.gettext("Producers") == "Producers"


def h1(response):
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.django_db
def test_pages_are_vietnamese_by_default_and_english_after_the_switch(client):
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert '<html lang="vi">' in html
    assert h1(home) == "Mỗi xã một sản phẩm"
    assert "sản phẩm OCOP được công nhận" in html
    products = client.get("/products/")
    assert h1(products) == "Sản phẩm"
    assert "Không có sản phẩm nào phù hợp." in products.content.decode()

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/products/"})
    assert switched.status_code == 302 and switched["Location"] == "/products/"

    home = client.get("/")
    assert '<html lang="en">' in home.content.decode()
    assert h1(home) == "One Commune One Product"
    products = client.get("/products/")
    assert h1(products) == "Products"
    assert "No product matches." in products.content.decode()

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert h1(client.get("/products/")) == "Sản phẩm"


@pytest.mark.django_db
def test_form_labels_and_choices_are_translated(client, province_officer):
    client.force_login(province_officer)
    html = client.get("/producers/new/").content.decode()
    for vietnamese in ("Tên pháp lý", "Mã số đăng ký hoặc mã số thuế", "Hợp tác xã", "Tổ hợp tác"):
        assert vietnamese in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/producers/new/").content.decode()
    assert "Legal name" in html and "Cooperative group" in html


@pytest.mark.django_db
def test_missing_pages_use_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    # Django admin's catalogue comes first and has its own wording for the title.
    assert h1(response).startswith("Không tìm thấy trang")
    assert "Không có trang nào ở địa chỉ này" in response.content.decode()
    assert 'href="/products/"' in response.content.decode()


@pytest.mark.django_db
def test_staff_pages_open_in_vietnamese_whatever_the_browser_prefers(client):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    page = client.get("/products/", **english_browser)
    assert page["Content-Language"] == "vi"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the switch in the header
    assert client.get("/products/", **english_browser)["Content-Language"] == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/products/")["Content-Language"] == "vi"


@pytest.mark.django_db
def test_public_certificate_check_follows_the_browser(client):
    page = client.get("/verify/NO-SUCH-1", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "en"
    assert client.get("/verify/NO-SUCH-1")["Content-Language"] == "vi"
