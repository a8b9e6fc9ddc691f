"""The escalation sweep: overdue complaints move one level up the ladder post → BP3MI → ministry.

Run by the Celery beat entry `complaints.escalate_overdue` and by `manage.py escalate_overdue`
(the cron fallback). Set-based, in batches, one transaction per batch:

1. take up to ESCALATION_BATCH_SIZE overdue open complaints by deadline, `FOR UPDATE SKIP LOCKED`
   on PostgreSQL, so concurrent sweeps split the work instead of waiting or doubling it;
2. one guarded UPDATE moves them to the parent office, raises the level and sets the next
   deadline (the WHERE clause repeats the overdue condition, so a row changed meanwhile is left);
3. one INSERT of `escalation` events, ON CONFLICT DO NOTHING on the (complaint, level)
   constraint, so a replay can never write a second event for a level;
4. one outbox row per office per sweep (old and new office), listing its complaints, sent when
   the sweep ends: an office with 300 lapsed cases gets one e-mail, not 300.

At the top of the ladder (an office without parent) the complaint stays on the overdue list and
its office is re-notified once per working day (`overdue_notified_on`), not once per sweep.
With nothing overdue the sweep costs one query on the partial index `complaint_open_due`.
On SQLite (`make run`) there is no SKIP LOCKED; its write transactions are serialised instead.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext

from complaints.choices import (
    OPEN_STATUSES,
    ContactChannel,
    EventKind,
    SlaStage,
    Visibility,
)
from complaints.models import Complaint, ComplaintEvent, Notification, SlaPolicy
from complaints.services.notifications import notification_publish
from complaints.services.sla import (
    WorkingCalendar,
    calendar_load,
    escalation_next_deadline,
    sla_local_today,
)
from portal.choices import Role
from portal.models import Membership, Office

logger = logging.getLogger(__name__)

# 1,000 rows per transaction: large enough that 100,000 overdue complaints take 100 round trips
# of ~5 queries each (the budget is 10 s), small enough that the row locks are held for tens of
# milliseconds, so an officer saving one of those complaints barely waits.
ESCALATION_BATCH_SIZE = 1000
# A digest accumulates over the batches of one sweep and is released when the sweep ends. If the
# sweep dies first, the requeue task still sends it after this delay (longer than the task's
# hard time limit, so a live sweep has always finished by then).
DIGEST_SETTLE_SECONDS = 600
# An office's digest lists at most this many complaints and counts the rest: one readable e-mail.
DIGEST_MAX_LISTED = 300
DIGEST_TEMPLATE = "escalation_digest"
DEFAULT_GRACE_WORKING_DAYS = SlaPolicy._meta.get_field("escalation_grace_working_days").default


@dataclass
class SweepResult:
    escalated: int = 0
    renotified: int = 0
    batches: int = 0
    notifications: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "escalated": self.escalated,
            "renotified": self.renotified,
            "batches": self.batches,
            "notifications": len(self.notifications),
        }


@dataclass
class _Ladder:
    """Offices, their heads and the grace per policy: loaded once per sweep, only when needed."""

    offices: dict[int, dict]
    heads: dict[int, list[str]]
    grace_by_category: dict[int, int]
    grace_by_priority: dict[str, int]
    default_grace: int
    deadlines: dict[int, datetime] = field(default_factory=dict)

    def grace_for(self, *, category_id: int, priority: str) -> int:
        if category_id in self.grace_by_category:
            return self.grace_by_category[category_id]
        return self.grace_by_priority.get(priority, self.default_grace)


def _ladder_load() -> _Ladder:
    offices = {
        row["id"]: row
        for row in Office.objects.values("id", "parent_id", "kind", "name", "notification_email")
    }
    heads: dict[int, list[str]] = {}
    for office_id, email in Membership.objects.filter(
        role=Role.HEAD, user__is_active=True
    ).values_list("office_id", "user__email"):
        if email:
            heads.setdefault(office_id, []).append(email)
    grace_by_category: dict[int, int] = {}
    grace_by_priority: dict[str, int] = {}
    for category_id, priority, grace in SlaPolicy.objects.filter(is_active=True).values_list(
        "category_id", "priority", "escalation_grace_working_days"
    ):
        if category_id is not None:
            grace_by_category[category_id] = grace
        else:
            grace_by_priority[priority or ""] = grace
    return _Ladder(
        offices=offices,
        heads=heads,
        grace_by_category=grace_by_category,
        grace_by_priority=grace_by_priority,
        default_grace=grace_by_priority.get("", DEFAULT_GRACE_WORKING_DAYS),
    )


_ROW_FIELDS = (
    "id",
    "reference",
    "office_id",
    "escalation_level",
    "category_id",
    "priority",
    "due_at",
    "sla_stage",
    "language",
)


def _overdue(*, now: datetime, today: date, include_top: bool):
    queryset = Complaint.objects.filter(
        status__in=OPEN_STATUSES, due_at__lte=now, paused_at__isnull=True
    ).filter(Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today))
    if not include_top:
        queryset = queryset.filter(office__parent__isnull=False)
    return queryset


def _lock_batch(*, now: datetime, today: date, include_top: bool, batch_size: int) -> list:
    queryset = _overdue(now=now, today=today, include_top=include_top).order_by("due_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return [
        dict(zip(_ROW_FIELDS, row, strict=True))
        for row in queryset.values_list(*_ROW_FIELDS)[:batch_size]
    ]


def complaint_escalate_overdue(
    *,
    now: datetime | None = None,
    batch_size: int = ESCALATION_BATCH_SIZE,
    max_batches: int | None = None,
) -> SweepResult:
    """One sweep over every overdue complaint; returns how many were escalated and re-notified.

    Safe to run concurrently and twice: rows are claimed with SKIP LOCKED, updates are guarded,
    events are unique per level and digests have a per-sweep dedupe key.
    """
    now = now or timezone.now()
    today = sla_local_today(now)
    sweep_id = uuid.uuid4().hex[:16]
    result = SweepResult()
    calendar = calendar_load()
    ladder: _Ladder | None = None
    include_top = True
    # The idle sweep (most minutes) is this one query on the partial index; nothing else is read.
    if not _overdue(now=now, today=today, include_top=include_top).exists():
        return result
    digests: dict[int, dict] = {}
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # The sweep is idempotent: if the server crashed before a batch reached disk,
                # the next sweep redoes it. Not waiting for the WAL flush per batch saves
                # 100 fsyncs on a full sweep.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            rows = _lock_batch(now=now, today=today, include_top=include_top, batch_size=batch_size)
            if not rows:
                break
            if ladder is None:
                ladder = _ladder_load()
                # Weekends and holidays: climbing continues, re-notifying the top waits.
                include_top = calendar.is_working_day(today)
            result.batches += 1
            per_office: dict[int, dict] = {}
            climbing = [row for row in rows if ladder.offices[row["office_id"]]["parent_id"]]
            at_top = [
                row
                for row in rows
                if not ladder.offices[row["office_id"]]["parent_id"] and include_top
            ]
            result.escalated += _escalate(
                rows=climbing,
                now=now,
                ladder=ladder,
                calendar=calendar,
                per_office=per_office,
            )
            result.renotified += _renotify_top(
                rows=at_top, now=now, today=today, per_office=per_office
            )
            _digest_write(
                per_office=per_office,
                ladder=ladder,
                sweep_id=sweep_id,
                now=now,
                digests=digests,
            )
    result.notifications = sorted(digest["id"] for digest in digests.values())
    if result.notifications:
        _digest_release(notification_ids=result.notifications)
    if result.escalated or result.renotified:
        logger.info(
            "escalation sweep %s: %s escalated, %s re-notified, %s batches",
            sweep_id,
            result.escalated,
            result.renotified,
            result.batches,
        )
    return result


def _escalate(
    *,
    rows: list[dict],
    now: datetime,
    ladder: _Ladder,
    calendar: WorkingCalendar,
    per_office: dict[int, dict],
) -> int:
    if not rows:
        return 0
    deadline_by_id: dict[int, datetime] = {}
    for row in rows:
        grace = ladder.grace_for(category_id=row["category_id"], priority=row["priority"])
        if grace not in ladder.deadlines:
            ladder.deadlines[grace] = escalation_next_deadline(
                grace_working_days=grace, now=now, calendar=calendar
            )
        deadline_by_id[row["id"]] = ladder.deadlines[grace]
    moves = {row["office_id"]: ladder.offices[row["office_id"]]["parent_id"] for row in rows}
    ids = [row["id"] for row in rows]
    distinct_deadlines = set(deadline_by_id.values())
    if len(distinct_deadlines) == 1:
        due_expression = Value(next(iter(distinct_deadlines)))
    else:
        due_expression = Case(
            *[
                When(
                    id__in=[pk for pk, due in deadline_by_id.items() if due == deadline],
                    then=Value(deadline),
                )
                for deadline in distinct_deadlines
            ]
        )
    updated = Complaint.objects.filter(
        id__in=ids,
        status__in=OPEN_STATUSES,
        due_at__lte=now,
        paused_at__isnull=True,
        office_id__in=list(moves),
    ).update(
        office_id=Case(*[When(office_id=old, then=Value(new)) for old, new in moves.items()]),
        escalation_level=F("escalation_level") + 1,
        due_at=due_expression,
        last_escalated_at=now,
        overdue_notified_on=None,
        updated_at=now,
    )
    if updated != len(rows):
        # Only without row locks (SQLite) can a row change between read and update: keep the
        # rows this sweep really moved.
        moved = set(
            Complaint.objects.filter(id__in=ids, last_escalated_at=now).values_list("id", flat=True)
        )
        rows = [row for row in rows if row["id"] in moved]
    texts: dict[tuple, tuple[str, str]] = {}
    events: list[tuple] = []
    for row in rows:
        old_office = ladder.offices[row["office_id"]]
        new_office = ladder.offices[old_office["parent_id"]]
        level = row["escalation_level"] + 1
        key = (old_office["id"], row["language"], row["sla_stage"], level)
        if key not in texts:
            texts[key] = _event_texts(
                old_office=old_office, new_office=new_office, row=row, level=level
            )
        internal, public_line = texts[key]
        next_due = deadline_by_id[row["id"]].isoformat()
        events.append(
            (
                row["id"],
                level,
                internal,
                public_line,
                {
                    "from_office": old_office["id"],
                    "to_office": new_office["id"],
                    "lapsed_at": row["due_at"].isoformat(),
                    "stage": row["sla_stage"],
                    "next_due_at": next_due,
                },
            )
        )
        item = {"reference": row["reference"], "level": level, "stage": row["sla_stage"]}
        _digest_item(per_office, old_office["id"], {**item, "direction": "out"}, new_office)
        _digest_item(
            per_office,
            new_office["id"],
            {**item, "direction": "in", "due_at": next_due},
            old_office,
        )
    _events_insert(events=events, now=now)
    return len(rows)


def _event_texts(*, old_office: dict, new_office: dict, row: dict, level: int) -> tuple[str, str]:
    """(internal body, public line) of an escalation event; computed once per distinct key."""
    with translation.override(row["language"] or settings.LANGUAGE_CODE):
        public_line = gettext("Forwarded to %(office)s for follow-up.") % {
            "office": new_office["name"]
        }
    with translation.override(settings.LANGUAGE_CODE):
        internal = gettext(
            "%(stage)s deadline lapsed; escalated from %(old)s to %(new)s (level %(level)s)."
        ) % {
            "stage": SlaStage(row["sla_stage"]).label,
            "old": old_office["name"],
            "new": new_office["name"],
            "level": level,
        }
    return internal, public_line


def _digest_item(per_office: dict, office_id: int, item: dict, other_office: dict) -> None:
    bucket = per_office.setdefault(office_id, {"counts": {}, "items": []})
    direction = item["direction"]
    bucket["counts"][direction] = bucket["counts"].get(direction, 0) + 1
    # Only what a digest can list is built: an office with 30,000 lapsed cases costs no more.
    if len(bucket["items"]) < DIGEST_MAX_LISTED:
        if other_office is not None:
            item["office"] = other_office["name"]
        bucket["items"].append(item)


def _events_insert(*, events: list[tuple], now: datetime) -> None:
    """Insert escalation events; ON CONFLICT DO NOTHING on (complaint, level), so a replayed
    batch adds no second event. On PostgreSQL one INSERT ... SELECT FROM unnest(arrays) avoids
    building a model instance per row (the sweep's hot loop)."""
    if not events:
        return
    if connection.vendor == "postgresql":
        ids, levels, bodies, public_lines, data = zip(*events, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ComplaintEvent._meta.db_table} "  # noqa: S608 (our table name)
                "(complaint_id, kind, visibility, by_reporter, level, body, public_body, data, "
                "created_at) "
                "SELECT complaint_id, %s, %s, false, level, body, public_body, data, %s "
                "FROM unnest(%s::bigint[], %s::smallint[], %s::text[], %s::text[], %s::jsonb[]) "
                "AS e(complaint_id, level, body, public_body, data) "
                "ON CONFLICT DO NOTHING",
                [
                    EventKind.ESCALATION.value,
                    Visibility.INTERNAL.value,
                    now,
                    list(ids),
                    list(levels),
                    list(bodies),
                    list(public_lines),
                    [json.dumps(item) for item in data],
                ],
            )
        return
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(
                complaint_id=complaint_id,
                kind=EventKind.ESCALATION,
                visibility=Visibility.INTERNAL,
                level=level,
                body=body,
                public_body=public_line,
                data=item,
            )
            for complaint_id, level, body, public_line, item in events
        ],
        ignore_conflicts=True,
    )


def _renotify_top(
    *, rows: list[dict], now: datetime, today: date, per_office: dict[int, dict]
) -> int:
    if not rows:
        return 0
    ids = [row["id"] for row in rows]
    updated = (
        Complaint.objects.filter(id__in=ids, status__in=OPEN_STATUSES, due_at__lte=now)
        .filter(Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today))
        .update(overdue_notified_on=today)
    )
    if updated != len(rows):
        marked = set(
            Complaint.objects.filter(id__in=ids, overdue_notified_on=today).values_list(
                "id", flat=True
            )
        )
        rows = [row for row in rows if row["id"] in marked]
    for row in rows:
        _digest_item(
            per_office,
            row["office_id"],
            {
                "reference": row["reference"],
                "level": row["escalation_level"],
                "stage": row["sla_stage"],
                "direction": "overdue",
                "due_at": row["due_at"].isoformat(),
            },
            None,
        )
    return len(rows)


def _digest_write(
    *,
    per_office: dict[int, dict],
    ladder: _Ladder,
    sweep_id: str,
    now: datetime,
    digests: dict[int, dict],
) -> None:
    """Add this batch's complaints to each office's digest of this sweep (one row per office).

    Only this sweep writes its digests (the dedupe key holds the sweep id), so their context is
    kept in `digests` and written without reading it back: in full while the listed complaints
    grow, then only the counts.
    """
    to_create, full, counts_only = [], [], []
    for office_id, bucket in per_office.items():
        digest = digests.get(office_id)
        if digest is None:
            office = ladder.offices[office_id]
            recipients = [office["notification_email"], *ladder.heads.get(office_id, [])]
            recipients = list(dict.fromkeys(email for email in recipients if email))
            if not recipients:
                logger.warning("office %s has no notification e-mail and no head", office_id)
                continue
            context = {
                "office": office["name"],
                "cc": recipients[1:],
                "counts": {"in": 0, "out": 0, "overdue": 0, **bucket["counts"]},
                "items": bucket["items"][:DIGEST_MAX_LISTED],
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
        context = digest["context"]
        for direction, count in bucket["counts"].items():
            context["counts"][direction] += count
        room = DIGEST_MAX_LISTED - len(context["items"])
        if room > 0 and bucket["items"]:
            context["items"].extend(bucket["items"][:room])
            full.append(Notification(pk=digest["id"], context=context))
        else:
            counts_only.append((digest["id"], context["counts"]))
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
        Notification.objects.bulk_update(
            [Notification(pk=pk, context=digests_by_id(digests)[pk]) for pk, _c in counts_only],
            ["context"],
        )
    if to_create:
        created = Notification.objects.bulk_create(to_create)
        if not connection.features.can_return_rows_from_bulk_insert:
            created = Notification.objects.filter(
                dedupe_key__in=[row.dedupe_key for row in to_create]
            )
        for row in created:
            digests[row.office_id] = {"id": row.pk, "context": row.context}


def digests_by_id(digests: dict[int, dict]) -> dict[int, dict]:
    return {digest["id"]: digest["context"] for digest in digests.values()}


def _digest_release(*, notification_ids: list[int]) -> None:
    """The sweep is over: its digests are due now, and handed to the broker after commit."""
    Notification.objects.filter(id__in=notification_ids, status="pending").update(
        next_attempt_at=timezone.now()
    )
    for notification_id in notification_ids:
        transaction.on_commit(
            lambda notification_id=notification_id: notification_publish(
                notification_id=notification_id
            )
        )


def complaint_overdue_count(*, now: datetime | None = None) -> int:
    """How many open complaints are past their deadline (for the command and dashboards)."""
    now = now or timezone.now()
    return Complaint.objects.filter(status__in=OPEN_STATUSES, due_at__lte=now).count()
