"""Desa Migran Emas in Chromium: filter the directory to a province, open a village, read its
indicators; no axe-core violations in either language; usable without JavaScript."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from desa_migran.choices import VillageStatus
from tests.desa_migran.factories import VillageFactory, VillageIndicatorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def villages(reference_data):
    tulungagung = VillageFactory(
        within="35.04",
        designated_on=datetime.date(2025, 9, 1),
        status=VillageStatus.DESA_MIGRAN_EMAS,
    )
    VillageIndicatorFactory(village=tulungagung, year=2024, workers_abroad=120)
    VillageIndicatorFactory(village=tulungagung, year=2025, workers_abroad=1234)
    indramayu = VillageFactory(within="32.12", status=VillageStatus.ASSESSED)
    return {"tulungagung": tulungagung, "indramayu": indramayu}


@pytest.mark.parametrize(
    ("language", "filter_label", "button", "workers_label"),
    [
        ("id", "Provinsi", "Tampilkan desa", "Pekerja di luar negeri"),
        ("en", "Province", "Show villages", "Workers abroad"),
    ],
)
def test_filter_directory_open_village_read_indicators(
    page_in,
    live_server,
    assert_accessible,
    villages,
    language,
    filter_label,
    button,
    workers_label,
):
    # given
    page = page_in(language)
    page.goto(live_server.url + "/desa-migran/")
    assert_accessible(page)
    # when: filter to Jawa Timur
    page.get_by_label(filter_label, exact=True).select_option("35")
    page.get_by_role("button", name=button).click()
    # then
    village = villages["tulungagung"]
    expect(page.get_by_role("link", name=village.region.name)).to_be_visible()
    assert page.get_by_role("link", name=villages["indramayu"].region.name).count() == 0
    # when: open the village
    page.get_by_role("link", name=village.region.name).click()
    # then: its latest figures are in a table
    table = page.locator("#latest-indicators")
    row = table.get_by_role("row").filter(has_text=workers_label)
    assert row.get_by_role("cell").inner_text().replace(".", "").replace(",", "") == "1234"
    assert_accessible(page)


def test_directory_filter_works_without_javascript(page_in, live_server, villages):
    # axe-core needs JavaScript, so accessibility is checked above; here only the flow.
    page = page_in("id", java_script_enabled=False)
    page.goto(live_server.url + "/desa-migran/")
    page.get_by_label("Provinsi", exact=True).select_option("32")
    page.get_by_role("button", name="Tampilkan desa").click()
    page.wait_for_url(re.compile(r"province=32"))
    page.get_by_role("link", name=villages["indramayu"].region.name).click()
    expect(page.get_by_text("Belum ada angka yang dilaporkan.")).to_be_visible()


@pytest.mark.parametrize("language", ["id", "en"])
def test_totals_and_best_practice_pages_are_accessible(
    page_in, live_server, assert_accessible, villages, language
):
    page = page_in(language)
    for path in ("/desa-migran/statistik/", "/desa-migran/praktik-baik/"):
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_directory_fits_a_360px_screen(page_in, live_server, villages):
    page = page_in("id", viewport={"width": 360, "height": 740})
    for path in ("/desa-migran/", villages["tulungagung"].get_absolute_url()):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
