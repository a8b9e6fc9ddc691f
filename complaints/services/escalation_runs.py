"""One escalation sweep at a time, whichever node or cron line starts it, each start recorded.

The task `complaints.escalate_overdue` and `manage.py escalate_overdue` both come here; the
sweep itself (complaints.services.escalation) is unchanged and still safe to run concurrently.
Excluding overlapping runs keeps the record simple to check (portal.sweep_runs: one `SweepRun`
row per start, `skipped` when another run held the lock) and saves a second sweep from walking
rows the first one holds.
"""

from __future__ import annotations

from typing import Any

from complaints.services.escalation import (
    ESCALATION_BATCH_SIZE,
    complaint_escalate_overdue,
    escalation_sweep_finished_record,
)
from portal.sweep_runs import sweep_run_recorded

ESCALATION_SWEEP = "escalation"


def escalation_sweep_run(*, batch_size: int = ESCALATION_BATCH_SIZE) -> dict[str, Any]:
    """One recorded sweep: its figures, or `{"skipped": True}` when another run was under way."""
    with sweep_run_recorded(sweep=ESCALATION_SWEEP) as run:
        if run.skipped:
            return {"skipped": True}
        result = complaint_escalate_overdue(batch_size=batch_size)
        escalation_sweep_finished_record()
        run.result = result.as_dict()
    return run.result
