"""A worker files a complaint from a phone, reads the receipt, tracks it and adds a message:
with JavaScript off (Indonesian) and on (English); every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint
from tests.complaints.factories import categories_ensure
from tests.e2e.region_steps import choose_village_by_name, choose_village_step_by_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BABADAN_NGAJUM = "35.07.20.2007"
BABADAN_NGAJUM_LABEL = "Babadan, Ngajum, Kabupaten Malang"


@pytest.fixture
def intake_data(reference_data, settings):
    categories_ensure()
    from django.core.cache import cache

    cache.clear()


def fill_form(page, *, description: str) -> None:
    page.select_option("#id_category", "gaji-tidak-dibayar")
    page.check("#id_in_danger_1")  # "yes": in danger now
    page.fill("#id_description", description)
    page.select_option("#id_destination_country", "MY")
    page.fill("#id_destination_city", "Johor Bahru")
    if page.locator("#village-search-input").count():
        choose_village_by_name(page, typed="babadan", label=BABADAN_NGAJUM_LABEL)
    else:
        choose_village_step_by_step(page, code=BABADAN_NGAJUM)
    page.fill("#id_reporter_name", "Siti Aminah")
    page.fill("#id_phone", "0812 3456 7890")
    page.check("#id_consent")


def accessible_copy(assert_accessible, checker, live_server):
    """axe-core needs scripts; a page shown with JavaScript off is checked as a copy of its
    markup in a scripted page of the same origin (same CSS, same language)."""

    def _check(page) -> None:
        if checker is None:
            assert_accessible(page)
            return
        checker.goto(live_server.url + "/healthz")
        checker.set_content(page.content())
        assert_accessible(checker)

    return _check


def file_track_and_reply(page, live_server, assert_accessible, *, texts: dict) -> None:
    # the form
    page.goto(live_server.url + "/pengaduan/lapor/")
    assert texts["form_heading"] in page.locator("h1").inner_text()
    assert page.locator("#quick-exit").is_visible()
    assert_accessible(page)
    # a first try with an error keeps the typed values and says what is wrong
    fill_form(page, description="pendek")
    page.click("#submit-id-submit")
    # web-first assertions wait for the page the POST returns (a bare is_visible() does not)
    expect(page.locator("#id_description.is-invalid")).to_be_visible()
    assert page.locator("#id_destination_city").input_value() == "Johor Bahru"
    assert_accessible(page)
    # the corrected form gives the receipt
    page.fill("#id_description", "Gaji saya tidak dibayar selama tiga bulan dan paspor ditahan.")
    page.check("#id_consent")
    page.click("#submit-id-submit")
    expect(page.locator("#receipt-reference")).to_be_visible()
    reference = page.locator("#receipt-reference").inner_text()
    key = page.locator("#receipt-key").inner_text()
    assert re.fullmatch(r"PMI-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    assert len(key.replace("-", "")) == 20
    assert page.locator("#urgent-heading").is_visible()
    assert Complaint.objects.get(reference=reference).origin_region_id == BABADAN_NGAJUM
    assert_accessible(page)
    # tracking: reference and key typed in by hand
    page.goto(live_server.url + "/pengaduan/lacak/")
    assert_accessible(page)
    page.fill("#id_reference", reference.lower())
    page.fill("#id_access_key", key)
    page.click("#submit-id-track")
    expect(page.locator("#complaint-status")).to_have_text(texts["status"])
    assert_accessible(page)
    # a message from the reporter
    page.fill("#id_body", "Saya sekarang aman di rumah teman.")
    page.click("#submit-id-send")
    expect(page.get_by_text("Saya sekarang aman di rumah teman.")).to_be_visible()
    assert_accessible(page)


def test_file_track_and_message_without_javascript_in_indonesian(
    page_in, live_server, assert_accessible, intake_data
):
    page = page_in("id", java_script_enabled=False)
    checker = page_in("id")
    file_track_and_reply(
        page,
        live_server,
        accessible_copy(assert_accessible, checker, live_server),
        texts={"form_heading": "Laporkan masalah", "status": "Diterima"},
    )


def test_file_track_and_message_with_javascript_in_english(
    page_in, live_server, assert_accessible, intake_data
):
    page = page_in("en")
    file_track_and_reply(
        page,
        live_server,
        assert_accessible,
        texts={"form_heading": "Report a problem", "status": "Received"},
    )


def test_javascript_finds_babadan_among_its_namesakes_and_hides_contact_when_anonymous(
    page_in, live_server, intake_data
):
    # given
    page = page_in("id")
    page.goto(live_server.url + "/pengaduan/lapor/")
    # when
    page.fill("#village-search-input", "babadan")
    page.wait_for_selector(".village-results button")
    entries = page.locator(".village-results button").all_inner_texts()
    page.locator(".village-results button", has_text=BABADAN_NGAJUM_LABEL).click()
    page.check("#id_is_anonymous")
    # then: every Babadan shown with its district and regency, the four selects filled
    assert sum(entry.startswith("Babadan, ") for entry in entries) >= 17
    assert not page.locator("#id_origin_province").is_visible()
    assert page.eval_on_selector("#id_origin_village", "e => e.value") == BABADAN_NGAJUM
    assert page.eval_on_selector("#id_origin_district", "e => e.value") == "35.07.20"
    assert "Babadan, Ngajum, Kabupaten Malang" in page.locator(".village-chosen").inner_text()
    assert not page.locator("#id_reporter_name").is_visible()


def test_form_fits_a_360px_screen(page_in, live_server, intake_data):
    page = page_in("id", viewport={"width": 360, "height": 740})
    page.goto(live_server.url + "/pengaduan/lapor/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
