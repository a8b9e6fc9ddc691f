"""Celery tasks of the complaints app: thin, stable names, ids in, one service call each.

Every task is safe to run twice and concurrently (the services guard on state), which is what
`task_acks_late` + `task_reject_on_worker_lost` need: a killed worker's task runs again.
"""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

# Re-enqueue at most this many due rows per run: one minute's worth at a busy time; the next run
# takes the rest, so a long outage drains steadily instead of flooding the broker at once.
REQUEUE_LIMIT = 2000


@shared_task(name="complaints.escalate_overdue", time_limit=300, soft_time_limit=240)
def escalate_overdue(batch_size: int | None = None) -> dict:
    """One sweep, unless another node's is under way (then recorded as skipped)."""
    from complaints.services.escalation import ESCALATION_BATCH_SIZE
    from complaints.services.escalation_runs import escalation_sweep_run

    return escalation_sweep_run(batch_size=batch_size or ESCALATION_BATCH_SIZE)


@shared_task(name="complaints.deliver_notification", time_limit=60, soft_time_limit=45)
def notification_deliver(notification_id: int) -> str:
    """Send one outbox row. Failures are rescheduled on the row itself (backoff in the service)
    and picked up by `complaints.requeue_due_notifications`, so the task never retries blindly."""
    from complaints.services.delivery import notification_deliver as deliver

    return deliver(notification_id=notification_id)


@shared_task(name="complaints.requeue_due_notifications", time_limit=120, soft_time_limit=100)
def requeue_due_notifications() -> int:
    """Hand every due pending row to the broker again: what a broker outage or a retry left."""
    from complaints.services.delivery import notification_due_ids
    from complaints.services.notifications import notification_publish

    ids = notification_due_ids(limit=REQUEUE_LIMIT)
    for notification_id in ids:
        notification_publish(notification_id=notification_id)
    return len(ids)


@shared_task(name="complaints.propose_closures", time_limit=300, soft_time_limit=240)
def propose_closures() -> dict:
    from complaints.services.closure import complaint_closure_sweep

    return complaint_closure_sweep()


@shared_task(name="complaints.purge_retention", time_limit=600, soft_time_limit=540)
def purge_retention() -> dict[str, int]:
    from complaints.services.retention import retention_purge

    return retention_purge()


@shared_task(name="complaints.purge_pending_files", time_limit=300, soft_time_limit=240)
def purge_pending_files() -> int:
    """Remove files kept for a form that came back with an error and was never sent again."""
    from complaints.services.pending_files import pending_files_purge

    return pending_files_purge()


@shared_task(name="complaints.poll_mailbox", time_limit=600, soft_time_limit=540)
def poll_mailbox() -> dict:
    """Turn new mail of the intake mailbox into cases (INBOUND_IMAP_URL; off when empty)."""
    from complaints.services.mail_intake import mailbox_poll

    return mailbox_poll()
