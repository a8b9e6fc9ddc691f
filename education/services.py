"""Writes of the education app: editing content and the publishing workflow.

Workflow (one table, TRANSITIONS, for guides, FAQ entries and checklists):

    draft ──submit──> review ──publish──> published ──archive──> archived
      ^                 │                     │                      │
      └──send back──────┘<──withdraw──────────┘<──────reopen─────────┘ (to draft)

A content editor writes and submits; publishing needs the `publish_<model>` permission and a
reviewer who is not the content's last editor (four eyes on legal advice). Published and archived
content is not edited in place: it is withdrawn to draft first, so the public never sees an
unreviewed change. Every save is versioned by django-simple-history.
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from education.choices import SEARCH_CONFIGS, ContentStatus
from education.models import (
    Article,
    ArticleViewDay,
    Checklist,
    FaqEntry,
    PublishableContent,
    SearchMiss,
)
from education.sanitize import MAX_MARKDOWN_CHARS, render_markdown
from portal.exceptions import ApplicationError

S = ContentStatus
# (from, to) → the permission action needed ("change" = editor, "publish" = reviewer).
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.REVIEW): "change",
    (S.REVIEW, S.DRAFT): "change",
    (S.REVIEW, S.PUBLISHED): "publish",
    (S.PUBLISHED, S.ARCHIVED): "publish",
    (S.PUBLISHED, S.DRAFT): "publish",
    (S.ARCHIVED, S.DRAFT): "publish",
}
EDITABLE_STATUSES = frozenset({S.DRAFT, S.REVIEW})
ARTICLE_FIELDS = (
    "topic", "slug", "title", "summary", "body_markdown", "language", "translation_of", "stage",
    "country", "related_category_slugs", "sources",
)  # fmt: skip
FAQ_FIELDS = ("topic", "question", "answer_markdown", "language", "translation_of", "country",
              "position")  # fmt: skip
CHECKLIST_FIELDS = ("slug", "title", "intro", "topic", "stage", "language", "translation_of")
# Search terms are kept only as short normalised words: a pasted paragraph is not a term.
SEARCH_TERM_MAX = 100


def normalise_category_slugs(value: str) -> str:
    slugs: list[str] = []
    for part in re.split(r"[,;\n]+", value or ""):
        slug = slugify(part)
        if slug and slug not in slugs:
            slugs.append(slug)
    return ",".join(slugs)


def _save_content(
    *, instance: PublishableContent, actor: AbstractBaseUser | None, fields: dict
) -> PublishableContent:
    if instance.pk and instance.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            _("Published or archived content is not edited in place: move it back to draft first.")
        )
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.author = actor if actor is not None and actor.is_authenticated else None
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def article_save(
    *, actor: AbstractBaseUser | None, article: Article | None = None, **fields
) -> tuple[Article, list[str]]:
    """Create (article=None) or edit a guide. Returns it and what the sanitiser removed."""
    unknown = set(fields) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    article = article if article is not None else Article()
    if "related_category_slugs" in fields:
        fields["related_category_slugs"] = normalise_category_slugs(
            fields["related_category_slugs"]
        )
    # Cut before rendering: an oversized body is refused by full_clean below anyway, and
    # rendering megabytes first would let one request burn seconds of CPU.
    body = fields.get("body_markdown", article.body_markdown) or ""
    rendered = render_markdown(body[: MAX_MARKDOWN_CHARS + 1])
    fields["body_html"] = rendered.html
    _save_content(instance=article, actor=actor, fields=fields)
    article_search_index_refresh(article_ids=[article.pk])
    return article, rendered.removed


@transaction.atomic
def faq_save(
    *, actor: AbstractBaseUser | None, entry: FaqEntry | None = None, **fields
) -> tuple[FaqEntry, list[str]]:
    unknown = set(fields) - set(FAQ_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    entry = entry if entry is not None else FaqEntry()
    answer = fields.get("answer_markdown", entry.answer_markdown) or ""
    rendered = render_markdown(answer[: MAX_MARKDOWN_CHARS + 1])
    fields["answer_html"] = rendered.html
    _save_content(instance=entry, actor=actor, fields=fields)
    return entry, rendered.removed


@transaction.atomic
def checklist_save(
    *, actor: AbstractBaseUser | None, checklist: Checklist | None = None, **fields
) -> Checklist:
    unknown = set(fields) - set(CHECKLIST_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    checklist = checklist if checklist is not None else Checklist()
    _save_content(instance=checklist, actor=actor, fields=fields)
    return checklist


def _permission(content: PublishableContent, action: str) -> str:
    return f"education.{action}_{content._meta.model_name}"


def _transition_apply(
    *,
    locked: PublishableContent,
    to_status: str,
    reviewer: AbstractBaseUser | None,
    replaced_by: Article | None = None,
) -> PublishableContent:
    """Move locked content one step along TRANSITIONS, setting what the step sets: the one
    write of `status`. Publishing records the reviewer (None: the system) and the dates."""
    if (locked.status, to_status) not in TRANSITIONS:
        raise ApplicationError(
            _("Cannot move from %(from)s to %(to)s.")
            % {"from": locked.get_status_display(), "to": ContentStatus(to_status).label}
        )
    update = ["status", "updated_at"]
    if to_status == S.PUBLISHED:
        locked.reviewed_by = reviewer
        locked.published_at = (
            timezone.now() if reviewer is not None else locked.published_at or timezone.now()
        )
        locked.last_checked_on = (
            timezone.localdate()
            if reviewer is not None
            else locked.last_checked_on or timezone.localdate()
        )
        update += ["reviewed_by", "published_at", "last_checked_on"]
    if isinstance(locked, Article) and to_status == S.ARCHIVED:
        if replaced_by is not None and (
            replaced_by.pk == locked.pk or replaced_by.status != S.PUBLISHED
        ):
            raise ApplicationError(_("The replacement must be another published guide."))
        locked.replaced_by = replaced_by
        update.append("replaced_by")
    locked.status = to_status
    locked.save(update_fields=update)
    return locked


@transaction.atomic
def content_transition(
    *,
    content: PublishableContent,
    to_status: str,
    actor: AbstractBaseUser,
    replaced_by: Article | None = None,
) -> PublishableContent:
    """Move a guide, FAQ entry or checklist along the workflow; the one write path for status."""
    model = type(content)
    locked = model.objects.select_for_update().get(pk=content.pk)
    action = TRANSITIONS.get((locked.status, to_status))
    if action is None:
        raise ApplicationError(
            _("Cannot move from %(from)s to %(to)s.")
            % {"from": locked.get_status_display(), "to": ContentStatus(to_status).label}
        )
    if not actor.is_active or not actor.has_perm(_permission(locked, action)):
        raise ApplicationError(_("You are not allowed to make this change."))
    if to_status == S.PUBLISHED and locked.author_id is not None and locked.author_id == actor.pk:
        raise ApplicationError(_("Another person must review and publish what you edited last."))
    return _transition_apply(
        locked=locked, to_status=to_status, reviewer=actor, replaced_by=replaced_by
    )


@transaction.atomic
def content_mark_checked(
    *, content: PublishableContent, actor: AbstractBaseUser
) -> PublishableContent:
    """A reviewer confirms that published advice is still accurate today."""
    if not actor.has_perm(_permission(content, "publish")):
        raise ApplicationError(_("You are not allowed to make this change."))
    content.last_checked_on = timezone.localdate()
    content.save(update_fields=["last_checked_on", "updated_at"])
    return content


# The system's way to publication (starter content, no reviewer account yet): the same steps a
# person takes, draft → review → published, each checked against TRANSITIONS.
SYSTEM_PUBLISH_STEPS: dict[str, str] = {S.DRAFT: S.REVIEW, S.REVIEW: S.PUBLISHED}


@transaction.atomic
def content_publish_system(*, content: PublishableContent) -> PublishableContent:
    """Publish content loaded by the team's starter fixture (no reviewer account exists yet).

    Walks the workflow's own steps; already published content is left as it is, and archived
    content is refused: it was taken down by a person, and only a person brings it back."""
    locked = type(content).objects.select_for_update().get(pk=content.pk)
    if locked.status == S.ARCHIVED:
        raise ApplicationError(_("Archived content is published again only by a reviewer."))
    while locked.status != S.PUBLISHED:
        _transition_apply(
            locked=locked, to_status=SYSTEM_PUBLISH_STEPS[locked.status], reviewer=None
        )
    return locked


def article_search_index_refresh(*, article_ids: list[int] | None = None) -> int:
    """Recompute the full-text vectors (PostgreSQL only), each in its language's configuration."""
    if connection.vendor != "postgresql":
        return 0
    from django.contrib.postgres.search import SearchVector

    updated = 0
    for language, config in SEARCH_CONFIGS.items():
        rows = Article.objects.filter(language=language)
        if article_ids is not None:
            rows = rows.filter(pk__in=article_ids)
        updated += rows.update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("body_markdown", weight="C", config=config)
        )
    return updated


def _increment(model, lookup: dict, counter: str) -> None:
    """Add one to a daily counter row, creating it on first use; safe under concurrency."""
    if model.objects.filter(**lookup).update(**{counter: F(counter) + 1}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, **{counter: 1})
    except IntegrityError:  # another request created the row a moment ago
        model.objects.filter(**lookup).update(**{counter: F(counter) + 1})


@transaction.atomic
def article_view_record(*, article_id: int, day: date | None = None) -> None:
    _increment(
        ArticleViewDay, {"article_id": article_id, "day": day or timezone.localdate()}, "views"
    )


def normalise_search_term(term: str) -> str:
    return " ".join(term.replace("\x00", " ").lower().split())[:SEARCH_TERM_MAX]


@transaction.atomic
def search_miss_record(*, term: str, language: str, day: date | None = None) -> None:
    normalised = normalise_search_term(term)
    if not normalised:
        return
    lookup = {"term": normalised, "language": language, "day": day or timezone.localdate()}
    _increment(SearchMiss, lookup, "count")
