import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_page_renders_in_chromium(page, reference_data):
    page.goto(page.base_url + "/")
    assert page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "vi"
