"""A complaint's status: the one function that changes it, and the table of allowed moves.

`complaint_transition` owns the rule: the allowed-transitions table, the SLA clock (pause,
resume, new stage, stop), the milestone timestamps and the public status event. Callers hold the
row lock and the transaction and add what is theirs: triage checks the officer's scope first and
tells the reporter; closure closes long-waiting complaints and lets a reporter reopen.

The escalation sweep never changes a status; it moves complaints whose office deadline runs,
`ESCALATION_STATUSES`, and its set-based SQL reads that constant (a test holds it to the table).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.choices import OPEN_STATUSES, TERMINAL_STATUSES, Status
from complaints.models import Complaint, ComplaintEvent
from complaints.services.events import complaint_status_event
from complaints.services.sla import complaint_sla_on_status_change
from portal.exceptions import ApplicationError
from portal.types import StaffUser

# The status workflow. Anything not listed here is refused. Reopening is the way back from a
# finished state and always lands in "in progress".
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset(
        {Status.VERIFIED, Status.WAITING_REPORTER, Status.REJECTED, Status.DUPLICATE}
    ),
    Status.VERIFIED: frozenset(
        {Status.IN_PROGRESS, Status.WAITING_REPORTER, Status.REJECTED, Status.DUPLICATE}
    ),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.WAITING_REPORTER, Status.DUPLICATE}),
    Status.WAITING_REPORTER: frozenset(
        {Status.VERIFIED, Status.IN_PROGRESS, Status.REJECTED, Status.CLOSED}
    ),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.REJECTED: frozenset({Status.IN_PROGRESS}),
    Status.DUPLICATE: frozenset({Status.IN_PROGRESS}),
}

# Statuses a complaint can be reopened from.
REOPENABLE_STATUSES = frozenset({Status.RESOLVED, *TERMINAL_STATUSES})

# Where the office deadline runs and the escalation sweep may move a complaint up the ladder:
# work not finished (a finished case has no deadline) and not waiting for the reporter (the
# clock is paused). The sweep's SQL guard uses these values.
ESCALATION_STATUSES: tuple[str, ...] = tuple(OPEN_STATUSES)


def transition_allowed(*, current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


def allowed_targets(*, current: str) -> list[str]:
    """The statuses a complaint in `current` may move to, in the order of `Status`."""
    allowed = ALLOWED_TRANSITIONS.get(current, frozenset())
    return [status for status in Status.values if status in allowed]


def complaint_transition(
    *,
    complaint: Complaint,
    to: str,
    actor: StaffUser | None = None,
    by_reporter: bool = False,
    public_message: str = "",
    body: str | None = None,
    duplicate_of: Complaint | None = None,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> ComplaintEvent:
    """Move a complaint, locked by the caller inside its transaction, to status `to`.

    Refuses a move the table does not allow (ApplicationError) and a duplicate without its
    original (ValidationError). Sets the milestones (verified, resolved, closed; cleared on
    reopening), moves the SLA clock, saves the changed fields and writes one public status event
    whose public line is `public_message` (its full text `body`, by default the same). Returns
    the event; notifying the reporter is the caller's choice.
    """
    previous = complaint.status
    if to not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not transition_allowed(current=previous, target=to):
        raise ApplicationError(
            _("A complaint that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(previous).label, "target": Status(to).label}
        )
    if to == Status.DUPLICATE and duplicate_of is None:
        raise ValidationError({"duplicate_of": _("Say which complaint this one duplicates.")})
    now = now or timezone.now()
    # The SLA module moves the clock (pause, resume, new stage, stop) while the old status is
    # still on the row; see complaint_sla_on_status_change.
    fields = [
        "status",
        "updated_at",
        *complaint_sla_on_status_change(complaint=complaint, new_status=to, now=now),
    ]
    complaint.status = to
    if to == Status.VERIFIED and not complaint.verified_at:
        complaint.verified_at = now
        fields.append("verified_at")
    if to == Status.RESOLVED:
        complaint.resolved_at = now
        fields.append("resolved_at")
    if to == Status.CLOSED:
        complaint.closed_at = now
        fields.append("closed_at")
    if to == Status.DUPLICATE:
        complaint.duplicate_of = duplicate_of
        fields.append("duplicate_of")
    if previous in REOPENABLE_STATUSES and to == Status.IN_PROGRESS:
        complaint.resolved_at = None
        complaint.closed_at = None
        complaint.duplicate_of = None
        fields += ["resolved_at", "closed_at", "duplicate_of"]
    complaint.save(update_fields=sorted(set(fields)))
    return complaint_status_event(
        complaint=complaint,
        previous=previous,
        to=to,
        actor=actor,
        by_reporter=by_reporter,
        body=public_message if body is None else body,
        public_body=public_message,
        data={
            **({"duplicate_of": duplicate_of.reference} if duplicate_of else {}),
            **(data or {}),
        },
    )
