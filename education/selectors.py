"""Reads of the education app. Only published content ever leaves these functions for the public."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from education.choices import SEARCH_CONFIGS, ContentStatus
from education.models import (
    Article,
    ArticleViewDay,
    Checklist,
    ChecklistItem,
    FaqEntry,
    SearchMiss,
    Topic,
)

PUBLISHED = ContentStatus.PUBLISHED
# Word similarity (pg_trgm `<%`) above which a title word counts as a typo of the query word:
# "pasprot" ~ "paspor" is 0.5, unrelated words stay under 0.3.
TITLE_TYPO_THRESHOLD = 0.45
SEARCH_LIMIT = 30


def _language(language: str) -> str:
    return "en" if (language or "id").startswith("en") else "id"


def article_list_published(
    *,
    language: str | None = None,
    topic_slug: str | None = None,
    stage: str | None = None,
    country_code: str | None = None,
) -> QuerySet[Article]:
    articles = Article.objects.filter(status=PUBLISHED).select_related("topic")
    if language:
        articles = articles.filter(language=_language(language))
    if topic_slug:
        articles = articles.filter(topic__slug=topic_slug)
    if stage:
        articles = articles.filter(stage=stage)
    if country_code:
        articles = articles.filter(country=country_code.upper())
    return articles.order_by("topic__position", "title")


def article_get_public(*, slug: str) -> Article | None:
    """A published or archived guide (archived ones answer 410 with their replacement)."""
    return (
        Article.objects.filter(
            slug=slug, status__in=[ContentStatus.PUBLISHED, ContentStatus.ARCHIVED]
        )
        .select_related("topic", "replaced_by", "translation_of", "reviewed_by")
        .first()
    )


def article_translation(*, article: Article) -> Article | None:
    """The published version of the same guide in the other language, if any."""
    if article.translation_of_id:
        original = article.translation_of
        return original if original and original.status == PUBLISHED else None
    return article.translations.filter(status=PUBLISHED).first()


def article_list_related(*, article: Article, limit: int = 3) -> list[Article]:
    """Same language, same topic first, then the same destination country."""
    candidates = Article.objects.filter(status=PUBLISHED, language=article.language).exclude(
        pk=article.pk
    )
    query = Q(topic_id=article.topic_id)
    if article.country:
        query |= Q(country=article.country)
    return list(candidates.filter(query).order_by("-country", "title")[:limit])


def topic_list_with_counts(*, language: str) -> list[Topic]:
    published = Q(articles__status=PUBLISHED, articles__language=_language(language))
    return list(
        Topic.objects.annotate(article_count=Count("articles", filter=published))
        .filter(article_count__gt=0)
        .order_by("position", "slug")
    )


def country_list_with_guides(*, language: str) -> list[str]:
    return sorted(
        set(
            Article.objects.filter(status=PUBLISHED, language=_language(language))
            .exclude(country="")
            .values_list("country", flat=True)
        )
    )


def article_search(*, query: str, language: str, limit: int = SEARCH_LIMIT) -> list[Article]:
    return article_search_with_correction(query=query, language=language, limit=limit)[0]


def article_search_with_correction(
    *, query: str, language: str, limit: int = SEARCH_LIMIT
) -> tuple[list[Article], str | None]:
    """Published guides matching `query`, best first, and the corrected query if one was used.

    PostgreSQL: full-text in the reader's language ('indonesian' stems "gajinya" to "gaji"),
    ranked, plus trigram word similarity on titles. When that finds nothing, each word is
    replaced by the closest word of the published guides (pg_trgm), so "pasprot" finds "paspor".
    SQLite: every word must appear somewhere (icontains), no ranking, no correction.
    """
    # NUL cannot reach PostgreSQL (it refuses it in text); whitespace is normalised.
    query = " ".join((query or "").replace("\x00", " ").split())[:200]
    if not query:
        return [], None
    language = _language(language)
    base = Article.objects.filter(status=PUBLISHED, language=language).select_related("topic")
    if connection.vendor != "postgresql":
        for word in query.split():
            base = base.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(body_markdown__icontains=word)
            )
        return list(base.order_by("title")[:limit]), None
    found = _postgres_search(base, query, language, limit)
    if found:
        return found, None
    corrected = _corrected_query(query, language)
    if corrected is None:
        return [], None
    return _postgres_search(base, corrected, language, limit), corrected


def _postgres_search(base: QuerySet[Article], query: str, language: str, limit: int):
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
    from django.db.models.functions import Greatest

    search_query = SearchQuery(query, config=SEARCH_CONFIGS[language], search_type="websearch")
    return list(
        base.annotate(
            rank=SearchRank("search_vector", search_query),
            typo=TrigramWordSimilarity(query, "title"),
        )
        .filter(Q(search_vector=search_query) | Q(typo__gte=TITLE_TYPO_THRESHOLD))
        .annotate(score=Greatest("rank", "typo"))
        .order_by("-score", "title")[:limit]
    )


# Below this pg_trgm similarity a word is not taken as a typo of a guide's word.
TYPO_SIMILARITY = 0.3
# Words this short have too few trigrams to correct reliably.
TYPO_MIN_LENGTH = 4


# The words of the published guides of one language, unstemmed ('simple'), for ts_stat().
_VOCABULARY_SQL = {
    language: (
        "SELECT to_tsvector('simple', title || ' ' || summary || ' ' || body_markdown) "
        "FROM education_article WHERE status = 'published' AND language = '" + language + "'"
    )
    for language in ("id", "en")
}


def _corrected_query(query: str, language: str) -> str | None:
    """Replace each word by the most similar word of the published guides, if one is close."""
    vocabulary = _VOCABULARY_SQL[language]
    words, changed = [], False
    with connection.cursor() as cursor:
        for word in query.lower().split()[:6]:
            if len(word) < TYPO_MIN_LENGTH:
                words.append(word)
                continue
            cursor.execute(
                "SELECT word FROM ts_stat(%s) WHERE similarity(word, %s) >= %s "
                "ORDER BY similarity(word, %s) DESC, nentry DESC LIMIT 1",
                [vocabulary, word, TYPO_SIMILARITY, word],
            )
            row = cursor.fetchone()
            if row and row[0] != word:
                words.append(row[0])
                changed = True
            else:
                words.append(word)
    return " ".join(words) if changed else None


def article_list_for_context(
    *,
    category_slug: str | None,
    country_code: str | None,
    language: str,
    limit: int = 3,
) -> list[Article]:
    """Guides to offer next to a complaint ("just-in-time help").

    Ranked: guides tagged with the category AND for the destination country first, then the
    category's general guides, then guides for the country. Other apps call this with their
    category slug (e.g. "unpaid-wages") and ISO country code.
    """
    language = _language(language)
    country = (country_code or "").upper()
    base = Article.objects.filter(status=PUBLISHED, language=language).select_related("topic")
    chosen: list[Article] = []

    def take(queryset: QuerySet[Article]) -> None:
        for article in queryset.exclude(pk__in=[a.pk for a in chosen]).order_by("title")[:limit]:
            if len(chosen) < limit:
                chosen.append(article)

    if category_slug:
        slug = category_slug.strip().lower()
        tagged = base.filter(
            Q(related_category_slugs=slug)
            | Q(related_category_slugs__startswith=f"{slug},")
            | Q(related_category_slugs__endswith=f",{slug}")
            | Q(related_category_slugs__contains=f",{slug},")
        )
        if country:
            take(tagged.filter(country=country))
        take(tagged.filter(country=""))
    if country:
        take(base.filter(country=country))
    return chosen


def faq_list_published(*, language: str, country_code: str | None = None) -> QuerySet[FaqEntry]:
    entries = FaqEntry.objects.filter(status=PUBLISHED, language=_language(language))
    if country_code:
        entries = entries.filter(country=country_code.upper())
    return entries.select_related("topic").order_by("position", "id")


def checklist_list_published(*, language: str) -> QuerySet[Checklist]:
    return Checklist.objects.filter(status=PUBLISHED, language=_language(language)).order_by(
        "title"
    )


def checklist_get_published(*, slug: str) -> Checklist | None:
    return (
        Checklist.objects.filter(slug=slug, status=PUBLISHED)
        .prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.order_by("position")))
        .first()
    )


def checklist_translation(*, checklist: Checklist) -> Checklist | None:
    if checklist.translation_of_id:
        original = checklist.translation_of
        return original if original and original.status == PUBLISHED else None
    return checklist.translations.filter(status=PUBLISHED).first()


def article_list_most_read(*, days: int = 30, limit: int = 20) -> list[dict]:
    since = timezone.localdate() - timedelta(days=days)
    return list(
        ArticleViewDay.objects.filter(day__gte=since)
        .values("article_id", "article__title", "article__language")
        .annotate(total=Sum("views"))
        .order_by("-total")[:limit]
    )


def search_miss_top(*, days: int = 30, limit: int = 20) -> list[dict]:
    since = timezone.localdate() - timedelta(days=days)
    return list(
        SearchMiss.objects.filter(day__gte=since)
        .values("term", "language")
        .annotate(total=Sum("count"))
        .order_by("-total", "term")[:limit]
    )
