"""Security headers: every page carries a Content-Security-Policy that allows no inline
script or style (but fixed <style> blocks, by hash), which the templates honour; a public
address on https turns on secure cookies, HSTS and the proxy's scheme; the admin is for
superusers, at a path of choice."""

import base64
import hashlib
import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "ocophub").glob("*/templates/**/*.html"))
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
DATA_BLOCK = re.compile(r'type="application/(ld\+)?json"', re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def policy(response):
    return dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/docs", "/no-such-page/"])
def test_every_page_carries_a_policy_of_this_site_only(client, path):
    directives = policy(client.get(path))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in directives["style-src"][1:])
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_scan_page_style_is_allowed_by_its_hash_and_nothing_else_inline(client):
    html = client.get("/01/08930000000019").content.decode()
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    style_src = policy(client.get("/01/08930000000019"))["style-src"]
    assert f"'sha256-{digest}'" in style_src
    assert "'unsafe-inline'" not in style_src


def test_the_templates_are_found():
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "public_base.html", "dashboard.html"} <= names


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_template_has_inline_script_or_style(template):
    text = template.read_text()
    for attributes in SCRIPT.findall(text):
        assert "src=" in attributes or DATA_BLOCK.search(attributes), (
            f"inline <script{attributes}>: move it to a static file"
        )
    for css in re.findall(r"<style\b[^>]*>(.*?)</style>", text, re.S | re.I):
        assert not re.search(r"\{[{%#]", css), (
            "a <style> block with template syntax: its hash cannot be known, use a .css file"
        )
    for tag in TAG.findall(text):
        assert not HANDLER.search(tag), f"event handler attribute in {tag}"
        assert not STYLE_ATTRIBUTE.search(tag), f"style attribute in {tag}"


def load_settings(monkeypatch, **environment):
    """ocophub/settings.py as a fresh module read under `environment`."""
    for name in (
        "SECURE_COOKIES",
        "SECURE_HSTS_SECONDS",
        "BEHIND_TLS_PROXY",
        "ADMIN_PATH",
        "COMPLIANCE_TILE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "fresh_settings", settings.BASE_DIR / "ocophub" / "settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_https_site_url_turns_on_secure_cookies_hsts_and_the_proxy_scheme(monkeypatch):
    secure = load_settings(monkeypatch, SITE_URL="https://ocop.phutho.gov.vn")
    assert secure.SESSION_COOKIE_SECURE and secure.CSRF_COOKIE_SECURE
    assert secure.LANGUAGE_COOKIE_SECURE
    assert secure.SESSION_COOKIE_HTTPONLY and secure.CSRF_COOKIE_HTTPONLY
    assert secure.SECURE_HSTS_SECONDS >= 180 * 24 * 3600
    assert secure.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_a_plain_http_site_url_leaves_them_off_unless_asked(monkeypatch):
    plain = load_settings(monkeypatch, SITE_URL="http://127.0.0.1:8000")
    assert not plain.SESSION_COOKIE_SECURE and not plain.CSRF_COOKIE_SECURE
    assert plain.SECURE_HSTS_SECONDS == 0 and plain.SECURE_PROXY_SSL_HEADER is None
    asked = load_settings(monkeypatch, SITE_URL="http://127.0.0.1:8000", SECURE_COOKIES="yes")
    assert asked.SESSION_COOKIE_SECURE and asked.SECURE_HSTS_SECONDS == 0


def test_the_admin_path_is_a_setting(monkeypatch):
    assert load_settings(monkeypatch).ADMIN_PATH == "admin/"
    assert load_settings(monkeypatch, ADMIN_PATH="/office-admin/").ADMIN_PATH == "office-admin/"


@pytest.mark.django_db
def test_https_requests_behind_the_proxy_get_hsts(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == "max-age=3600"
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")


@pytest.mark.django_db
def test_the_admin_opens_for_superusers_only(client, province_officer):
    staff = province_officer
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    staff.is_superuser = True
    staff.save()
    assert client.get("/admin/").status_code == 200


def test_a_tile_server_set_for_the_maps_is_allowed_for_images_and_nothing_else(monkeypatch):
    plain = load_settings(monkeypatch)
    assert plain.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == ["'self'", "data:"]
    tiles = load_settings(
        monkeypatch, COMPLIANCE_TILE_URL="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    )
    directives = tiles.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["img-src"] == ["'self'", "data:", "https://*.tile.openstreetmap.org"]
    assert directives["default-src"] == ["'self'"] and directives["script-src"] == ["'self'"]
    assert tiles.tile_origin("javascript:alert(1)") == ""
