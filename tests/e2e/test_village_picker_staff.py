"""Staff choose a village by name in Chromium, as workers do on the public form: the staff
intake page (with scripts: the search box; without: the steps) and the village admin."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from complaints.models import Complaint
from desa_migran.models import Village
from portal.choices import Role
from tests.complaints.triage_support import category_ensure
from tests.e2e.region_steps import choose_village_by_name, choose_village_step_by_step
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BABADAN_NGAJUM = "35.07.20.2007"
BABADAN_NGAJUM_LABEL = "Babadan, Ngajum, Kabupaten Malang"
INTAKE = "/staf/pengaduan/baru/"


def _sign_in(page, live_server, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


@pytest.fixture
def officer(reference_data, make_staff):
    category_ensure()  # the taxonomy's data migration does not survive a transactional flush
    return make_staff("bp3mi-jatim", Role.OFFICER, username="petugas-desa-e2e")


@pytest.mark.parametrize("javascript", [True, False], ids=["scripts-on", "scripts-off"])
def test_officer_records_a_walk_in_from_babadan_chosen_by_name(
    page_in, live_server, officer, assert_accessible, javascript
):
    # given
    page = page_in("id", java_script_enabled=javascript)
    _sign_in(page, live_server, officer.username, INTAKE)
    page.select_option("#id_channel", "walk_in")
    page.select_option("#id_category", "gaji-tidak-dibayar")
    page.fill("#id_description", "Datang ke kantor: gaji tidak dibayar tiga bulan.")
    page.select_option("#id_destination_country", "MY")
    # when: the village by its name (scripts) or step by step (no scripts)
    if javascript:
        expect(page.locator("#id_origin_province")).to_be_hidden()
        choose_village_by_name(page, typed="babadan", label=BABADAN_NGAJUM_LABEL)
        assert BABADAN_NGAJUM_LABEL in page.locator(".village-chosen").inner_text()
        assert_accessible(page)
    else:
        choose_village_step_by_step(page, code=BABADAN_NGAJUM)
        expect(page.locator("#id_description")).to_have_value(
            "Datang ke kantor: gaji tidak dibayar tiga bulan."
        )
    page.fill("#id_reporter_name", "Siti Aminah")
    page.check("#id_consent")
    page.click("input[name=submit]")
    # then
    expect(page.locator("#receipt-reference")).to_be_visible()
    assert Complaint.objects.get().origin_region_id == BABADAN_NGAJUM


def test_village_admin_finds_babadan_by_name_and_saves_its_code(
    page_in, live_server, reference_data
):
    # given
    get_user_model().objects.create_superuser("admin-desa-e2e", password=TEST_PASSWORD)
    page = page_in("id")
    _sign_in(page, live_server, "admin-desa-e2e", "/admin/desa_migran/village/add/")
    # when: typed, picked among the namesakes, saved
    expect(page.locator("#id_province_choice")).to_be_hidden()
    page.fill("#village-search-input", "babadan")
    page.wait_for_selector(".village-results button")
    entries = page.locator(".village-results button").all_inner_texts()
    assert sum(entry.startswith("Babadan, ") for entry in entries) >= 17
    choose_village_by_name(page, typed="babadan", label=BABADAN_NGAJUM_LABEL)
    assert page.eval_on_selector("#id_region", "e => e.value") == BABADAN_NGAJUM
    page.fill("#id_profile", "Desa asal pekerja migran di Ngajum.")
    page.click("input[name=_save]")
    # then
    expect(page).to_have_url(re.compile(r"/admin/desa_migran/village/$"))
    assert Village.objects.get().region_id == BABADAN_NGAJUM


def test_village_admin_search_can_give_way_to_the_steps(page_in, live_server, reference_data):
    # given
    get_user_model().objects.create_superuser("admin-steps-e2e", password=TEST_PASSWORD)
    page = page_in("id")
    _sign_in(page, live_server, "admin-steps-e2e", "/admin/desa_migran/village/add/")
    # when: "choose step by step instead"
    page.locator(".village-search button.btn-link").click()
    # then: the four selects and the step button are shown
    for select in ("#id_province_choice", "#id_regency_choice", "#id_district_choice"):
        expect(page.locator(select)).to_be_visible()
    expect(page.locator("#region-step")).to_be_visible()
    expect(page.locator("#village-search-input")).to_be_hidden()
