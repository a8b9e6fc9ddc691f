"""One search over guides, FAQ and checklists that forgives typos, the same on SQLite and
PostgreSQL: the starter content, searched as a worker types."""

import re

import pytest
import time_machine
from django.urls import reverse

from education.content.loader import load_starter_content
from education.models import SearchMiss
from education.search import content_search

pytestmark = pytest.mark.django_db

SEARCH = reverse("education:search")
FAQ_PASSPORT = "Bolehkah majikan atau agen menyimpan paspor saya?"


@pytest.fixture
def starter(reference_data):
    load_starter_content()


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def test_pasprot_finds_the_passport_faq_and_the_documents_guide(starter):
    # when
    result = content_search(query="pasprot", language="id")
    # then
    titles = [hit.title for hit in result.hits]
    assert result.corrected == "paspor"
    assert FAQ_PASSPORT in titles
    assert "Dokumen wajib sebelum berangkat" in titles


def test_title_matches_come_first(starter):
    # when
    hits = content_search(query="paspor", language="id").hits
    # then: every hit with "paspor" in its title ranks above every hit without
    in_title = ["paspor" in _words(hit.title) for hit in hits]
    assert any(in_title)
    assert in_title == sorted(in_title, reverse=True)


def test_faq_and_checklists_are_searched_too(starter):
    kinds = {hit.kind for hit in content_search(query="paspor", language="id").hits}
    assert {"guide", "faq", "checklist"} <= kinds


def test_english_search_forgives_too(starter):
    result = content_search(query="pasport", language="en")
    assert result.corrected == "passport"
    assert any("passport" in _words(hit.title) for hit in result.hits)


def test_search_page_says_what_it_searched_and_links_the_faq_answer(client, starter):
    # when
    html = client.get(SEARCH, {"q": "pasprot"}).content.decode()
    # then
    assert 'id="search-corrected"' in html
    assert "paspor" in html
    assert FAQ_PASSPORT in html
    assert re.search(r'href="/panduan/tanya-jawab/\?buka=\d+#faq-\d+"', html)


@time_machine.travel("2026-11-20 10:00:00+07:00", tick=False)
def test_a_corrected_or_empty_search_is_counted_per_term_and_day_only(client, starter):
    # when
    client.get(SEARCH, {"q": "pasprot"})
    client.get(SEARCH, {"q": "pasprot"})
    client.get(SEARCH, {"q": "xyzzyq"})
    client.get(SEARCH, {"q": "paspor"})
    # then
    rows = {(row.term, str(row.day)): row.count for row in SearchMiss.objects.all()}
    assert rows == {("pasprot", "2026-11-20"): 2, ("xyzzyq", "2026-11-20"): 1}
    fields = {field.name for field in SearchMiss._meta.get_fields()}
    assert fields <= {"id", "term", "language", "day", "count"}


# "Did you mean" beside results: the typed word is not a word of the published corpus, but it
# still found something (as the start of a longer word), and a close word exists.
NEAR_MISSES = [
    ("id", "paspo", "paspor"),
    ("id", "kontra", "kontrak"),
    ("en", "passpo", "passport"),
    ("en", "contrac", "contract"),
]
KNOWN_WORDS = [("id", "paspor"), ("id", "gaji"), ("en", "passport"), ("en", "visa")]


def _corpus_words(language: str) -> set[str]:
    """The oracle: every word of the published guides, FAQ answers and checklists."""
    from education.models import Article, Checklist, ChecklistItem, FaqEntry

    texts: list[str] = []
    published = {"language": language, "status": "published"}
    for row in Article.objects.filter(**published).values_list("title", "summary", "body_markdown"):
        texts.extend(row)
    for row in FaqEntry.objects.filter(**published).values_list("question", "answer_markdown"):
        texts.extend(row)
    for row in Checklist.objects.filter(**published).values_list("title", "intro"):
        texts.extend(row)
    items = ChecklistItem.objects.filter(
        checklist__language=language, checklist__status="published"
    ).values_list("text", "hint")
    for row in items:
        texts.extend(row)
    return _words(" ".join(texts))


@pytest.mark.parametrize(("language", "typed", "near"), NEAR_MISSES)
def test_a_near_miss_that_found_results_still_gets_a_did_you_mean(starter, language, typed, near):
    # given: the typed word is not a word of the corpus, the suggested one is
    words = _corpus_words(language)
    assert typed not in words
    assert near in words
    # when
    result = content_search(query=typed, language=language)
    # then: the results of what was typed, and the near word offered beside them
    assert result.hits
    assert result.corrected is None
    assert result.suggestion == near


@pytest.mark.parametrize(("language", "typed"), KNOWN_WORDS)
def test_a_word_of_the_corpus_gets_no_suggestion(starter, language, typed):
    assert typed in _corpus_words(language)
    result = content_search(query=typed, language=language)
    assert result.hits
    assert (result.corrected, result.suggestion) == (None, None)


@pytest.mark.parametrize(
    ("language", "typed", "near", "asks"),
    [("id", "paspo", "paspor", "Maksud Anda:"), ("en", "passpo", "passport", "Did you mean:")],
)
def test_search_page_offers_the_near_word_above_the_results(
    client, starter, language, typed, near, asks
):
    # when
    response = client.get(SEARCH, {"q": typed}, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    # then: a link to the near word's search, and the typed word's results below it
    suggestion = re.search(r'<p id="search-suggestion">(.*?)</p>', html, re.S)
    assert suggestion, html[:2000]
    assert f'href="{SEARCH}?q={near}"' in suggestion.group(1)
    assert asks in suggestion.group(1)
    assert 'id="search-corrected"' not in html
    assert '<ol class="search-results' in html
