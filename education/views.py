"""Public pages of the safe-migration guides. Only published content is shown (selectors)."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django_countries import countries

from education import selectors, services
from education.choices import ContentStatus, LifeStage
from education.models import Topic
from education.sanitize import headings_of
from education.search import content_search
from portal.countries import country_name, country_sorted
from portal.help_contacts.selectors import help_contacts_for_page

# Bumped when the service worker's caching logic changes.
SERVICE_WORKER_VERSION = "1"
# Static files every cached guide needs to render offline.
SERVICE_WORKER_SHELL = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "portal/css/portal.css",
    "education/css/education.css",
    "education/js/education.js",
)


def _in_reader_language(translation, original) -> bool:
    return (
        translation is not None
        and original.language != _language()
        and translation.language == _language()
    )


def _only_in(content_language: str) -> str:
    """The content's language when the reader asked for the other one (no translation)."""
    return content_language if content_language != _language() else ""


def _language() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    language = _language()
    articles = selectors.article_list_published(language=language)
    stages = [
        (stage, [article for article in articles if article.stage == stage.value])
        for stage in LifeStage
    ]
    return render(
        request,
        "education/topic_list.html",
        {
            "topics": selectors.topic_list_with_counts(language=language),
            "stages": [(stage, items) for stage, items in stages if items],
            "checklists": selectors.checklist_list_published(language=language),
            "countries": country_sorted(
                selectors.country_list_with_guides(language=language), language=language
            ),
        },
    )


@require_GET
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic_obj = get_object_or_404(Topic, slug=slug)
    language = _language()
    articles = list(selectors.article_list_published(language=language, topic_slug=slug))
    only_in = ""
    if not articles:
        # No guide of this topic in the reader's language: say so and show the other one's.
        other = "en" if language == "id" else "id"
        articles = list(selectors.article_list_published(language=other, topic_slug=slug))
        only_in = other
    if not articles:
        raise Http404
    return render(
        request,
        "education/topic_detail.html",
        {"topic": topic_obj, "articles": articles, "only_in": only_in},
    )


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    article_obj = selectors.article_get_public(slug=slug)
    if article_obj is None:
        raise Http404
    if article_obj.status == ContentStatus.ARCHIVED:
        replacement = article_obj.replaced_by
        if replacement is not None and replacement.status != ContentStatus.PUBLISHED:
            replacement = None
        return render(
            request,
            "education/article_gone.html",
            {"article": article_obj, "replacement": replacement},
            status=410,
        )
    translation = selectors.article_translation(article=article_obj)
    if _in_reader_language(translation, article_obj):
        # The language switch keeps the path: lead to the translation instead.
        return redirect(translation.get_absolute_url())
    services.article_view_record(article_id=article_obj.pk)
    return render(
        request,
        "education/article_detail.html",
        {
            "article": article_obj,
            "body_html": article_obj.body_html,
            "headings": headings_of(article_obj.body_html),
            "related": selectors.article_list_related(article=article_obj),
            "translation": translation,
            "only_in": _only_in(article_obj.language),
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    language = _language()
    result = content_search(query=query, language=language)
    if query and (not result.hits or result.corrected):
        # A corrected search still tells editors which words readers use but guides lack.
        # Counted per term and day only: nothing about the reader is kept.
        services.search_miss_record(term=query, language=language)
    return render(
        request,
        "education/article_search.html",
        {
            "query": query,
            "results": result.hits,
            "corrected": result.corrected,
            "suggestion": result.suggestion,
        },
    )


@require_GET
def country(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    name = country_name(code) if code in countries else ""
    if not name:
        raise Http404
    language = _language()
    articles = list(selectors.article_list_published(language=language, country_code=code))
    faq = list(selectors.faq_list_published(language=language, country_code=code))
    if not articles and not faq:
        raise Http404
    return render(
        request,
        "education/country_detail.html",
        {
            "country_code": code,
            "country_name": name,
            "articles": articles,
            "faq": faq,
            "help_contacts": help_contacts_for_page(country=code),
        },
    )


@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "education/faq_list.html",
        {
            "entries": selectors.faq_list_published(language=_language()),
            # A search result opens its answer (?buka=<id>#faq-<id>).
            "open_entry": request.GET.get("buka", "")[:12],
        },
    )


@require_GET
def checklist(request: HttpRequest, slug: str) -> HttpResponse:
    checklist_obj = selectors.checklist_get_published(slug=slug)
    if checklist_obj is None:
        raise Http404
    translation = selectors.checklist_translation(checklist=checklist_obj)
    if _in_reader_language(translation, checklist_obj):
        return redirect(translation.get_absolute_url())
    return render(
        request,
        "education/checklist_detail.html",
        {
            "checklist": checklist_obj,
            "items": checklist_obj.items.all(),
            "translation": translation,
            "only_in": _only_in(checklist_obj.language),
        },
    )


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "education/offline.html")


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script; served from /panduan/ so its scope covers the guides only."""
    # The cache name follows the shell's static URLs (hashed in production), so a deployment
    # with new CSS or JS starts a fresh cache and the old one is deleted on activation.
    shell = "|".join(static(path) for path in SERVICE_WORKER_SHELL)
    digest = hashlib.sha256(shell.encode()).hexdigest()[:12]
    return render(
        request,
        "education/sw.js",
        {"version": f"{SERVICE_WORKER_VERSION}-{digest}", "shell": SERVICE_WORKER_SHELL},
        content_type="application/javascript; charset=utf-8",
    )


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def guide_image(request: HttpRequest, slug: str, width: int) -> HttpResponse:
    """A guide illustration in the requested phone width (WebP, stored by images.py)."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    from education.images import guide_image_variant_path

    path = guide_image_variant_path(slug=slug, width=width)
    if path is None or not default_storage.exists(path):
        raise Http404
    return FileResponse(default_storage.open(path, "rb"), content_type="image/webp")
