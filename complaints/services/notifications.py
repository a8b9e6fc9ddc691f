"""The outbox: notifications are rows written in the transaction of the change that causes them.

Publishing to the broker happens after commit and never blocks a request (stack-notes trap 12);
a periodic task re-enqueues what is still pending: a broker outage delays messages, loses none.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from complaints.choices import ContactChannel
from complaints.models import Complaint, Notification
from portal.models import Office

logger = logging.getLogger(__name__)


def notification_queue(
    *,
    channel: ContactChannel | str,
    recipient: str,
    template: str,
    dedupe_key: str,
    context: dict[str, Any] | None = None,
    language: str = "id",
    complaint: Complaint | None = None,
    office: Office | None = None,
    first: bool = False,
) -> Notification | None:
    """Write one outbox row (once per dedupe key) and publish it after commit.

    Returns the row, or None when a row with this dedupe key already exists. `first=True` is
    for a key no row can hold yet (it names a complaint created in this very transaction): one
    INSERT instead of get_or_create's look-up and savepoint; the unique key still guards it.
    """
    now = timezone.now()
    due_at = now
    if complaint is not None and office is None:
        # A message to the reporter waits for their safe hours (complaints.services.safe_contact).
        from complaints.services.safe_contact import complaint_safe_contact_next

        due_at = complaint_safe_contact_next(complaint=complaint, at=now)
    values = {
        "channel": channel,
        "recipient": recipient,
        "template": template,
        "context": context or {},
        "language": language,
        "complaint": complaint,
        "office": office,
        "next_attempt_at": due_at,
    }
    if first:
        notification = Notification.objects.create(dedupe_key=dedupe_key[:200], **values)
    else:
        notification, created = Notification.objects.get_or_create(
            dedupe_key=dedupe_key[:200], defaults=values
        )
        if not created:
            return None
    transaction.on_commit(lambda: notification_publish(notification_id=notification.pk))
    return notification


# Publishing borrows a connection from Celery's broker pool (CELERY_BROKER_POOL_LIMIT per
# process, kept open between requests) instead of opening one per message: a fresh connection cost
# about 30 ms on loopback (connect, client set-up, and the queue declaration each new connection
# repeats), most of a webhook's time. Before publishing, one connection attempt with no back-off
# (an open connection skips it): kombu would otherwise retry a dead broker for
# `broker_connection_timeout` (2 s) on every request. When the broker is down the publish fails at
# once (CELERY_TASK_PUBLISH_RETRY=False) and the row stays pending for
# `complaints.requeue_due_notifications`. The row is the truth and delivery claims it with a
# conditional update, so a lost publish delays a message and a second one is a no-op: nothing is
# lost, nothing is sent twice.
PUBLISH_CONNECT_ATTEMPTS = 1
PUBLISH_POOL_WAIT_SECONDS = 1


def notification_publish(*, notification_id: int) -> None:
    """Hand a notification to the broker; on any failure leave it for the periodic sweep."""
    from complaints.tasks import notification_deliver

    try:
        with notification_deliver.app.pool.acquire(
            block=True, timeout=PUBLISH_POOL_WAIT_SECONDS
        ) as connection:
            connection.ensure_connection(
                max_retries=PUBLISH_CONNECT_ATTEMPTS, interval_start=0, interval_step=0
            )
            notification_deliver.apply_async(
                args=[notification_id], retry=False, connection=connection
            )
    except Exception as error:  # the broker being down must never fail a request
        logger.warning("notification %s not published: %s", notification_id, type(error).__name__)
