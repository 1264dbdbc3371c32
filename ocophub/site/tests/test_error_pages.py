"""403, 404 and 500 share the site's look and speak the user's language, saying whom to ask."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation


@pytest.mark.django_db
def test_a_forbidden_page_is_the_styled_page_in_vietnamese_naming_whom_to_ask(
    client, producer_account
):
    client.force_login(producer_account)
    response = client.get("/programme/targets/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Bạn không có quyền truy cập trang này" in html
    assert "Văn phòng Điều phối OCOP tỉnh" in html
    assert 'class="top"' in html  # the site's header, not a bare page
    assert "Forbidden" not in html


@pytest.mark.django_db
def test_a_forbidden_page_speaks_english_to_an_english_reader(client, producer_account):
    client.force_login(producer_account)
    client.cookies["django_language"] = "en"
    html = client.get("/programme/targets/new/").content.decode()
    assert "You do not have access to this" in html
    assert "ask your provincial OCOP office" in html


@pytest.mark.django_db
def test_a_missing_page_is_styled_and_says_whom_to_tell(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html or "Không tìm thấy" in html
    assert "Văn phòng Điều phối OCOP tỉnh" in html


def test_the_server_error_page_uses_the_site_stylesheet_in_the_current_language():
    with translation.override("vi"):
        html = render_to_string("500.html")
    assert "core/app.css" in html
    assert "Đã xảy ra lỗi" in html
    with translation.override("en"):
        assert "Something went wrong" in render_to_string("500.html")
