"""Browser: the minister's dashboard with filters, a chart with its table, a CSV download; the
public statistics page. 0 axe-core violations in both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def minister(offices, settings):
    from portal.services import membership_grant
    from tests.factories import UserFactory

    user = UserFactory(username="menteri-dash-e2e", first_name="Analis")
    membership_grant(user=user, office=offices["kemenp2mi"], role="ministry_analyst")
    return user


@pytest.fixture
def complaints(offices):
    from django.utils import timezone

    from complaints.choices import Status
    from oversight.dashboards.services import dashboard_summary_refresh
    from tests.complaints.factories import CategoryFactory
    from tests.oversight.dashboard_support import Spec, complaints_create

    wages = CategoryFactory(slug="e2e-wages", name_id="Gaji uji E2E", name_en="E2E test wages")
    violence = CategoryFactory(
        slug="e2e-violence", name_id="Kekerasan uji E2E", name_en="E2E test violence"
    )
    categories = {"e2e-wages": wages, "e2e-violence": violence}
    specs = [
        Spec(
            "bp3mi-jatim",
            "e2e-wages",
            "MY",
            "35.04",
            Status.RESOLVED,
            False,
            300,
            verify_after=5,
            respond_after=30,
            resolve_after=200,
        )
    ] * 9 + [
        Spec(
            "bp3mi-jabar", "e2e-violence", "SA", "32.01", Status.RECEIVED, True, 20, due_in_hours=-2
        )
    ] * 6
    complaints_create(specs, offices=offices, categories=categories, now=timezone.now())
    dashboard_summary_refresh()
    return categories


def _signed_in_page(page_in, live_server, user, language="id"):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = page_in(language)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


@pytest.mark.parametrize("language", ["id", "en"])
def test_minister_filters_reads_a_chart_with_its_table_and_downloads_csv(
    page_in, live_server, assert_accessible, minister, complaints, language
):
    # given: the minister on the dashboard
    page = _signed_in_page(page_in, live_server, minister, language)
    page.goto(live_server.url + "/dashboard/")
    assert_accessible(page)
    section = page.locator("#by_category")
    # then: the chart has a title and a description, and its table shows the same figures
    chart = section.locator("svg[role=img]")
    assert chart.locator("title").count() == 1
    assert chart.locator("desc").count() == 1
    table_text = section.locator("table").inner_text()
    wages_label = "E2E test wages" if language == "en" else "Gaji uji E2E"
    assert wages_label in table_text
    assert "9" in table_text
    # when: the minister filters on one category
    page.select_option("#id_category", label=wages_label)
    page.locator("form.dash-filters button[type=submit]").click()
    # then: every figure follows the filter
    page.wait_for_url(re.compile(r"category="))
    expect(page.locator(".dash-figure strong").first).to_have_text("9")
    assert "violence" not in page.locator("#by_category table").inner_text().lower()
    assert_accessible(page)
    # when: the minister downloads the table as CSV
    with page.expect_download() as download_info:
        page.locator("#by_category a[download]").click()
    download = download_info.value
    # then: the file holds the filtered table
    content = open(download.path(), encoding="utf-8").read()  # noqa: SIM115
    assert wages_label in content
    assert ",9" in content
    assert "Kekerasan" not in content
    assert "violence" not in content


def test_bad_filter_shows_a_message_not_an_error(page_in, live_server, minister, complaints):
    page = _signed_in_page(page_in, live_server, minister, "en")
    page.goto(live_server.url + "/dashboard/?date_from=3000-01-01&date_to=1900-01-01")
    assert page.locator(".alert-danger").count() >= 1
    assert page.locator("h1").inner_text() == "Ministry dashboard"


@pytest.mark.parametrize("language", ["id", "en"])
def test_public_statistics_page_is_accessible(
    page_in, live_server, assert_accessible, complaints, language
):
    page = page_in(language)
    page.goto(live_server.url + "/statistik/")
    assert "CC BY 4.0" in page.content()
    assert page.locator("table").count() >= 4
    assert_accessible(page)


def test_dashboard_fits_a_360px_screen(page_in, live_server, minister, complaints):
    page = _signed_in_page(page_in, live_server, minister, "id")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/dashboard/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
