"""Retention: closed complaints lose their personal data after DATA_RETENTION_DAYS, abandoned
drafts after DRAFT_RETENTION_DAYS.

Workflow (daily, task `complaints.purge_retention`): for finished complaints (closed, rejected,
duplicate) whose closing is older than the retention period, clear every field that identifies
a person (reporter contact, name, passport, free text, the employer's name, which is often a
private household), blank the texts of timeline events and outbox rows, clear the same fields in
the audit history, clear the case's WhatsApp/SMS/e-mail messages, and delete attachment files
from storage. What aggregates count stays: kind, category, status, office, origin region,
destination country, linked agencies, every timestamp, escalation levels. `anonymised_at` marks
the row; a second run skips it.

Drafts (a WhatsApp/SMS/e-mail message that no officer recorded as a complaint) stored more than
DRAFT_RETENTION_DAYS ago are abandoned: their sender, subject and text are cleared, their files
deleted from storage with their rows (a file name often names the person), and the status becomes
"expired", so the intake queue no longer offers them. The row stays with its gateway, message id
(a redelivery is still recognised as a duplicate, not made a new draft), channel and times, so
counts of messages per channel do not change. The clock runs from when the portal stored the
message, not from the date the sender's device or mail claims. After the same period, messages
recorded as ignored lose their sender and subject, and the "received" replies to senders their
recipient.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from complaints.choices import TERMINAL_STATUSES, EventKind, InboundStatus
from complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    InboundAttachment,
    InboundMessage,
    Notification,
)
from complaints.services.inbound import INBOUND_REPLY_KEY_PREFIX

logger = logging.getLogger(__name__)

# 500 complaints per transaction: each deletes a few files from storage, so a batch stays within
# seconds and a crash repeats at most one batch (deleting a missing file is harmless).
RETENTION_BATCH_SIZE = 500
REMOVED = "[dihapus]"  # what remains of a text: a marker in the default language, not empty
# The once-a-day key a cleared "received" reply keeps (with its row id: keys are unique).
REPLY_KEY_REMOVED = f"{INBOUND_REPLY_KEY_PREFIX}removed:"
PERSONAL_FIELDS = {
    "reporter_name": "",
    "reporter_phone": "",
    "reporter_email": "",
    "reporter_whatsapp": "",
    "safe_contact_time": "",
    "passport_number": "",
    "employer_name": "",
    "destination_city": "",
    "description": REMOVED,
}


def retention_purge(*, now: datetime | None = None) -> dict[str, int]:
    """The daily run: expired complaints, then abandoned drafts; how many of each."""
    now = now or timezone.now()
    return {
        "complaints": complaint_anonymise_expired(now=now),
        "drafts": inbound_draft_anonymise_expired(now=now),
        "ignored": inbound_ignored_anonymise_expired(now=now),
        "replies": inbound_reply_anonymise_expired(now=now),
    }


def complaint_list_expired(*, now: datetime) -> QuerySet[Complaint]:
    cutoff = now - timedelta(days=settings.DATA_RETENTION_DAYS)
    return (
        Complaint.objects.filter(status__in=TERMINAL_STATUSES, anonymised_at__isnull=True)
        .annotate(finished_at=Coalesce("closed_at", "resolved_at", "updated_at"))
        .filter(finished_at__lte=cutoff)
    )


def complaint_anonymise_expired(
    *, now: datetime | None = None, batch_size: int = RETENTION_BATCH_SIZE
) -> int:
    """Anonymise every expired complaint, batch by batch; returns how many."""
    return _in_batches(
        batch=_anonymise_batch, now=now or timezone.now(), batch_size=batch_size, what="complaints"
    )


def _in_batches(*, batch: Callable[..., int], now: datetime, batch_size: int, what: str) -> int:
    """Run `batch` (one transaction each) until a batch comes back short; returns the total."""
    total = 0
    while True:
        done = batch(now=now, batch_size=batch_size)
        total += done
        if done < batch_size:
            break
    if total:
        logger.info("retention: %s %s anonymised", total, what)
    return total


@transaction.atomic
def _anonymise_batch(*, now: datetime, batch_size: int) -> int:
    ids = list(
        complaint_list_expired(now=now)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("id")
        .values_list("id", flat=True)[:batch_size]
    )
    if not ids:
        return 0
    attachments = list(Attachment.objects.filter(complaint_id__in=ids))
    for attachment in attachments:
        # Storage first: a crash after this leaves rows pointing at nothing, never files behind.
        attachment.file.delete(save=False)
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    Complaint.objects.filter(id__in=ids).update(
        **PERSONAL_FIELDS,
        access_key_hash="!",
        submission_token=None,
        anonymised_at=now,
    )
    Complaint.history.model.objects.filter(id__in=ids).update(**PERSONAL_FIELDS)
    ComplaintEvent.objects.filter(complaint_id__in=ids).exclude(
        kind__in=[EventKind.ESCALATION, EventKind.CREATED]
    ).filter(~Q(body="") | ~Q(public_body="")).update(body=REMOVED, public_body=REMOVED)
    Notification.objects.filter(complaint_id__in=ids).update(recipient=REMOVED, context={})
    # The WhatsApp/SMS/e-mail messages of the case (appended ones, the draft it was recorded from).
    _inbound_messages_clear(
        ids=list(
            InboundMessage.objects.filter(
                complaint_id__in=ids, anonymised_at__isnull=True
            ).values_list("id", flat=True)
        ),
        now=now,
    )
    return len(ids)


def inbound_draft_list_expired(*, now: datetime) -> QuerySet[InboundMessage]:
    cutoff = now - timedelta(days=settings.DRAFT_RETENTION_DAYS)
    return InboundMessage.objects.filter(status=InboundStatus.DRAFT, created_at__lte=cutoff)


def inbound_draft_anonymise_expired(
    *, now: datetime | None = None, batch_size: int = RETENTION_BATCH_SIZE
) -> int:
    """Clear the personal data of every abandoned draft, batch by batch; returns how many."""
    return _in_batches(
        batch=_draft_batch,
        now=now or timezone.now(),
        batch_size=batch_size,
        what="abandoned drafts",
    )


@transaction.atomic
def _draft_batch(*, now: datetime, batch_size: int) -> int:
    # SKIP LOCKED: a draft an officer is recording right now (staff intake locks it) is left to
    # that officer; a completed draft is no longer a draft at the next run.
    ids = list(
        inbound_draft_list_expired(now=now)
        .select_for_update(skip_locked=True)
        .order_by("id")
        .values_list("id", flat=True)[:batch_size]
    )
    _inbound_messages_clear(ids=ids, now=now, status=InboundStatus.EXPIRED)
    return len(ids)


def _inbound_messages_clear(*, ids: list[int], now: datetime, status: str = "") -> None:
    """Sender, subject and text of these inbound messages cleared, their files deleted."""
    if not ids:
        return
    files = list(InboundAttachment.objects.filter(message_id__in=ids))
    for kept in files:
        if kept.file:
            # Storage first: a crash after this leaves rows pointing at nothing, never files.
            kept.file.delete(save=False)
    InboundAttachment.objects.filter(pk__in=[kept.pk for kept in files]).delete()
    changes: dict[str, object] = {
        "sender": "",
        "subject": "",
        "text": REMOVED,
        "anonymised_at": now,
    }
    if status:
        changes["status"] = status
    InboundMessage.objects.filter(id__in=ids).update(**changes)


def inbound_ignored_anonymise_expired(*, now: datetime | None = None) -> int:
    """Messages recorded as ignored (auto-replies, bounces, loops) keep their Message-ID, which
    makes a second fetch skip them, and lose the sender and subject after the drafts' period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DRAFT_RETENTION_DAYS)
    return InboundMessage.objects.filter(
        status=InboundStatus.IGNORED, anonymised_at__isnull=True, created_at__lte=cutoff
    ).update(sender="", subject="", anonymised_at=now)


def inbound_reply_anonymise_expired(*, now: datetime | None = None) -> int:
    """The "received" replies to inbound senders belong to no complaint, and their once-a-day
    key holds the sender's number or address: after the drafts' period (long delivered, and the
    key only matters on its day) both are removed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DRAFT_RETENTION_DAYS)
    return (
        Notification.objects.filter(
            complaint__isnull=True,
            dedupe_key__startswith=INBOUND_REPLY_KEY_PREFIX,
            created_at__lte=cutoff,
        )
        .exclude(dedupe_key__startswith=REPLY_KEY_REMOVED)
        .update(
            recipient=REMOVED,
            context={},
            dedupe_key=Concat(Value(REPLY_KEY_REMOVED), Cast("pk", CharField())),
        )
    )
