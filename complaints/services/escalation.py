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
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Q, Value, When
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
from complaints.services.events import (
    ESCALATION_INSTANT_SQL_FORMAT,
    EscalationEventRow,
    complaint_escalation_events,
)
from complaints.services.notifications import notification_publish
from complaints.services.sla import (
    STANDARD_ROW_FIELDS,
    STANDARD_STAGES,
    WorkingCalendar,
    calendar_load,
    complaint_standard_breaches_record_due,
    escalation_next_deadline,
    probes_found,
    sla_local_today,
    standard_breach_probes,
    standard_breaches_due,
)
from portal.choices import Role
from portal.models import Membership, Office

logger = logging.getLogger(__name__)

# 2,500 rows per transaction: 100,000 overdue complaints take 40 round trips of 5 statements
# (the budget is 10 s; each batch also rewrites the digests' counts, so fewer batches matter),
# and the row locks are held for about a quarter of a second, so an officer saving one of
# those complaints barely waits.
ESCALATION_BATCH_SIZE = 2500
# A digest accumulates over the batches of one sweep and is released when the sweep ends. If the
# sweep dies first, the requeue task still sends it after this delay (longer than the task's
# hard time limit, so a live sweep has always finished by then).
DIGEST_SETTLE_SECONDS = 600
# An office's digest lists at most this many complaints and counts the rest: one readable e-mail.
DIGEST_MAX_LISTED = 300
DIGEST_TEMPLATE = "escalation_digest"
DEFAULT_GRACE_WORKING_DAYS = SlaPolicy._meta.get_field("escalation_grace_working_days").default


def _no_breaches() -> dict[str, int]:
    return {stage.stage: 0 for stage in STANDARD_STAGES}


@dataclass
class SweepResult:
    escalated: int = 0
    renotified: int = 0
    batches: int = 0
    notifications: list[int] = field(default_factory=list)
    # Service-standard targets missed and recorded by this sweep, per stage (SlaStage values).
    breached: dict[str, int] = field(default_factory=_no_breaches)

    def as_dict(self) -> dict:
        return {
            "escalated": self.escalated,
            "renotified": self.renotified,
            "batches": self.batches,
            "notifications": len(self.notifications),
            "breached": sum(self.breached.values()),
            "breached_by_stage": dict(self.breached),
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
    *STANDARD_ROW_FIELDS,
)


def _overdue(*, now: datetime, today: date, include_top: bool):
    queryset = Complaint.objects.filter(
        status__in=OPEN_STATUSES, due_at__lte=now, paused_at__isnull=True
    ).filter(Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today))
    if not include_top:
        queryset = queryset.filter(office__parent__isnull=False)
    return queryset


def _lock_batch(
    *, now: datetime, today: date, include_top: bool, batch_size: int, after: tuple | None
) -> list:
    queryset = _overdue(now=now, today=today, include_top=include_top)
    if after is not None:
        # Keyset: each batch starts where the last ended, so it does not walk again over the
        # index entries the earlier batches left behind (dead until vacuum).
        last_due, last_id = after
        queryset = queryset.filter(due_at__gte=last_due).exclude(due_at=last_due, id__lte=last_id)
    queryset = queryset.order_by("due_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return [
        dict(zip(_ROW_FIELDS, row, strict=True))
        for row in queryset.values_list(*_ROW_FIELDS)[:batch_size]
    ]


@dataclass
class _Sweep:
    """What the workers of one sweep share. `lock` guards the result, the digests and each
    batch's commit, so digests are written by one batch at a time, in commit order."""

    now: datetime
    today: date
    sweep_id: str
    calendar: WorkingCalendar
    ladder: _Ladder
    include_top: bool
    batch_size: int
    max_batches: int | None
    result: SweepResult = field(default_factory=SweepResult)
    digests: dict[int, dict] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


SWEEP_FINISHED_CACHE_KEY = "escalation:last-sweep-finished"


def escalation_sweep_finished_record(*, at: float | None = None) -> None:
    """Note when a sweep finished (cache: one key, read by /metrics for the
    `portal_escalation_last_sweep_age_seconds` gauge). A dead cache must not fail the sweep."""
    import time

    from django.core.cache import cache

    try:
        cache.set(SWEEP_FINISHED_CACHE_KEY, at if at is not None else time.time(), None)
    except Exception as error:
        logger.warning("could not record the sweep's end: %s", type(error).__name__)


def escalation_last_sweep_finished() -> float | None:
    """Unix time the last sweep finished, or None when unknown (never, or the cache lost it)."""
    from django.core.cache import cache

    try:
        return cache.get(SWEEP_FINISHED_CACHE_KEY)
    except Exception:
        return None


def complaint_escalate_overdue(
    *,
    now: datetime | None = None,
    batch_size: int = ESCALATION_BATCH_SIZE,
    max_batches: int | None = None,
    workers: int | None = None,
) -> SweepResult:
    """One sweep over every overdue complaint; returns how many were escalated and re-notified.

    Safe to run concurrently and twice: rows are claimed with SKIP LOCKED, updates are guarded,
    events are unique per level and digests have a per-sweep dedupe key. On PostgreSQL the
    batches are shared by `workers` threads (ESCALATION_WORKERS), each with its own connection:
    most of a batch is the database writing index entries, which two backends do side by side.
    """
    now = now or timezone.now()
    today = sla_local_today(now)
    # The idle sweep (most minutes) is this one query on the partial index; nothing else is read.
    # Ordered by deadline so PostgreSQL walks the index: with `exists()` (no order) statistics
    # taken before a big sweep still promise many overdue rows, and it chose a sequential scan
    # of the whole table (0.5 s at a million complaints) until the next ANALYZE.
    # The same query asks the service standard's partial indexes whether a target passed.
    found = _probe(now=now, today=today)
    if "overdue" not in found:
        result = SweepResult()
        if found:
            result.breached = complaint_standard_breaches_record_due(now=now, stages=found)
        return result
    calendar = calendar_load()
    sweep = _Sweep(
        now=now,
        today=today,
        sweep_id=uuid.uuid4().hex[:16],
        calendar=calendar,
        ladder=_ladder_load(),
        # Weekends and holidays: climbing continues, re-notifying the top waits.
        include_top=calendar.is_working_day(today),
        batch_size=batch_size,
        max_batches=max_batches,
    )
    workers = workers or settings.ESCALATION_WORKERS
    # Threads have their own connections and cannot see a caller's uncommitted transaction
    # (a test, or a caller inside atomic()); SQLite has no SKIP LOCKED: one worker then.
    if workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        _sweep_in_threads(sweep, workers=workers)
    else:
        _sweep_batches(sweep)
    result = sweep.result
    # The escalation batches recorded the breaches of the complaints they moved (same UPDATE);
    # these are the rest: complaints at the top, or whose office deadline has not lapsed.
    for stage, count in complaint_standard_breaches_record_due(now=now).items():
        result.breached[stage] += count
    result.notifications = sorted(digest["id"] for digest in sweep.digests.values())
    if result.notifications:
        _digest_release(notification_ids=result.notifications, now=now)
    if result.escalated or result.renotified or any(result.breached.values()):
        logger.info(
            "escalation sweep %s: %s escalated, %s re-notified, %s batches, breaches %s",
            sweep.sweep_id,
            result.escalated,
            result.renotified,
            result.batches,
            result.breached,
        )
    return result


# The idle probe runs every minute and finds nothing most of the time: its SQL (four index probes
# in one UNION ALL) is compiled once per process and database, then run with the new instants.
# Compiling it took longer than running it (about 20 ms against 1 on a busy machine).
_PROBE_NOW = datetime(2000, 1, 1, tzinfo=UTC)
_PROBE_TODAY = date(2000, 1, 1)
_probe_sql: dict[str, tuple[str, list]] = {}


def _probe_queries(*, now: datetime, today: date) -> list:
    first_overdue = (
        _overdue(now=now, today=today, include_top=True)
        .order_by("due_at")
        .annotate(probe=Value("overdue", output_field=CharField()))
        .values_list("id", "probe")[:1]
    )
    return [first_overdue, *standard_breach_probes(now=now)]


def _probe(*, now: datetime, today: date) -> set[str]:
    """Is anything overdue ("overdue"), which service-standard stages have a target passed?"""
    if not connection.features.supports_slicing_ordering_in_compound:
        return probes_found(_probe_queries(now=now, today=today))
    key = connection.alias
    if key not in _probe_sql:
        first, *others = _probe_queries(now=_PROBE_NOW, today=_PROBE_TODAY)
        sql, params = first.union(*others, all=True).query.sql_with_params()
        _probe_sql[key] = (sql, list(params))
    sql, params = _probe_sql[key]
    values = {_PROBE_NOW: now, _PROBE_TODAY: today}
    bound = [values.get(param, param) if isinstance(param, date) else param for param in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        return {probe for _id, probe in cursor.fetchall()}


def _sweep_in_threads(sweep: _Sweep, *, workers: int) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            _sweep_batches(sweep)
        except BaseException as error:  # re-raised in the calling thread
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=work, name=f"escalation-{number}") for number in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _sweep_batches(sweep: _Sweep) -> None:
    """One worker: batches until nothing overdue is left to claim (or another worker failed)."""
    after: tuple | None = None
    ladder = sweep.ladder
    while not sweep.stop.is_set():
        with sweep.lock:
            if sweep.max_batches is not None and sweep.result.batches >= sweep.max_batches:
                return
            sweep.result.batches += 1  # reserved; given back if the batch is empty
        holding_lock = False
        saved_digests: dict[int, dict] = {}
        counted: tuple[int, int, dict[str, int]] = (0, 0, {})
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # The sweep is idempotent: if the server crashed before a batch reached
                    # disk, the next sweep redoes it. Not waiting for the WAL flush per batch
                    # saves an fsync per batch. Foreign keys are checked as each statement runs,
                    # not at COMMIT: a batch's 5,000 checks then run alongside the other
                    # worker instead of inside the commit that the digest lock serialises.
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "SET LOCAL synchronous_commit = off; SET CONSTRAINTS ALL IMMEDIATE"
                        )
                rows = _lock_batch(
                    now=sweep.now,
                    today=sweep.today,
                    include_top=sweep.include_top,
                    batch_size=sweep.batch_size,
                    after=after,
                )
                if not rows:
                    with sweep.lock:
                        sweep.result.batches -= 1
                    return
                after = (rows[-1]["due_at"], rows[-1]["id"])
                per_office: dict[int, dict] = {}
                climbing = [row for row in rows if ladder.offices[row["office_id"]]["parent_id"]]
                at_top = [
                    row
                    for row in rows
                    if not ladder.offices[row["office_id"]]["parent_id"] and sweep.include_top
                ]
                escalated, breached = _escalate(
                    rows=climbing,
                    now=sweep.now,
                    ladder=ladder,
                    calendar=sweep.calendar,
                    per_office=per_office,
                )
                renotified = _renotify_top(
                    rows=at_top, now=sweep.now, today=sweep.today, per_office=per_office
                )
                # Held until this batch has committed: the next batch's digest write starts
                # from counts that are on disk.
                sweep.lock.acquire()
                holding_lock = True
                saved_digests = _digests_copy(sweep.digests)
                _digest_write(
                    per_office=per_office,
                    ladder=ladder,
                    sweep_id=sweep.sweep_id,
                    now=sweep.now,
                    digests=sweep.digests,
                )
                sweep.result.escalated += escalated
                sweep.result.renotified += renotified
                for stage, count in breached.items():
                    sweep.result.breached[stage] += count
                counted = (escalated, renotified, breached)
        except BaseException:
            sweep.stop.set()
            if holding_lock:
                # The batch rolled back: so do its counts, before another worker reads them.
                sweep.digests.clear()
                sweep.digests.update(saved_digests)
                sweep.result.escalated -= counted[0]
                sweep.result.renotified -= counted[1]
                for stage, count in counted[2].items():
                    sweep.result.breached[stage] -= count
            raise
        finally:
            if holding_lock:
                sweep.lock.release()


def _digests_copy(digests: dict[int, dict]) -> dict[int, dict]:
    """Digests as they were before a batch: counts and the listed items (not their dicts)."""
    return {
        office_id: {
            "id": digest["id"],
            "context": {
                **digest["context"],
                "counts": dict(digest["context"]["counts"]),
                "items": list(digest["context"]["items"]),
            },
        }
        for office_id, digest in digests.items()
    }


def _escalate(
    *,
    rows: list[dict],
    now: datetime,
    ladder: _Ladder,
    calendar: WorkingCalendar,
    per_office: dict[int, dict],
) -> tuple[int, dict[str, int]]:
    """Move `rows` one office up; returns (moved, {stage: breaches recorded on the way})."""
    if not rows:
        return 0, {}
    for row in rows:
        # The row is locked: the service-standard targets it has passed are recorded by the
        # same UPDATE that moves it (one write per row, not two).
        row["breaches"] = standard_breaches_due(row.get, now)
        grace = ladder.grace_for(category_id=row["category_id"], priority=row["priority"])
        if grace not in ladder.deadlines:
            ladder.deadlines[grace] = escalation_next_deadline(
                grace_working_days=grace, now=now, calendar=calendar
            )
        row["next_due"] = ladder.deadlines[grace]
        row["to_office"] = ladder.offices[row["office_id"]]["parent_id"]
    if connection.vendor == "postgresql":
        moved = _move_postgresql(rows=rows, now=now)
    else:
        moved = _move_portable(rows=rows, now=now)
    if len(moved) != len(rows):
        # A row changed between read and update (only possible without row locks, or when an
        # officer saved it meanwhile): only the rows this sweep really moved go on.
        rows = [row for row in rows if row["id"] in moved]
    breached: dict[str, int] = {}
    if connection.vendor == "postgresql":  # the portable move leaves them to the breach pass
        for stage in STANDARD_STAGES:
            count = sum(1 for row in rows if stage.breach in row["breaches"])
            if count:
                breached[stage.stage] = count
    texts: dict[tuple, int] = {}
    text_list: list[tuple[str, str]] = []
    events: list[tuple] = []
    due_iso: dict[datetime, str] = {}
    for row in rows:
        old_office = ladder.offices[row["office_id"]]
        new_office = ladder.offices[row["to_office"]]
        level = row["escalation_level"] + 1
        key = (old_office["id"], row["language"], row["sla_stage"], level)
        if key not in texts:
            texts[key] = len(text_list)
            text_list.append(
                _event_texts(old_office=old_office, new_office=new_office, row=row, level=level)
            )
        events.append(
            (
                row["id"],
                level,
                texts[key],
                old_office["id"],
                new_office["id"],
                row["due_at"],
                row["sla_stage"],
                row["next_due"],
            )
        )
        # Counted always; listed only while the digest has room (the hot loop of a big sweep).
        outgoing = _digest_bucket(per_office, old_office["id"])
        outgoing["counts"]["out"] += 1
        if len(outgoing["items"]) < DIGEST_MAX_LISTED:
            outgoing["items"].append(
                {
                    "reference": row["reference"],
                    "level": level,
                    "stage": row["sla_stage"],
                    "direction": "out",
                    "office": new_office["name"],
                }
            )
        incoming = _digest_bucket(per_office, new_office["id"])
        incoming["counts"]["in"] += 1
        if len(incoming["items"]) < DIGEST_MAX_LISTED:
            if row["next_due"] not in due_iso:
                due_iso[row["next_due"]] = row["next_due"].isoformat()
            incoming["items"].append(
                {
                    "reference": row["reference"],
                    "level": level,
                    "stage": row["sla_stage"],
                    "direction": "in",
                    "due_at": due_iso[row["next_due"]],
                    "office": old_office["name"],
                }
            )
    _events_insert(events=events, texts=text_list, now=now)
    return len(rows), breached


# The guard repeats the overdue condition and the office read, so a row an officer changed
# between the batch's read and this update is left alone.
_MOVE_SQL = (
    "UPDATE {table} AS c SET office_id = v.to_office, "
    "escalation_level = c.escalation_level + 1, due_at = v.next_due, last_escalated_at = %s, "
    "overdue_notified_on = NULL, updated_at = %s, "
    "verify_breached_at = COALESCE(c.verify_breached_at, v.verify_missed), "
    "first_response_breached_at = COALESCE(c.first_response_breached_at, v.response_missed), "
    "resolve_breached_at = COALESCE(c.resolve_breached_at, v.resolve_missed) "
    "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::timestamptz[], "
    "%s::timestamptz[], %s::timestamptz[], %s::timestamptz[]) "
    "AS v(id, from_office, to_office, next_due, verify_missed, response_missed, resolve_missed) "
    "WHERE c.id = v.id AND c.office_id = v.from_office AND c.status = ANY(%s) "
    "AND c.due_at <= %s AND c.paused_at IS NULL "
    "RETURNING c.id"
)


def _pg_array(values: list) -> str:
    """A PostgreSQL array literal ('{1,2,3}'), cast in SQL (%s::bigint[]). psycopg2 would send a
    list as ARRAY[...] with one expression per element, which PostgreSQL parses and plans
    element by element: for a batch's 8,000 values that parse cost more than the insert."""
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    # Deadlines and stages repeat across a batch: each distinct value is formatted once.
    formatted: dict = {}
    parts = []
    for value in values:
        part = formatted.get(value)
        if part is None:
            if value is None:
                part = "NULL"
            elif isinstance(value, datetime):
                part = value.isoformat()
            else:
                part = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
            formatted[value] = part
        parts.append(part)
    return "{" + ",".join(parts) + "}"


def _move_postgresql(*, rows: list[dict], now: datetime) -> set[int]:
    """One guarded UPDATE ... FROM unnest(arrays) RETURNING id: no SQL text of 1,000 parameters
    to build and parse per batch, and the moved rows come back without a second query."""
    with connection.cursor() as cursor:
        cursor.execute(
            _MOVE_SQL.format(table=Complaint._meta.db_table),
            [
                now,
                now,
                _pg_array([row["id"] for row in rows]),
                _pg_array([row["office_id"] for row in rows]),
                _pg_array([row["to_office"] for row in rows]),
                _pg_array([row["next_due"] for row in rows]),
                *[
                    _pg_array([row["breaches"].get(stage.breach) for row in rows])
                    for stage in STANDARD_STAGES
                ],
                list(OPEN_STATUSES),
                now,
            ],
        )
        return {pk for (pk,) in cursor.fetchall()}


def _move_portable(*, rows: list[dict], now: datetime) -> set[int]:
    """The same guarded update through the ORM (SQLite for `make run`)."""
    moves = {row["office_id"]: row["to_office"] for row in rows}
    by_deadline: dict[datetime, list[int]] = {}
    for row in rows:
        by_deadline.setdefault(row["next_due"], []).append(row["id"])
    ids = [row["id"] for row in rows]
    Complaint.objects.filter(
        id__in=ids,
        status__in=OPEN_STATUSES,
        due_at__lte=now,
        paused_at__isnull=True,
        office_id__in=list(moves),
    ).update(
        office_id=Case(*[When(office_id=old, then=Value(new)) for old, new in moves.items()]),
        escalation_level=F("escalation_level") + 1,
        due_at=Case(
            *[When(id__in=pks, then=Value(deadline)) for deadline, pks in by_deadline.items()]
        ),
        last_escalated_at=now,
        overdue_notified_on=None,
        updated_at=now,
    )
    return set(
        Complaint.objects.filter(id__in=ids, last_escalated_at=now).values_list("id", flat=True)
    )


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


def _digest_bucket(per_office: dict[int, dict], office_id: int) -> dict:
    """This batch's complaints of one office's digest: counts per direction, listed items."""
    bucket = per_office.get(office_id)
    if bucket is None:
        bucket = per_office[office_id] = {"counts": {"in": 0, "out": 0, "overdue": 0}, "items": []}
    return bucket


def _events_insert(*, events: list[tuple], texts: list[tuple[str, str]], now: datetime) -> None:
    """Insert escalation events; ON CONFLICT DO NOTHING on (complaint, level), so a replayed
    batch adds no second event. On PostgreSQL one INSERT ... SELECT FROM unnest(arrays): the few
    distinct texts travel once and the details are built by the database, not per row in Python.
    """
    if not events:
        return
    if connection.vendor == "postgresql":
        columns = zip(*events, strict=True)
        bodies, public_lines = zip(*texts, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ComplaintEvent._meta.db_table} "  # noqa: S608 (our table name)
                "(complaint_id, kind, visibility, by_reporter, level, body, public_body, data, "
                "created_at) "
                "SELECT e.complaint_id, %s, %s, false, e.level, "
                "(%s::text[])[e.text + 1], (%s::text[])[e.text + 1], "
                "jsonb_build_object('from_office', e.from_office, 'to_office', e.to_office, "
                "'lapsed_at', to_char(e.lapsed_at AT TIME ZONE 'UTC', %s), 'stage', e.stage, "
                "'next_due_at', to_char(e.next_due AT TIME ZONE 'UTC', %s)), %s "
                "FROM unnest(%s::bigint[], %s::smallint[], %s::int[], %s::bigint[], "
                "%s::bigint[], %s::timestamptz[], %s::text[], %s::timestamptz[]) "
                "AS e(complaint_id, level, text, from_office, to_office, lapsed_at, stage, "
                "next_due) "
                "ON CONFLICT DO NOTHING",
                [
                    EventKind.ESCALATION.value,
                    Visibility.INTERNAL.value,
                    list(bodies),
                    list(public_lines),
                    ESCALATION_INSTANT_SQL_FORMAT,
                    ESCALATION_INSTANT_SQL_FORMAT,
                    now,
                    *[_pg_array(list(column)) for column in columns],
                ],
            )
        return
    complaint_escalation_events(rows=[EscalationEventRow(*event) for event in events], texts=texts)


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
        bucket = _digest_bucket(per_office, row["office_id"])
        bucket["counts"]["overdue"] += 1
        if len(bucket["items"]) < DIGEST_MAX_LISTED:
            bucket["items"].append(
                {
                    "reference": row["reference"],
                    "level": row["escalation_level"],
                    "stage": row["sla_stage"],
                    "direction": "overdue",
                    "due_at": row["due_at"].isoformat(),
                }
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


def _digest_release(*, notification_ids: list[int], now: datetime) -> None:
    """The sweep is over: its digests are due at the sweep's `now`, handed to the broker after
    commit. The sweep's clock, not the wall clock, so a sweep run for a given instant is
    reproducible."""
    Notification.objects.filter(id__in=notification_ids, status="pending").update(
        next_attempt_at=now
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
