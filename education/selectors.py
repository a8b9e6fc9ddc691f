"""Reads of the education app. Only published content ever leaves these functions for the public."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from education.choices import ContentStatus
from education.models import (
    Article,
    ArticleViewDay,
    Checklist,
    ChecklistItem,
    FaqEntry,
    SearchMiss,
    Topic,
)
from education.search import content_search
from portal.reference_cache import reference_cached

PUBLISHED = ContentStatus.PUBLISHED
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
    """Published guides matching `query`, best first, and the corrected query if one was used:
    the guides among `content_search`'s results (education/search.py), the same on every
    database."""
    result = content_search(query=query, language=language, limit=limit * 3)
    guides = [hit.item for hit in result.hits if hit.kind == "guide"][:limit]
    return guides, result.corrected


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
    slug = (category_slug or "").strip().lower()
    # Read on every complaint receipt, edited rarely: the reference cache, dropped on every
    # article save or delete (education.apps).
    return reference_cached(
        ("education.articles_for_context", slug, country, language, limit),
        lambda: _article_list_for_context(slug, country, language, limit),
    )


def _article_list_for_context(slug: str, country: str, language: str, limit: int) -> list:
    base = Article.objects.filter(status=PUBLISHED, language=language).select_related("topic")
    chosen: list[Article] = []

    def take(queryset: QuerySet[Article]) -> None:
        for article in queryset.exclude(pk__in=[a.pk for a in chosen]).order_by("title")[:limit]:
            if len(chosen) < limit:
                chosen.append(article)

    if slug:
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
