"""Closure rules of Perban BP2MI 6/2024, and the reporter's right to reopen.

Workflow (daily, task `complaints.propose_closures`):
1. a complaint waiting for the reporter for 60 days, or for documents for 30 days, is *proposed*
   for closure: `closure_proposed_at` is set and an internal event written, so it shows on the
   office's queue (filter "proposed for closure") for an officer to close or chase;
2. one still waiting `CLOSURE_AUTO_CLOSE_DAYS` after the proposal is closed, with a public note
   and a message to the reporter;
3. a reporter who answers meanwhile resumes the clock, which drops the proposal (sla.py).

The reporter may reopen a resolved complaint within 10 working days of its resolution
(`complaint_reopen_by_reporter`); after that they file a new complaint quoting the reference.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints.choices import Status, WaitingReason
from complaints.models import Complaint
from complaints.services.contact import complaint_reporter_contact
from complaints.services.events import complaint_closure_proposed_events
from complaints.services.notifications import notification_queue
from complaints.services.sla import calendar_load
from complaints.services.status import complaint_transition
from portal.exceptions import ApplicationError

WAITING_REPORTER_DAYS = 60  # Perban BP2MI 6/2024: no answer from the reporter for 60 days
WAITING_DOCUMENTS_DAYS = 30  # ... or no documents for 30 days
REOPEN_WORKING_DAYS = 10  # the reporter may object to a resolution within 10 working days
# Closing notifies reporters one by one: a bounded batch keeps one run's transaction short.
CLOSURE_BATCH_SIZE = 500


@transaction.atomic
def complaint_closure_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Propose long-waiting complaints for closure and close proposals that expired."""
    now = now or timezone.now()
    waiting = Complaint.objects.filter(status=Status.WAITING_REPORTER)
    reporter_cutoff = now - timedelta(days=WAITING_REPORTER_DAYS)
    documents_cutoff = now - timedelta(days=WAITING_DOCUMENTS_DAYS)
    to_propose = list(
        waiting.filter(closure_proposed_at__isnull=True)
        .filter(
            Q(waiting_reason=WaitingReason.DOCUMENTS, paused_at__lte=documents_cutoff)
            | (~Q(waiting_reason=WaitingReason.DOCUMENTS) & Q(paused_at__lte=reporter_cutoff))
        )
        .select_for_update(skip_locked=True)
        .values_list("id", "waiting_reason")[:CLOSURE_BATCH_SIZE]
    )
    if to_propose:
        Complaint.objects.filter(
            id__in=[pk for pk, _reason in to_propose], closure_proposed_at__isnull=True
        ).update(closure_proposed_at=now, updated_at=now)
        with translation.override(settings.LANGUAGE_CODE):
            complaint_closure_proposed_events(
                proposals=[
                    (
                        pk,
                        gettext(
                            "Proposed for closure: no documents for %(days)s days."
                            if reason == WaitingReason.DOCUMENTS
                            else "Proposed for closure: no answer from the reporter for %(days)s "
                            "days."
                        )
                        % {
                            "days": WAITING_DOCUMENTS_DAYS
                            if reason == WaitingReason.DOCUMENTS
                            else WAITING_REPORTER_DAYS
                        },
                    )
                    for pk, reason in to_propose
                ]
            )
    close_cutoff = now - timedelta(days=settings.CLOSURE_AUTO_CLOSE_DAYS)
    to_close = list(
        waiting.filter(closure_proposed_at__lte=close_cutoff)
        .select_for_update(skip_locked=True)
        .order_by("closure_proposed_at")[:CLOSURE_BATCH_SIZE]
    )
    for complaint in to_close:
        _auto_close(complaint=complaint, now=now)
    return {"proposed": len(to_propose), "closed": len(to_close)}


def _auto_close(*, complaint: Complaint, now: datetime) -> None:
    with translation.override(complaint.language or settings.LANGUAGE_CODE):
        note = gettext(
            "Closed because we did not receive the answer or documents we asked for. "
            "You can file a new complaint at any time, quoting this reference."
        )
    event = complaint_transition(
        complaint=complaint,
        to=Status.CLOSED,
        public_message=note,
        data={"closure": "automatic"},
        now=now,
    )
    contact = complaint_reporter_contact(complaint=complaint)
    if contact is not None:
        channel, recipient = contact
        notification_queue(
            channel=channel,
            recipient=recipient,
            template="complaint_update_neutral"
            if complaint.is_confidential
            else "complaint_auto_closed",
            context={"reference": complaint.reference},
            language=complaint.language or "id",
            complaint=complaint,
            dedupe_key=f"complaint:{complaint.pk}:event:{event.pk}:auto_closed",
        )


@transaction.atomic
def complaint_reopen_by_reporter(
    *, complaint: Complaint, message: str = "", now: datetime | None = None
) -> Complaint:
    """The reporter objects to a resolution: back to in progress with a new resolution clock.

    Allowed within 10 working days of the resolution; later, an ApplicationError.
    """
    now = now or timezone.now()
    locked = Complaint.objects.select_for_update().select_related("category").get(pk=complaint.pk)
    if locked.status not in (Status.RESOLVED, Status.CLOSED) or locked.resolved_at is None:
        raise ApplicationError(_("Only a resolved complaint can be reopened."))
    limit = calendar_load().add_working_days(start=locked.resolved_at, days=REOPEN_WORKING_DAYS)
    if now > limit:
        raise ApplicationError(
            _(
                "A resolution can be contested within 10 working days. Please file a new "
                "complaint and quote this reference."
            )
        )
    with translation.override(locked.language or settings.LANGUAGE_CODE):
        public_line = gettext("Reopened by the reporter.")
    complaint_transition(
        complaint=locked,
        to=Status.IN_PROGRESS,
        by_reporter=True,
        public_message=public_line,
        body=message.strip()[:4000] or public_line,
        data={"reopened_by": "reporter"},
        now=now,
    )
    return locked
