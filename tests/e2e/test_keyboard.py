"""Keyboard only: the complaint form is completed with Tab, typing, Space and Enter, no
pointer at all, and reaches the receipt; then the tracking form, the same way."""

from __future__ import annotations

import re

import pytest

from complaints.models import Complaint
from tests.complaints.triage_support import category_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# More Tab presses than the page has focusable elements: a field never reached is a failure.
MAX_TABS = 250


@pytest.fixture
def intake_data(reference_data, settings):
    category_ensure()
    from django.core.cache import cache

    cache.clear()


def focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def tab_to(page, element_id: str) -> None:
    """Press Tab until the element has the focus, as a keyboard user moves through the page."""
    for _ in range(MAX_TABS):
        if focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} is not reachable with Tab")


def type_into(page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.type(text)


def choose(page, element_id: str, label: str, value: str) -> None:
    """A closed <select> with the focus picks the option whose label is typed."""
    tab_to(page, element_id)
    page.keyboard.type(label)
    assert page.eval_on_selector(f"#{element_id}", "e => e.value") == value


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_complaint_form_completed_with_the_keyboard_only(
    page_in, live_server, intake_data, javascript
):
    # given: the form, focus at the top of the page
    page = page_in("id", java_script_enabled=javascript)
    page.goto(live_server.url + "/pengaduan/lapor/")
    # when: every field is reached with Tab and filled by typing; choices by Space
    choose(page, "id_category", "Gaji tidak dibayar", "gaji-tidak-dibayar")
    type_into(page, "id_description", "Gaji saya tidak dibayar selama tiga bulan oleh majikan.")
    choose(page, "id_destination_country", "Malaysia", "MY")
    type_into(page, "id_destination_city", "Johor Bahru")
    if javascript:
        # one search box: type the name, Tab to the village in the list, Enter
        type_into(page, "village-search-input", "babadan")
        page.wait_for_selector(".village-results button")
        for _ in range(MAX_TABS):
            page.keyboard.press("Tab")
            if "Ngajum" in page.evaluate("document.activeElement.textContent"):
                break
        page.keyboard.press("Enter")
    else:
        # step by step: the province, Enter on "Show the list", the regency, again, ...
        choose(page, "id_origin_province", "Jawa Timur", "35")
        for element_id, label, value in (
            ("id_origin_region", "Kabupaten Malang", "35.07"),
            ("id_origin_district", "Ngajum", "35.07.20"),
            ("id_origin_village", "Babadan", "35.07.20.2007"),
        ):
            tab_to(page, "region-step")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            choose(page, element_id, label, value)
    type_into(page, "id_reporter_name", "Siti Aminah")
    type_into(page, "id_phone", "081234567890")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    assert page.is_checked("#id_consent")
    tab_to(page, "submit-id-submit")
    page.keyboard.press("Enter")
    # then: the receipt, and the complaint stored as typed
    page.wait_for_selector("#receipt-reference")
    reference = page.locator("#receipt-reference").inner_text()
    key = page.locator("#receipt-key").inner_text()
    assert re.fullmatch(r"PMI-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.category.slug == "gaji-tidak-dibayar"
    assert complaint.destination_country == "MY"
    assert complaint.origin_region_id == "35.07.20.2007"
    # when: tracking, also by keyboard
    page.goto(live_server.url + "/pengaduan/lacak/")
    type_into(page, "id_reference", reference)
    type_into(page, "id_access_key", key)
    tab_to(page, "submit-id-track")
    page.keyboard.press("Enter")
    # then
    page.wait_for_selector("#complaint-status")
    assert page.locator("#complaint-status").inner_text() == "Diterima"
