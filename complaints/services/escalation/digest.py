"""The offices' digests: one e-mail per office per sweep, not one per complaint.

Each batch collects, per office, how many complaints went out, came in or stay overdue at the
top, and lists the first DIGEST_MAX_LISTED of them. `digest_write` adds a batch to the office's
outbox row of this sweep (dedupe key with the sweep id) inside the batch's transaction; the
sweep releases the rows when it ends. If the sweep dies first, the requeue task sends them after
DIGEST_SETTLE_SECONDS.

Considered and not taken: one pointer row per office and sweep (`ON CONFLICT DO NOTHING`), the
contents built at delivery from that sweep's events. It needs no shared counts, no lock and no
rollback of counts, but the delivery then reads up to 100,000 events per sweep and the events
would have to carry the sweep's id; the counts written here cost one small UPDATE per batch.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from complaints.choices import ContactChannel, NotificationStatus
from complaints.models import Notification
from complaints.services.escalation.ladder import Ladder
from complaints.services.notifications import notification_publish

logger = logging.getLogger(__name__)

DIGEST_TEMPLATE = "escalation_digest"
# A digest accumulates over the batches of one sweep and is released when the sweep ends. If the
# sweep dies first, the requeue task still sends it after this delay (longer than the task's
# hard time limit, so a live sweep has always finished by then).
DIGEST_SETTLE_SECONDS = 600
# An office's digest lists at most this many complaints and counts the rest: one readable e-mail.
DIGEST_MAX_LISTED = 300
DIRECTIONS = ("in", "out", "overdue")


@dataclass(slots=True)
class DigestItem:
    """One listed complaint: `direction` "out" (escalated away, `office` = where to), "in"
    (arrived, `office` = where from, `due_at` = its new deadline) or "overdue" (at the top)."""

    reference: str
    level: int
    stage: str
    direction: str
    due_at: str | None = None
    office: str | None = None

    def as_context(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "reference": self.reference,
            "level": self.level,
            "stage": self.stage,
            "direction": self.direction,
        }
        if self.due_at is not None:
            item["due_at"] = self.due_at
        if self.office is not None:
            item["office"] = self.office
        return item


@dataclass(slots=True)
class DigestBucket:
    """One batch's part of one office's digest."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DIRECTIONS, 0))
    items: list[DigestItem] = field(default_factory=list)

    def add(self, item: DigestItem) -> None:
        """Counted always; listed only while there is room (the hot loop of a big sweep)."""
        self.counts[item.direction] += 1
        if len(self.items) < DIGEST_MAX_LISTED:
            self.items.append(item)

    def has_room(self) -> bool:
        return len(self.items) < DIGEST_MAX_LISTED


@dataclass(slots=True)
class Digest:
    """An office's outbox row of this sweep and its context as last written."""

    id: int
    context: dict[str, Any]

    def copy(self) -> Digest:
        """As it is now: counts and listed items copied (not the items' dicts)."""
        return Digest(
            id=self.id,
            context={
                **self.context,
                "counts": dict(self.context["counts"]),
                "items": list(self.context["items"]),
            },
        )


def bucket_for(*, per_office: dict[int, DigestBucket], office_id: int) -> DigestBucket:
    bucket = per_office.get(office_id)
    if bucket is None:
        bucket = per_office[office_id] = DigestBucket()
    return bucket


def digest_write(
    *,
    per_office: dict[int, DigestBucket],
    ladder: Ladder,
    sweep_id: str,
    now: datetime,
    digests: dict[int, Digest],
) -> None:
    """Add this batch's complaints to each office's digest of this sweep (one row per office).

    Only this sweep writes its digests (the dedupe key holds the sweep id), so their context is
    kept in `digests` and written without reading it back: in full while the listed complaints
    grow, then only the counts.
    """
    to_create: list[Notification] = []
    full: list[Notification] = []
    counts_only: list[tuple[int, dict[str, int]]] = []
    for office_id, bucket in per_office.items():
        digest = digests.get(office_id)
        if digest is None:
            office = ladder.offices[office_id]
            recipients = [office.notification_email, *ladder.heads.get(office_id, [])]
            recipients = list(dict.fromkeys(email for email in recipients if email))
            if not recipients:
                logger.warning("office %s has no notification e-mail and no head", office_id)
                continue
            context: dict[str, Any] = {
                "office": office.name,
                "cc": recipients[1:],
                "counts": dict(bucket.counts),
                "items": [item.as_context() for item in bucket.items[:DIGEST_MAX_LISTED]],
            }
            to_create.append(
                Notification(
                    channel=ContactChannel.EMAIL,
                    recipient=recipients[0],
                    template=DIGEST_TEMPLATE,
                    context=context,
                    language=settings.LANGUAGE_CODE,
                    dedupe_key=f"escalation:{sweep_id}:office:{office_id}",
                    office_id=office_id,
                    # Held back until the sweep ends; sent anyway if the sweep dies (constant).
                    next_attempt_at=now + timedelta(seconds=DIGEST_SETTLE_SECONDS),
                )
            )
            continue
        context = digest.context
        for direction, count in bucket.counts.items():
            context["counts"][direction] += count
        room = DIGEST_MAX_LISTED - len(context["items"])
        if room > 0 and bucket.items:
            context["items"].extend(item.as_context() for item in bucket.items[:room])
            full.append(Notification(pk=digest.id, context=context))
        else:
            counts_only.append((digest.id, context["counts"]))
    if full:
        Notification.objects.bulk_update(full, ["context"])
    if counts_only and connection.vendor == "postgresql":
        ids, counts = zip(*counts_only, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Notification._meta.db_table} AS n "  # noqa: S608 (our table name)
                "SET context = jsonb_set(n.context, '{counts}', v.counts) "
                "FROM unnest(%s::bigint[], %s::jsonb[]) AS v(id, counts) WHERE n.id = v.id",
                [list(ids), [json.dumps(item) for item in counts]],
            )
    elif counts_only:
        contexts = {digest.id: digest.context for digest in digests.values()}
        Notification.objects.bulk_update(
            [Notification(pk=pk, context=contexts[pk]) for pk, _counts in counts_only],
            ["context"],
        )
    if to_create:
        created: list[Notification] = Notification.objects.bulk_create(to_create)
        if not connection.features.can_return_rows_from_bulk_insert:
            created = list(
                Notification.objects.filter(dedupe_key__in=[row.dedupe_key for row in to_create])
            )
        for row in created:
            assert row.office_id is not None  # noqa: S101 (set above; narrows the type)
            digests[row.office_id] = Digest(id=row.pk, context=row.context)


def digest_release(*, notification_ids: list[int], now: datetime) -> None:
    """The sweep is over: its digests are due at the sweep's `now`, handed to the broker after
    commit. The sweep's clock, not the wall clock, so a sweep run for a given instant is
    reproducible."""
    Notification.objects.filter(id__in=notification_ids, status=NotificationStatus.PENDING).update(
        next_attempt_at=now
    )
    for notification_id in notification_ids:
        transaction.on_commit(partial(notification_publish, notification_id=notification_id))
