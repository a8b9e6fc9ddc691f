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


@transaction.atomic
def staff_guide_save(*, guide: StaffGuide) -> StaffGuide:
    """Render the Markdown through the same sanitiser as public guides, validate and store."""
    guide.body_html = render_markdown(guide.body_markdown).html
    guide.full_clean()
    guide.save()
    return guide


@transaction.atomic
def staff_guide_upsert(*, slug: str, **fields) -> StaffGuide:
    """Create or update a staff guide by slug (the seed runs on every `make run`)."""
    guide = StaffGuide.objects.filter(slug=slug).first() or StaffGuide(slug=slug)
    for name, value in fields.items():
        setattr(guide, name, value)
    return staff_guide_save(guide=guide)
