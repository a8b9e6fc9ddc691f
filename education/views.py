"""Public pages of the safe-migration guides. Only published content is shown (selectors)."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django_countries import countries

from education import selectors, services
from education.choices import ContentStatus, LifeStage
from education.models import Topic
from education.sanitize import headings_of
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
            "countries": [
                (code, countries.name(code))
                for code in selectors.country_list_with_guides(language=language)
            ],
        },
    )


@require_GET
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic_obj = get_object_or_404(Topic, slug=slug)
    articles = list(selectors.article_list_published(language=_language(), topic_slug=slug))
    if not articles:
        raise Http404
    return render(
        request, "education/topic_detail.html", {"topic": topic_obj, "articles": articles}
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
    services.article_view_record(article_id=article_obj.pk)
    return render(
        request,
        "education/article_detail.html",
        {
            "article": article_obj,
            "body_html": article_obj.body_html,
            "headings": headings_of(article_obj.body_html),
            "related": selectors.article_list_related(article=article_obj),
            "translation": selectors.article_translation(article=article_obj),
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    language = _language()
    results, corrected = selectors.article_search_with_correction(query=query, language=language)
    if query and (not results or corrected):
        # A corrected search still tells editors which words readers use but guides lack.
        services.search_miss_record(term=query, language=language)
    return render(
        request,
        "education/article_search.html",
        {"query": query, "results": results, "corrected": corrected},
    )


@require_GET
def country(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    name = countries.name(code)
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
        {"entries": selectors.faq_list_published(language=_language())},
    )


@require_GET
def checklist(request: HttpRequest, slug: str) -> HttpResponse:
    checklist_obj = selectors.checklist_get_published(slug=slug)
    if checklist_obj is None:
        raise Http404
    return render(
        request,
        "education/checklist_detail.html",
        {
            "checklist": checklist_obj,
            "items": checklist_obj.items.all(),
            "translation": selectors.checklist_translation(checklist=checklist_obj),
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
