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

The package: `sweep` (the batches, their workers and what they share), `sql` (the statements:
claim, move, events, re-notify), `digest` (the offices' e-mails), `ladder` (offices, heads and
grace, loaded once per sweep). Callers import from the package.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

from complaints.services.escalation.digest import (
    DIGEST_MAX_LISTED,
    DIGEST_SETTLE_SECONDS,
    DIGEST_TEMPLATE,
)
from complaints.services.escalation.sweep import (
    ESCALATION_BATCH_SIZE,
    SweepResult,
    complaint_escalate_overdue,
)

__all__ = [
    "DIGEST_MAX_LISTED",
    "DIGEST_SETTLE_SECONDS",
    "DIGEST_TEMPLATE",
    "ESCALATION_BATCH_SIZE",
    "SWEEP_FINISHED_CACHE_KEY",
    "SweepResult",
    "complaint_escalate_overdue",
    "escalation_last_sweep_finished",
    "escalation_sweep_finished_record",
]

logger = logging.getLogger(__name__)

SWEEP_FINISHED_CACHE_KEY = "escalation:last-sweep-finished"


def escalation_sweep_finished_record(*, at: float | None = None) -> None:
    """Note when a sweep finished (cache: one key, read by /metrics for the
    `portal_escalation_last_sweep_age_seconds` gauge). A dead cache must not fail the sweep."""
    try:
        cache.set(SWEEP_FINISHED_CACHE_KEY, at if at is not None else time.time(), None)
    except Exception as error:
        logger.warning("could not record the sweep's end: %s", type(error).__name__)


def escalation_last_sweep_finished() -> float | None:
    """Unix time the last sweep finished, or None when unknown (never, or the cache lost it)."""
    try:
        finished = cache.get(SWEEP_FINISHED_CACHE_KEY)
    except Exception:
        return None
    return float(finished) if finished is not None else None
