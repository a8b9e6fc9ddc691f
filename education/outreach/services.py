"""Writes of outreach events. A staff member records and edits events of the offices in their
scope only (portal.selectors.office_list_visible_to); the admin and any other interface call
`outreach_event_save`, so the scope and validation rules are the same everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from education.models import Article, OutreachEvent
from portal.exceptions import ApplicationError
from portal.models import Office, Region
from portal.selectors import office_list_visible_to


def _require_office_in_scope(*, actor, office_id: int | None) -> None:
    if office_id is None or not office_list_visible_to(user=actor).filter(pk=office_id).exists():
        raise ApplicationError(_("You can record outreach events only for your own office."))


@transaction.atomic
def outreach_event_save(
    *, actor, event: OutreachEvent, topics: Iterable[Article] | None = None
) -> OutreachEvent:
    """Validate and store a new or changed event (and its guides when given)."""
    _require_office_in_scope(actor=actor, office_id=event.office_id)
    if event.pk is not None:
        stored_office = (
            OutreachEvent.objects.select_for_update()
            .filter(pk=event.pk)
            .values_list("office_id", flat=True)
        ).first()
        # Editing an event of another office, or moving one out of it, is refused alike.
        _require_office_in_scope(actor=actor, office_id=stored_office)
    else:
        event.created_by = actor
    event.full_clean()
    event.save()
    if topics is not None:
        event.topics.set(topics)
    return event


def outreach_event_create(
    *,
    actor,
    office: Office,
    region_code: str,
    topics: Iterable[Article] = (),
    village=None,
    **fields,
) -> OutreachEvent:
    """Record an event at a place given by its Kemendagri code."""
    region = Region.objects.filter(code=(region_code or "").strip()).first()
    if region is None:
        raise ValidationError(
            {"region": _("“%(code)s” is not a Kemendagri region code.") % {"code": region_code}}
        )
    event = OutreachEvent(office=office, region=region, village=village, **fields)
    return outreach_event_save(actor=actor, event=event, topics=list(topics))


# Photos only: a PDF passes complaints.uploads' checks but is not a photo of an event.
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


def outreach_photo_check(uploaded):
    """The checked, re-encoded photo (no metadata), or a ValidationError on the `image` field."""
    from complaints.uploads import upload_check

    try:
        checked = upload_check(uploaded)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    if checked.content_type not in PHOTO_TYPES:
        raise ValidationError({"image": _("Upload a JPEG or PNG photo.")})
    return checked


@transaction.atomic
def outreach_photo_add(*, actor, event: OutreachEvent, uploaded, caption: str = ""):
    """Store a photo of an event of the actor's offices."""
    from django.core.files.base import ContentFile

    from education.models import OutreachPhoto

    _require_office_in_scope(actor=actor, office_id=event.office_id)
    checked = outreach_photo_check(uploaded)
    photo = OutreachPhoto(
        event=event, caption=(caption or "").strip(), sha256=checked.sha256, uploaded_by=actor
    )
    photo.image.save(checked.storage_name, ContentFile(checked.content), save=False)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def outreach_photo_delete(*, actor, photo) -> None:
    _require_office_in_scope(actor=actor, office_id=photo.event.office_id)
    name = photo.image.name
    storage = photo.image.storage
    photo.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))
