"""One run of a periodic sweep at a time across every node, and a record that proves it.

`sweep_run_recorded(sweep=...)` wraps a sweep's body (the escalation sweep's task and command).
On PostgreSQL it first tries a session advisory lock named after the sweep
(`pg_try_advisory_lock`), which every node's connection to the one database sees:

- held by another run: the run is recorded as `skipped` and the body does not run. A beat tick
  that comes while a long sweep is still working has nothing to add: the running sweep takes
  every overdue row it finds;
- taken: a `running` row is written (its start by the database clock, after the lock was taken),
  the body runs, the row is closed as `finished` or `failed` (its end by the database clock,
  before the lock is released), then the lock is released.

So the `[started_at, finished_at]` intervals of the runs that ran never overlap while the lock
works, and `bench/load.py` checks exactly that after a two-node load. PostgreSQL releases a
session lock when its connection ends, so a worker killed mid-sweep does not hold it forever;
the next run that takes the lock marks the dead one's row `abandoned` (nobody else can be running
then). If the lock was gone when the run tried to release it (its connection was replaced on the
way), the row says `lock_lost`: that run's exclusivity is not proven.

SQLite (`make run`, one worker) has no advisory locks: every run runs, its write transactions are
serialised by SQLite, and the sweeps are safe to run concurrently anyway (SKIP LOCKED on
PostgreSQL, guarded updates, unique events); the rows are still written.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, Value
from django.db.models.functions import Now

from portal.choices import SweepRunOutcome
from portal.models import SweepRun

logger = logging.getLogger(__name__)

# A month of runs answers "did two sweeps ever overlap, and which node ran them" for any recent
# incident; at one run a minute (beat) plus skipped starts that is under 100,000 small rows.
SWEEP_RUN_KEEP_DAYS = 30


@dataclass
class SweepRunHandle:
    """What the body of a recorded run sees: `skipped` (do nothing) and `result` (kept in the
    row: the body's figures, e.g. how many complaints it escalated)."""

    run_id: int
    skipped: bool
    result: dict = field(default_factory=dict)


def sweep_lock_key(sweep: str) -> int:
    """The advisory lock's 64-bit key: stable across processes and releases (no Python hash())."""
    digest = hashlib.sha256(f"portal.sweep:{sweep}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _node_name() -> str:
    """The Celery node running the current task (`worker1@host`), else the machine's name."""
    from celery import current_task

    request = getattr(current_task, "request", None) if current_task else None
    return getattr(request, "hostname", None) or socket.gethostname()


# The lock lives as long as the holder's database session. A worker that dies closes its socket and
# PostgreSQL frees the lock at once; a machine that vanishes from the network sends nothing, and the
# server would keep the session (and stop every sweep) until the kernel's keepalive gives up, two
# hours by default. These keepalives on the server's side of the holder's session end it within
# about 90 s (60 s idle, then 3 probes 10 s apart).
_LOCK_TRY_SQL = (
    "SELECT set_config('tcp_keepalives_idle', '60', false),"
    " set_config('tcp_keepalives_interval', '10', false),"
    " set_config('tcp_keepalives_count', '3', false),"
    " pg_try_advisory_lock(%s)"
)


def _lock_try(key: int) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_TRY_SQL, [key])
        return bool(cursor.fetchone()[-1])


def _lock_release(key: int) -> bool:
    """Release the lock; False when this connection no longer held it."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return bool(cursor.fetchone()[0])


def _runs_prune(*, sweep: str) -> None:
    # The database clock, as the rows: a process clock set elsewhere must not prune recent runs.
    cutoff = ExpressionWrapper(
        Now() - Value(timedelta(days=SWEEP_RUN_KEEP_DAYS), output_field=DurationField()),
        output_field=DateTimeField(),
    )
    SweepRun.objects.filter(sweep=sweep, started_at__lt=cutoff).delete()


@contextmanager
def sweep_run_recorded(*, sweep: str, node: str | None = None) -> Iterator[SweepRunHandle]:
    """Run the body only if no other run of `sweep` holds its lock; record the run either way."""
    node = (node or _node_name())[:200]
    pid = os.getpid()
    key = sweep_lock_key(sweep)
    if not _lock_try(key):
        skipped = SweepRun.objects.create(
            sweep=sweep,
            node=node,
            pid=pid,
            outcome=SweepRunOutcome.SKIPPED,
            started_at=Now(),
            finished_at=Now(),
        )
        logger.info("%s sweep already running elsewhere; this run (%s) skipped", sweep, node)
        yield SweepRunHandle(run_id=skipped.pk, skipped=True)
        return
    run_id = None
    try:
        # The lock is ours, so a row still `running` belongs to a process that died holding it.
        SweepRun.objects.filter(sweep=sweep, outcome=SweepRunOutcome.RUNNING).update(
            outcome=SweepRunOutcome.ABANDONED
        )
        run_id = SweepRun.objects.create(
            sweep=sweep, node=node, pid=pid, outcome=SweepRunOutcome.RUNNING, started_at=Now()
        ).pk
        handle = SweepRunHandle(run_id=run_id, skipped=False)
        try:
            yield handle
        except BaseException:
            SweepRun.objects.filter(pk=run_id).update(
                outcome=SweepRunOutcome.FAILED, finished_at=Now(), result=handle.result
            )
            raise
        SweepRun.objects.filter(pk=run_id).update(
            outcome=SweepRunOutcome.FINISHED, finished_at=Now(), result=handle.result
        )
        _runs_prune(sweep=sweep)
    finally:
        if not _lock_release(key):
            logger.error("%s sweep lost its lock before the end (run on %s)", sweep, node)
            if run_id is not None:
                SweepRun.objects.filter(pk=run_id).update(outcome=SweepRunOutcome.LOCK_LOST)
