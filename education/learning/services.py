"""Writes of staff learning: marking a guide studied, and storing staff guides (seed, admin)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from education.models import StaffGuide, StudyRecord
from education.sanitize import render_markdown
from portal.exceptions import ApplicationError


@transaction.atomic
def study_record_mark(*, user, guide: StaffGuide, now: datetime | None = None) -> StudyRecord:
    """Mark a staff guide studied by a staff member; marking again keeps the first date."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise ApplicationError(_("Only signed-in staff can mark a staff guide as studied."))
    record, _created = StudyRecord.objects.get_or_create(
        user=user, guide=guide, defaults={"studied_at": now or timezone.now()}
    )
    return record


@transaction.atomic
def study_record_unmark(*, user, guide: StaffGuide) -> None:
    StudyRecord.objects.filter(user=user, guide=guide).delete()


# What a reviewer reads: a change to any of these takes the guide off the shelf until another
# person publishes it again. Position only orders the list.
STAFF_GUIDE_CONTENT_FIELDS = ("slug", "title", "summary", "body_markdown", "sources")


@transaction.atomic
def staff_guide_save(*, guide: StaffGuide, actor=None) -> StaffGuide:
    """Render the Markdown through the same sanitiser as public guides, validate and store.

    An edit of the text by a person (`actor`) records them as its last editor and unpublishes
    the guide: another person reviews and publishes it (staff_guide_publish), the four-eyes rule
    of public guides. Without an actor (the seed of `make run`) the guide is stored as given.
    """
    if actor is not None:
        stored = StaffGuide.objects.filter(pk=guide.pk).values(*STAFF_GUIDE_CONTENT_FIELDS).first()
        changed = stored is None or any(
            stored[name] != getattr(guide, name) for name in STAFF_GUIDE_CONTENT_FIELDS
        )
        if changed:
            guide.author = actor
            guide.is_published = False
            guide.reviewed_by = None
            guide.published_at = None
    guide.body_html = render_markdown(guide.body_markdown).html
    guide.full_clean()
    guide.save()
    return guide


def _may_review(actor) -> bool:
    return bool(actor.is_active and actor.has_perm("education.change_staffguide"))


@transaction.atomic
def staff_guide_publish(*, guide: StaffGuide, actor, now: datetime | None = None) -> StaffGuide:
    """Publish a staff guide: a person other than its last editor (four eyes)."""
    locked = StaffGuide.objects.select_for_update().get(pk=guide.pk)
    if not _may_review(actor):
        raise ApplicationError(_("You are not allowed to make this change."))
    if locked.author_id is not None and locked.author_id == actor.pk:
        raise ApplicationError(_("Another person must review and publish what you edited last."))
    if locked.is_published:
        return locked
    locked.is_published = True
    locked.reviewed_by = actor
    locked.published_at = now or timezone.now()
    locked.save(update_fields=["is_published", "reviewed_by", "published_at", "updated_at"])
    return locked


@transaction.atomic
def staff_guide_unpublish(*, guide: StaffGuide, actor) -> StaffGuide:
    """Take a staff guide off the shelf (any reviewer may: withdrawing needs no second person)."""
    if not _may_review(actor):
        raise ApplicationError(_("You are not allowed to make this change."))
    StaffGuide.objects.filter(pk=guide.pk).update(is_published=False, updated_at=timezone.now())
    guide.refresh_from_db()
    return guide


@transaction.atomic
def staff_guide_upsert(*, slug: str, **fields) -> StaffGuide:
    """Create or update a staff guide by slug (the seed runs on every `make run`): the team's
    starter guides, published as given like public guides' starter fixture."""
    guide = StaffGuide.objects.filter(slug=slug).first() or StaffGuide(slug=slug)
    fields.setdefault("is_published", True)
    for name, value in fields.items():
        setattr(guide, name, value)
    return staff_guide_save(guide=guide)
