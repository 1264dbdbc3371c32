"""The header's menu per role: what each app's nav.py offers to whom, in the order of
the work, and every entry opens for that role (a menu never leads to a refusal).

The entries of market, compliance and support are their apps' to choose (their tests
hold them to account): here they are only expected to be there or not, as a whole."""

import re
from html import unescape

import pytest

from ocophub.accounts.models import Role
from ocophub.compliance import nav as compliance_nav
from ocophub.conftest import QUYET_THANG, current_commune, make_user
from ocophub.market import nav as market_nav
from ocophub.support import nav as support_nav

OWN_MENUS = (compliance_nav, market_nav, support_nav)
COMPLIANCE = ["compliance"]
MENUS = {
    None: ["Products", "OCOP criteria", "Places", "API"],
    Role.PROVINCE_OFFICE: [
        "To do",
        "Products",
        "Producers",
        "Evaluation",
        "Certificates",
        "Programme",
        "Batches",
        *COMPLIANCE,
        "support",
        "Places",
        "API",
    ],
    Role.COMMUNE_OFFICER: [
        "To do",
        "Products",
        "Producers",
        "Evaluation",
        "Certificates",
        "Programme",
        "Batches",
        "Places",
    ],
    Role.COUNCIL_MEMBER: ["To do", "Products", "Evaluation"],
    Role.PRODUCER: [
        "To do",
        "Products",
        "Producers",
        "Evaluation",
        "Certificates",
        "Batches",
        *COMPLIANCE,
    ],
    Role.INSPECTOR: ["To do", "Products", "Producers", "Certificates", "Programme", *COMPLIANCE],
    Role.UNION_OFFICER: [
        "To do",
        "Products",
        "Producers",
        "Certificates",
        "Programme",
        "support",
    ],
    Role.BUYER: ["To do", "Products"],
}


def menu(client, path="/"):
    """[(url, label)] of the header's menu, the entries of an app that keeps its own
    menu (compliance, support) folded into one named by the app, and the market's
    entries apart (they differ by role in ways the market app decides)."""
    client.cookies["django_language"] = "en"
    response = client.get(path)
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', response.content.decode(), re.S)
    entries = [
        (url, unescape(label))
        for url, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1))
    ]
    owners = {}
    for module in OWN_MENUS:
        app = module.__name__.split(".")[1]
        for item in module.items(response.wsgi_request):
            owners[item["url"]] = app
    shown, all_entries = [], []
    for url, label in entries:
        all_entries.append((url, label))
        app = owners.get(url)
        if app == "market":
            continue
        name = app or label
        if not shown or shown[-1] != name or app is None:
            shown.append(name)
    return shown, all_entries


@pytest.mark.parametrize("role", list(MENUS), ids=lambda r: r or "visitor")
def test_each_role_sees_its_menu_and_every_entry_opens(client, phu_tho, role):
    if role is not None:
        user = make_user(f"user-{role}", role, province=phu_tho)
        if role == Role.COMMUNE_OFFICER:
            user.communes.set([current_commune(QUYET_THANG)])
        client.force_login(user)
    shown, entries = menu(client)
    assert shown == MENUS[role]
    for url, label in entries:
        if url.startswith("/api/"):
            continue
        assert client.get(url).status_code == 200, label


def test_the_entry_of_the_page_one_is_on_is_marked(client, phu_tho):
    client.force_login(make_user("office", Role.PROVINCE_OFFICE, province=phu_tho))
    client.cookies["django_language"] = "en"
    html = client.get("/trace/batches/").content.decode()
    assert '<a href="/trace/batches/" aria-current="page">Batches</a>' in html
    assert html.count('aria-current="page"') == 1


def test_the_menu_reads_in_vietnamese_by_default(client, phu_tho):
    client.force_login(make_user("council", Role.COUNCIL_MEMBER, province=phu_tho))
    html = client.get("/").content.decode()
    assert ">Việc cần làm</a>" in html
    assert ">Đánh giá</a>" in html
