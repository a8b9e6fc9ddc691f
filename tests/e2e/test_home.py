import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "heading", "report_link"),
    [
        ("id", "Layanan untuk pekerja migran Indonesia", "Lapor"),
        ("en", "Services for Indonesian migrant workers", "Report"),
    ],
)
def test_home_page_in_both_languages_is_accessible(
    page_in, live_server, assert_accessible, language, heading, report_link
):
    page = page_in(language)
    page.goto(live_server.url + "/")
    assert heading in page.locator("h1").inner_text()
    assert page.locator("header").get_by_role("link", name=report_link, exact=True).is_visible()
    assert page.locator("footer").get_by_role("link", name=report_link, exact=True).is_visible()
    assert_accessible(page)


def test_language_switch_without_javascript(page_in, live_server):
    page = page_in("id", java_script_enabled=False)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_contain_text("Services for Indonesian migrant workers")


def test_home_page_fits_a_360px_screen(page_in, live_server):
    page = page_in("id", viewport={"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360
