import time

import pytest

from education.services import article_search_index_refresh
from tests.education.factories import (
    ArticleFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guides(reference_data):
    topic = TopicFactory(slug="jalur-resmi", name_id="Jalur resmi", name_en="The legal route")
    guide_id = ArticleFactory(
        topic=topic,
        slug="jalur-resmi-bekerja",
        title="Jalur resmi bekerja ke luar negeri",
        body_markdown=(
            "## Syarat\n\nBerusia 18 tahun.\n\n## Langkah\n\nDaftar di LTSA.\n\n"
            "## Bantuan\n\n0800-1000"
        ),
    )
    guide_en = ArticleFactory(
        topic=topic,
        slug="legal-route",
        language="en",
        translation_of=guide_id,
        title="The legal route to work abroad",
        body_markdown="## Requirements\n\nAt least 18.\n\n## Steps\n\nRegister at the LTSA.",
    )
    other = ArticleFactory(topic=topic, slug="panduan-lain", title="Panduan lain")
    checklist = ChecklistFactory(slug="dokumen", title="Daftar dokumen")
    ChecklistItemFactory(checklist=checklist, key="paspor", text="Paspor")
    ChecklistItemFactory(checklist=checklist, key="visa", text="Visa kerja")
    article_search_index_refresh()
    return {"id": guide_id, "en": guide_en, "other": other, "checklist": checklist}


def _wait_until_cached(page, url: str, timeout_s: float = 20) -> None:
    """Poll until the service worker controls the page and holds `url` (evaluate awaits)."""
    deadline = time.monotonic() + timeout_s
    check = (
        "url => caches.match(url, {ignoreVary: true})"
        ".then(hit => !!hit && !!navigator.serviceWorker.controller)"
    )
    while not page.evaluate(check, url):
        assert time.monotonic() < deadline, f"{url} was not cached for offline reading"
        page.wait_for_timeout(200)


def test_visited_guide_is_readable_offline_and_unvisited_shows_fallback(
    page_in, live_server, guides
):
    # given a reader who opened a guide once
    page = page_in("id")
    url = live_server.url + guides["id"].get_absolute_url()
    page.goto(url)
    _wait_until_cached(page, url)
    # when the phone loses its connection and the reader reloads
    page.context.set_offline(True)
    page.reload()
    # then the guide is still there, from the cache
    assert "Jalur resmi bekerja ke luar negeri" in page.locator("h1").inner_text()
    # and a guide never opened shows the offline page instead of a browser error
    page.goto(live_server.url + guides["other"].get_absolute_url())
    assert "Anda sedang luring" in page.locator("h1").inner_text()
    page.context.set_offline(False)


def test_checklist_ticks_stay_after_reload(page_in, live_server, guides):
    page = page_in("id")
    page.goto(live_server.url + guides["checklist"].get_absolute_url())
    page.get_by_label("Paspor").check()
    page.reload()
    assert page.get_by_label("Paspor").is_checked()
    assert not page.get_by_label("Visa kerja").is_checked()


@pytest.mark.parametrize("language", ["id", "en"])
def test_guide_pages_are_accessible(page_in, live_server, assert_accessible, guides, language):
    page = page_in(language)
    guide = guides[language]
    for path in [
        "/panduan/",
        guide.topic.get_absolute_url(),
        guide.get_absolute_url(),
        "/panduan/cari/?q=" + ("jalur" if language == "id" else "route"),
        guides["checklist"].get_absolute_url(),
    ]:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_guide_page_fits_a_360px_screen(page_in, live_server, guides):
    page = page_in("id", viewport={"width": 360, "height": 740})
    page.goto(live_server.url + guides["id"].get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
