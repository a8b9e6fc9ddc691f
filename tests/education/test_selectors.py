import pytest

from education.choices import ContentStatus
from education.selectors import article_list_for_context, article_search_with_correction
from education.services import article_search_index_refresh
from tests.education.factories import ArticleFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_starter_content")]


@pytest.fixture
def topic():
    return TopicFactory(slug="konteks")


def test_context_guides_rank_category_and_country_first(topic):
    # given guides tagged with categories and countries
    wages_my = ArticleFactory(
        topic=topic, title="Z gaji Malaysia", country="MY", related_category_slugs="unpaid-wages"
    )
    wages_general = ArticleFactory(
        topic=topic, title="A gaji umum", related_category_slugs="excessive-fees,unpaid-wages"
    )
    ArticleFactory(
        topic=topic, title="B gaji Taiwan", country="TW", related_category_slugs="unpaid-wages"
    )
    my_other = ArticleFactory(topic=topic, title="C Malaysia lain", country="MY")
    ArticleFactory(
        topic=topic,
        title="D draf",
        country="MY",
        related_category_slugs="unpaid-wages",
        status=ContentStatus.DRAFT,
    )
    ArticleFactory(
        topic=topic,
        title="E English",
        country="MY",
        related_category_slugs="unpaid-wages",
        language="en",
    )
    # when the complaint form asks for "unpaid wages" in Malaysia, in Indonesian
    found = article_list_for_context(category_slug="unpaid-wages", country_code="my", language="id")
    # then the Malaysian wage guide comes first, then the general one, then Malaysia
    assert found == [wages_my, wages_general, my_other]


def test_context_guides_match_whole_slugs_only(topic):
    ArticleFactory(topic=topic, related_category_slugs="death-benefit")
    assert article_list_for_context(category_slug="death", country_code=None, language="id") == []


def test_context_guides_without_category_or_country_is_empty(topic):
    ArticleFactory(topic=topic)
    assert article_list_for_context(category_slug=None, country_code=None, language="en") == []


@pytest.fixture
def indexed(postgres, topic):
    guides = {
        "wages": ArticleFactory(
            topic=topic,
            slug="gaji",
            title="Menagih upah yang tertunda",
            body_markdown="Bila gaji Anda tidak dibayar, catat bulan yang tertunda.",
        ),
        "passport": ArticleFactory(
            topic=topic,
            slug="paspor",
            title="Menjaga dokumen perjalanan",
            body_markdown="Paspor adalah milik Anda sendiri.",
        ),
        "english": ArticleFactory(
            topic=topic,
            slug="english-wages",
            language="en",
            title="Claiming unpaid wages",
            body_markdown="When your employer does not pay your salary.",
        ),
    }
    article_search_index_refresh()
    return guides


def test_indonesian_search_stems_words(indexed):
    # "gajinya" (his/her wages) finds the guide that says "gaji"
    found, corrected = article_search_with_correction(query="gajinya", language="id")
    assert indexed["wages"] in found
    assert corrected is None


def test_english_search_uses_english_stemming(indexed):
    found, _corrected = article_search_with_correction(query="paying wage", language="en")
    assert found == [indexed["english"]]


def test_typo_still_finds_the_guide(indexed):
    found, corrected = article_search_with_correction(query="pasprot", language="id")
    assert indexed["passport"] in found
    assert corrected == "paspor"


def test_typo_in_a_title_word_finds_the_guide(indexed):
    found, _corrected = article_search_with_correction(query="dokumenn", language="id")
    assert indexed["passport"] in found


def test_search_ignores_unpublished(indexed):
    indexed["passport"].status = ContentStatus.REVIEW
    indexed["passport"].save(update_fields=["status"])
    found, _corrected = article_search_with_correction(query="paspor", language="id")
    assert indexed["passport"] not in found


def test_search_needs_every_word(topic):
    # given
    both = ArticleFactory(topic=topic, title="Gaji dan paspor")
    ArticleFactory(topic=topic, title="Hanya gaji")
    ArticleFactory(topic=topic, title="Gaji draf paspor", status=ContentStatus.DRAFT)
    # when searching two words
    found, corrected = article_search_with_correction(query="GAJI paspor", language="id")
    # then only the published guide with both words is found, without correction
    assert found == [both]
    assert corrected is None
