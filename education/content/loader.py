"""Load the team's starter content: topics, guides, FAQ entries and checklists, in id and en.

Idempotent and non-destructive: anything whose slug (or question) already exists is left as the
editors have it. Used by `seed_demo` (education.demo) and by migration 0003 for production, so it
takes the model classes as arguments (the migration passes its historical models).
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.utils import timezone

from education.choices import ContentStatus
from education.content import checklists, faq, guides_abroad, guides_before, guides_return
from education.sanitize import render_markdown

# The day the team last checked the starter content against its sources.
CONTENT_CHECKED_ON = date(2026, 11, 27)

TOPICS = [
    ("jalur-resmi", "Jalur resmi dan persiapan", "The legal route and preparation",
     "Syarat, dokumen, biaya yang sah, dan tanda bahaya perekrutan ilegal.",
     "Requirements, documents, legitimate fees and red flags of illegal recruitment.", 1),
    ("hak-di-negara-tujuan", "Hak dan bantuan di negara tujuan", "Rights and help abroad",
     "Hak Anda dan nomor bantuan di negara tujuan utama.",
     "Your rights and help numbers in the main destination countries.", 2),
    ("pengaduan", "Melapor dan meminta bantuan", "Reporting and getting help",
     "Cara melapor masalah dan memantau penanganannya.",
     "How to report a problem and follow its handling.", 3),
    ("pulang-dan-berdaya", "Pulang dan berdaya", "Coming home",
     "Jaminan sosial, kiriman uang, dan usaha setelah pulang.",
     "Social security, remittances and business after returning.", 4),
]  # fmt: skip

ALL_GUIDES = [*guides_before.GUIDES, *guides_abroad.GUIDES, *guides_return.GUIDES]


def _default_models() -> dict:
    from education import models

    return {
        name: getattr(models, name)
        for name in ("Topic", "Article", "FaqEntry", "Checklist", "ChecklistItem")
    }


def load_starter_content(*, models: dict | None = None) -> dict[str, int]:
    models = models or _default_models()
    topic_model, article_model = models["Topic"], models["Article"]
    faq_model, checklist_model = models["FaqEntry"], models["Checklist"]
    item_model = models["ChecklistItem"]
    now = timezone.now()
    published = {
        "status": ContentStatus.PUBLISHED,
        "published_at": now,
        "last_checked_on": CONTENT_CHECKED_ON,
    }
    created = {"topics": 0, "articles": 0, "faq": 0, "checklists": 0}

    topics = {}
    for slug, name_id, name_en, description_id, description_en, position in TOPICS:
        topics[slug], was_created = topic_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name_id": name_id,
                "name_en": name_en,
                "description_id": description_id,
                "description_en": description_en,
                "position": position,
            },
        )
        created["topics"] += was_created

    new_article_ids = []
    for guide in ALL_GUIDES:
        original = None
        for language in ("id", "en"):
            text = guide[language]
            article = article_model.objects.filter(slug=text["slug"]).first()
            if article is None:
                article = article_model.objects.create(
                    topic=topics[guide["topic"]],
                    slug=text["slug"],
                    title=text["title"],
                    summary=text["summary"],
                    body_markdown=text["body"],
                    body_html=render_markdown(text["body"]).html,
                    language=language,
                    translation_of=original,
                    stage=guide["stage"],
                    country=guide["country"],
                    related_category_slugs=guide["categories"],
                    sources=guide["sources"],
                    **published,
                )
                new_article_ids.append(article.pk)
                created["articles"] += 1
            original = original or article

    for position, (topic_slug, country, id_text, en_text) in enumerate(faq.FAQ, start=1):
        original = None
        for language, (question, answer) in (("id", id_text), ("en", en_text)):
            entry = faq_model.objects.filter(question=question, language=language).first()
            if entry is None:
                entry = faq_model.objects.create(
                    topic=topics[topic_slug],
                    question=question,
                    answer_markdown=answer,
                    answer_html=render_markdown(answer).html,
                    language=language,
                    translation_of=original,
                    country=country,
                    position=position,
                    **published,
                )
                created["faq"] += 1
            original = original or entry

    for data in checklists.CHECKLISTS:
        original = None
        for language in ("id", "en"):
            text = data[language]
            checklist = checklist_model.objects.filter(slug=text["slug"]).first()
            if checklist is None:
                checklist = checklist_model.objects.create(
                    slug=text["slug"],
                    title=text["title"],
                    intro=text["intro"],
                    topic=topics[data["topic"]],
                    stage=data["stage"],
                    language=language,
                    translation_of=original,
                    **published,
                )
                item_model.objects.bulk_create(
                    item_model(checklist=checklist, key=key, text=item, hint=hint, position=i)
                    for i, (key, item, hint) in enumerate(text["items"], start=1)
                )
                created["checklists"] += 1
            original = original or checklist

    if new_article_ids:
        _refresh_search_vectors(article_model, new_article_ids)
    return created


def _refresh_search_vectors(article_model, article_ids: list[int]) -> None:
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    from education.choices import SEARCH_CONFIGS

    for language, config in SEARCH_CONFIGS.items():
        article_model.objects.filter(pk__in=article_ids, language=language).update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("body_markdown", weight="C", config=config)
        )
