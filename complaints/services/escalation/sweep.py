"""The sweep itself: batches of overdue complaints, each moved one office up in one transaction.

Per batch (see the package docstring for the whole picture):
1. claim up to `batch_size` overdue rows by deadline (sql.batch_lock, SKIP LOCKED);
2. decide each row's next office and deadline and the service-standard targets it missed;
3. move them with one guarded UPDATE (sql.move) and write their events (sql.events_insert);
4. mark the complaints at the top of the ladder as re-notified today;
5. add the batch to the offices' digests (digest.digest_write), then commit.

On PostgreSQL the batches are shared by ESCALATION_WORKERS threads, each with its own
connection. What they share is `Sweep`: the result and the digests, guarded by one lock that a
batch holds from its digest write until its commit, so the digests on disk always match the
committed batches (a failed batch gives its counts back before anyone else reads them).
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from complaints.choices import SlaStage
from complaints.services.escalation import digest as digest_module
from complaints.services.escalation import sql
from complaints.services.escalation.digest import Digest, DigestBucket, DigestItem, bucket_for
from complaints.services.escalation.ladder import Ladder, LadderOffice, ladder_load
from complaints.services.escalation.sql import OverdueRow
from complaints.services.events import EscalationEventRow
from complaints.services.sla import (
    STANDARD_STAGES,
    WorkingCalendar,
    calendar_load,
    complaint_standard_breaches_record_due,
    escalation_next_deadline,
    sla_local_today,
    standard_breaches_due,
)

logger = logging.getLogger("complaints.services.escalation")

# 2,500 rows per transaction: 100,000 overdue complaints take 40 round trips of 5 statements
# (the budget is 10 s; each batch also rewrites the digests' counts, so fewer batches matter),
# and the row locks are held for about a quarter of a second, so an officer saving one of
# those complaints barely waits.
ESCALATION_BATCH_SIZE = 2500


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

    def as_dict(self) -> dict[str, object]:
        return {
            "escalated": self.escalated,
            "renotified": self.renotified,
            "batches": self.batches,
            "notifications": len(self.notifications),
            "breached": sum(self.breached.values()),
            "breached_by_stage": dict(self.breached),
        }


@dataclass
class BatchOutcome:
    escalated: int = 0
    renotified: int = 0
    breached: dict[str, int] = field(default_factory=dict)


@dataclass
class Sweep:
    """What the workers of one sweep share. `lock` guards the result, the digests and each
    batch's commit, so digests are written by one batch at a time, in commit order."""

    now: datetime
    today: date
    sweep_id: str
    calendar: WorkingCalendar
    ladder: Ladder
    include_top: bool
    batch_size: int
    max_batches: int | None
    result: SweepResult = field(default_factory=SweepResult)
    digests: dict[int, Digest] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def count(self, *, outcome: BatchOutcome, sign: int = 1) -> None:
        """Add a committed batch to the result (sign -1: take back a rolled-back one)."""
        self.result.escalated += sign * outcome.escalated
        self.result.renotified += sign * outcome.renotified
        for stage, number in outcome.breached.items():
            self.result.breached[stage] += sign * number


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
    today = sla_local_today(now=now)
    # The idle sweep (most minutes) is this one query on the partial indexes; nothing else is
    # read. The same query asks the service standard's partial indexes whether a target passed.
    found = sql.probe(now=now, today=today)
    if "overdue" not in found:
        result = SweepResult()
        if found:
            result.breached = complaint_standard_breaches_record_due(now=now, stages=found)
        return result
    calendar = calendar_load()
    sweep = Sweep(
        now=now,
        today=today,
        sweep_id=uuid.uuid4().hex[:16],
        calendar=calendar,
        ladder=ladder_load(),
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
    result.notifications = sorted(digest.id for digest in sweep.digests.values())
    if result.notifications:
        digest_module.digest_release(notification_ids=result.notifications, now=now)
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


def _sweep_in_threads(sweep: Sweep, *, workers: int) -> None:
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


def _batch_reserve(sweep: Sweep) -> bool:
    """Count a batch before it starts (max_batches holds across workers); False when spent."""
    with sweep.lock:
        if sweep.max_batches is not None and sweep.result.batches >= sweep.max_batches:
            return False
        sweep.result.batches += 1
        return True


def _sweep_batches(sweep: Sweep) -> None:
    """One worker: batches until nothing overdue is left to claim (or another worker failed)."""
    after: tuple[datetime, int] | None = None
    while not sweep.stop.is_set() and _batch_reserve(sweep):
        holding_lock = False
        saved_digests: dict[int, Digest] = {}
        outcome = BatchOutcome()
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
                rows = sql.batch_lock(
                    now=sweep.now,
                    today=sweep.today,
                    include_top=sweep.include_top,
                    batch_size=sweep.batch_size,
                    after=after,
                )
                if not rows:
                    with sweep.lock:
                        sweep.result.batches -= 1  # the reservation was not used
                    return
                after = (rows[-1].due_at, rows[-1].id)
                per_office: dict[int, DigestBucket] = {}
                offices = sweep.ladder.offices
                climbing = [row for row in rows if offices[row.office_id].parent_id]
                at_top = [
                    row
                    for row in rows
                    if sweep.include_top and not offices[row.office_id].parent_id
                ]
                outcome.escalated, outcome.breached = _escalate(
                    rows=climbing, sweep=sweep, per_office=per_office
                )
                outcome.renotified = _renotify_top(rows=at_top, sweep=sweep, per_office=per_office)
                # Held until this batch has committed: the next batch's digest write starts
                # from counts that are on disk.
                sweep.lock.acquire()
                holding_lock = True
                saved_digests = {key: digest.copy() for key, digest in sweep.digests.items()}
                digest_module.digest_write(
                    per_office=per_office,
                    ladder=sweep.ladder,
                    sweep_id=sweep.sweep_id,
                    now=sweep.now,
                    digests=sweep.digests,
                )
                sweep.count(outcome=outcome)
        except BaseException:
            sweep.stop.set()
            if holding_lock:
                # The batch rolled back: so do its counts, before another worker reads them.
                sweep.digests.clear()
                sweep.digests.update(saved_digests)
                sweep.count(outcome=outcome, sign=-1)
            raise
        finally:
            if holding_lock:
                sweep.lock.release()


def _escalate(
    *, rows: list[OverdueRow], sweep: Sweep, per_office: dict[int, DigestBucket]
) -> tuple[int, dict[str, int]]:
    """Move `rows` one office up; returns (moved, {stage: breaches recorded on the way})."""
    if not rows:
        return 0, {}
    ladder, now = sweep.ladder, sweep.now
    for row in rows:
        # The row is locked: the service-standard targets it has passed are recorded by the
        # same UPDATE that moves it (one write per row, not two).
        row.breaches = standard_breaches_due(get=row.get, now=now)
        grace = ladder.grace_for(category_id=row.category_id, priority=row.priority)
        if grace not in ladder.deadlines:
            ladder.deadlines[grace] = escalation_next_deadline(
                grace_working_days=grace, now=now, calendar=sweep.calendar
            )
        row.next_due = ladder.deadlines[grace]
        row.to_office = ladder.offices[row.office_id].parent_id or row.office_id
    moved = sql.move(rows=rows, now=now)
    if len(moved) != len(rows):
        # A row changed between read and update (only possible without row locks, or when an
        # officer saved it meanwhile): only the rows this sweep really moved go on.
        rows = [row for row in rows if row.id in moved]
    breached: dict[str, int] = {}
    if connection.vendor == "postgresql":  # the portable move leaves them to the breach pass
        for stage in STANDARD_STAGES:
            count = sum(1 for row in rows if stage.breach in row.breaches)
            if count:
                breached[stage.stage] = count
    texts: dict[tuple[int, str, str, int], int] = {}
    text_list: list[tuple[str, str]] = []
    events: list[EscalationEventRow] = []
    due_iso: dict[datetime, str] = {}
    for row in rows:
        old_office = ladder.offices[row.office_id]
        new_office = ladder.offices[row.to_office]
        next_due = row.next_due
        assert next_due is not None  # noqa: S101 (set above; narrows the type)
        level = row.escalation_level + 1
        key = (old_office.id, row.language, row.sla_stage, level)
        if key not in texts:
            texts[key] = len(text_list)
            text_list.append(
                _event_texts(old_office=old_office, new_office=new_office, row=row, level=level)
            )
        events.append(
            EscalationEventRow(
                row.id,
                level,
                texts[key],
                old_office.id,
                new_office.id,
                row.due_at,
                row.sla_stage,
                next_due,
            )
        )
        outgoing = bucket_for(per_office=per_office, office_id=old_office.id)
        incoming = bucket_for(per_office=per_office, office_id=new_office.id)
        if not outgoing.has_room():
            outgoing.counts["out"] += 1
        else:
            outgoing.add(
                DigestItem(row.reference, level, row.sla_stage, "out", office=new_office.name)
            )
        if not incoming.has_room():
            incoming.counts["in"] += 1
        else:
            if next_due not in due_iso:
                due_iso[next_due] = next_due.isoformat()
            incoming.add(
                DigestItem(
                    row.reference,
                    level,
                    row.sla_stage,
                    "in",
                    due_at=due_iso[next_due],
                    office=old_office.name,
                )
            )
    sql.events_insert(events=events, texts=text_list, now=now)
    return len(rows), breached


def _event_texts(
    *, old_office: LadderOffice, new_office: LadderOffice, row: OverdueRow, level: int
) -> tuple[str, str]:
    """(internal body, public line) of an escalation event; computed once per distinct key."""
    with translation.override(row.language or settings.LANGUAGE_CODE):
        public_line = gettext("Forwarded to %(office)s for follow-up.") % {
            "office": new_office.name
        }
    with translation.override(settings.LANGUAGE_CODE):
        internal = gettext(
            "%(stage)s deadline lapsed; escalated from %(old)s to %(new)s (level %(level)s)."
        ) % {
            "stage": SlaStage(row.sla_stage).label,
            "old": old_office.name,
            "new": new_office.name,
            "level": level,
        }
    return internal, public_line


def _renotify_top(
    *, rows: list[OverdueRow], sweep: Sweep, per_office: dict[int, DigestBucket]
) -> int:
    """Complaints at the top of the ladder stay overdue; their office hears once a working day."""
    marked = sql.top_renotify_mark(rows=rows, now=sweep.now, today=sweep.today)
    for row in marked:
        bucket_for(per_office=per_office, office_id=row.office_id).add(
            DigestItem(
                row.reference,
                row.escalation_level,
                row.sla_stage,
                "overdue",
                due_at=row.due_at.isoformat(),
            )
        )
    return len(marked)
