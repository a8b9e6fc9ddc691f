"""Retention: closed complaints lose their personal data after DATA_RETENTION_DAYS.

Workflow (daily, task `complaints.purge_retention`): for finished complaints (closed, rejected,
duplicate) whose closing is older than the retention period, clear every field that identifies
a person (reporter contact, name, passport, free text, the employer's name, which is often a
private household), blank the texts of timeline events and outbox rows, clear the same fields in
the audit history, and delete attachment files from storage. What aggregates count stays: kind,
category, status, office, origin region, destination country, linked agencies, every timestamp,
escalation levels. `anonymised_at` marks the row; a second run skips it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from complaints.choices import TERMINAL_STATUSES, EventKind
from complaints.models import Attachment, Complaint, ComplaintEvent, Notification

logger = logging.getLogger(__name__)

# 500 complaints per transaction: each deletes a few files from storage, so a batch stays within
# seconds and a crash repeats at most one batch (deleting a missing file is harmless).
RETENTION_BATCH_SIZE = 500
REMOVED = "[dihapus]"  # what remains of a text: a marker in the default language, not empty
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
    now = now or timezone.now()
    total = 0
    while True:
        done = _anonymise_batch(now=now, batch_size=batch_size)
        total += done
        if done < batch_size:
            break
    if total:
        logger.info("retention: %s complaints anonymised", total)
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
    return len(ids)
