"""The case page on an office laptop (1366 x 768): the action panel is on screen without
scrolling, however long the case's timeline (issue 14, item 6)."""

import os

import pytest
from django.urls import reverse

from complaints.models import ComplaintEvent
from portal.choices import Role
from tests.complaints.triage_support import TRIAGE_DEFAULTS, category_ensure
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture
def officer(reference_data, make_staff):
    return make_staff("bp3mi-jatim", Role.OFFICER, username="petugas-layar")


@pytest.fixture
def long_case(offices, officer):
    from tests.complaints.factories import ComplaintFactory

    # A case held by the post below the officer's BP3MI, with a timeline longer than a screen.
    case = ComplaintFactory(
        office=offices["p4mi-tulungagung"], category=category_ensure(), **TRIAGE_DEFAULTS
    )
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(
                complaint=case, kind="internal_note", actor=officer, body=f"Catatan nomor {i}."
            )
            for i in range(25)
        ]
    )
    return case


def _sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")


@pytest.mark.parametrize("language", ["id", "en"])
def test_action_panel_is_on_screen_at_1366_without_scrolling(
    page_in, live_server, officer, long_case, language
):
    # given
    page = page_in(language, viewport=VIEWPORT)
    _sign_in(page, live_server, officer)
    # when
    page.goto(live_server.url + reverse("admin:complaints_complaint_change", args=[long_case.pk]))
    # then: the panel and its first action (assign) start inside the first screen
    assert page.evaluate("window.scrollY") == 0
    panel = page.locator("#triage-actions").bounding_box()
    assign = page.locator("#triage-assign").bounding_box()
    assert panel is not None
    assert assign is not None
    assert 0 <= panel["y"] < VIEWPORT["height"]
    assert panel["x"] + panel["width"] <= VIEWPORT["width"]
    assert assign["y"] + 60 < VIEWPORT["height"]  # its heading and select, not just a border
    assert page.locator("#triage-assign select[name=assignee]").is_visible()
    # and the page does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    # For a look by eye: CASE_PAGE_SCREENSHOT=/tmp/case.png writes the first screen and the page.
    if os.environ.get("CASE_PAGE_SCREENSHOT"):
        path = os.environ["CASE_PAGE_SCREENSHOT"].removesuffix(".png")
        page.screenshot(path=f"{path}-{language}.png")
        page.screenshot(path=f"{path}-{language}-full.png", full_page=True)
