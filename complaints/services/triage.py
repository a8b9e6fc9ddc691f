"""Triage: what staff do with a complaint (admin, staff API and bulk actions all land here).

Every function takes the acting staff user, re-checks that the complaint is in their scope (the
same selector as the admin and the API), locks the row, changes it with `update_fields`, writes one
timeline event and, when the reporter should hear about it, one outbox row: all in one transaction.

Status changes go through `complaint_change_status`, which puts the scope check in front of the
transition service (complaints/services/status.py: the allowed-transitions table, the SLA clock,
timestamps and the status event); `complaint_request_information`, `complaint_mark_duplicate`
and `complaint_reopen` are named entry points onto that same path.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.choices import TERMINAL_STATUSES, Status
from complaints.models import Complaint, ComplaintEvent, Notification
from complaints.selectors import complaint_assignee_candidates, complaint_list_for_staff
from complaints.services.contact import complaint_reporter_contact
from complaints.services.events import (
    complaint_assignment_event,
    complaint_forward_event,
    complaint_internal_note_event,
    complaint_public_reply_event,
)
from complaints.services.notifications import notification_queue
from complaints.services.sla import complaint_standard_on_first_response

# The table and its questions live with the transition service; imported here for the callers
# that know triage as the place of status changes (admin forms, API, tests).
from complaints.services.status import (
    ALLOWED_TRANSITIONS,
    REOPENABLE_STATUSES,
    allowed_targets,
    complaint_transition,
    transition_allowed,
)
from portal.exceptions import ApplicationError
from portal.models import Office
from portal.types import StaffUser

__all__ = [
    "ALLOWED_TRANSITIONS",
    "REOPENABLE_STATUSES",
    "allowed_targets",
    "transition_allowed",
]

# Templates of the outbox rows written here; the delivery backends render them.
TEMPLATE_PUBLIC_REPLY = "complaint_public_reply"
TEMPLATE_STATUS_CHANGED = "complaint_status_changed"
# Confidential reporters get this wording only: it says that something changed, not what.
TEMPLATE_NEUTRAL_UPDATE = "complaint_update_neutral"

MAX_TEXT_LENGTH = 5000


# --- helpers ------------------------------------------------------------------------------------


def _locked_in_scope(*, actor: StaffUser, complaint: Complaint) -> Complaint:
    """Re-read the complaint under a row lock, through the actor's scope.

    Out of scope reads as "not found": an interface that let it through still changes nothing.
    """
    if not actor.has_perm("complaints.change_complaint"):
        raise ApplicationError(_("You may not change complaints."))
    locked = (
        complaint_list_for_staff(user=actor)
        .select_for_update(of=("self",))
        .filter(pk=complaint.pk)
        .first()
    )
    if locked is None:
        raise ApplicationError(
            _("Not in your offices (any more): it may have been forwarded or escalated.")
        )
    return locked


def _clean_text(text: str, *, field: str, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            {field: _("At most %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH}}
        )
    return text


def _notify_reporter(
    *, complaint: Complaint, event: ComplaintEvent, template: str, context: dict[str, Any]
) -> Notification | None:
    target = complaint_reporter_contact(complaint=complaint)
    if target is None:
        return None
    channel, recipient = target
    if complaint.is_confidential:
        # A message on a shared phone must not say what the complaint is about.
        template, context = TEMPLATE_NEUTRAL_UPDATE, {}
    return notification_queue(
        channel=channel,
        recipient=recipient,
        template=template,
        context={"reference": complaint.reference, **context},
        language=complaint.language or "id",
        complaint=complaint,
        dedupe_key=f"complaint:{complaint.pk}:event:{event.pk}:{template}",
    )


# --- status -------------------------------------------------------------------------------------


def _apply_status(
    *,
    complaint: Complaint,
    actor: StaffUser,
    to: str,
    public_message: str = "",
    duplicate_of: Complaint | None = None,
) -> ComplaintEvent:
    """The transition service, then the reporter hears of it; the caller holds the lock."""
    event = complaint_transition(
        complaint=complaint,
        to=to,
        actor=actor,
        public_message=public_message,
        duplicate_of=duplicate_of,
    )
    _notify_reporter(
        complaint=complaint,
        event=event,
        template=TEMPLATE_STATUS_CHANGED,
        context={"status": to, "message": public_message},
    )
    return event


@transaction.atomic
def complaint_change_status(
    *,
    complaint: Complaint,
    actor: StaffUser,
    status: str,
    public_message: str = "",
    duplicate_of: Complaint | None = None,
) -> Complaint:
    """Change the status through `ALLOWED_TRANSITIONS`; writes a public status event."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    public_message = _clean_text(public_message, field="public_message", required=False)
    if duplicate_of is not None:
        duplicate_of = _duplicate_target(actor=actor, complaint=locked, other=duplicate_of)
    _apply_status(
        complaint=locked,
        actor=actor,
        to=status,
        public_message=public_message,
        duplicate_of=duplicate_of,
    )
    return locked


def _duplicate_target(*, actor: StaffUser, complaint: Complaint, other: Complaint) -> Complaint:
    target = complaint_list_for_staff(user=actor).filter(pk=other.pk).first()
    if target is None:
        raise ValidationError({"duplicate_of": _("Complaint not found.")})
    if target.pk == complaint.pk:
        raise ValidationError({"duplicate_of": _("A complaint cannot duplicate itself.")})
    if target.status == Status.DUPLICATE:
        raise ValidationError(
            {"duplicate_of": _("That complaint is itself a duplicate: choose the original.")}
        )
    return target


def complaint_mark_duplicate(
    *,
    complaint: Complaint,
    actor: StaffUser,
    duplicate_of: Complaint,
    public_message: str = "",
) -> Complaint:
    """Close a complaint as a duplicate of another complaint in the actor's scope."""
    with transaction.atomic():
        locked = _locked_in_scope(actor=actor, complaint=complaint)
        public_message = _clean_text(public_message, field="public_message", required=False)
        original = _duplicate_target(actor=actor, complaint=locked, other=duplicate_of)
        _apply_status(
            complaint=locked,
            actor=actor,
            to=Status.DUPLICATE,
            public_message=public_message,
            duplicate_of=original,
        )
    return locked


@transaction.atomic
def complaint_request_information(
    *, complaint: Complaint, actor: StaffUser, question: str
) -> Complaint:
    """Ask the reporter for more; the SLA clock pauses until the case moves on."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    question = _clean_text(question, field="question")
    _apply_status(
        complaint=locked, actor=actor, to=Status.WAITING_REPORTER, public_message=question
    )
    return locked


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, actor: StaffUser, reason: str) -> Complaint:
    """Take a resolved, closed, rejected or duplicate complaint back into work."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    reason = _clean_text(reason, field="reason")
    if locked.status not in REOPENABLE_STATUSES:
        raise ApplicationError(_("Only a finished complaint can be reopened."))
    _apply_status(complaint=locked, actor=actor, to=Status.IN_PROGRESS, public_message=reason)
    return locked


# --- assignment, forwarding ---------------------------------------------------------------------


# One answer for "no such user" and "not someone who may take this case": the API must not tell
# whether a username exists.
ASSIGNEE_REFUSED = _(
    "Choose an officer or head of the office holding the complaint or of an office above it."
)
ACTOR_NOT_HANDLING = _(
    "You are not an officer or head of the office holding this complaint or of an office above it."
)


@transaction.atomic
def complaint_assign(
    *, complaint: Complaint, actor: StaffUser, assignee: StaffUser | None
) -> Complaint:
    """Give the complaint to an officer or head of its office or of an office above it (up to the
    BP3MI; the ministry's staff only for national users), or to nobody with None."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    if locked.status in TERMINAL_STATUSES:
        raise ApplicationError(
            _("A finished complaint (“%(status)s”) cannot be assigned.")
            % {"status": Status(locked.status).label}
        )
    if assignee is not None:
        candidates = complaint_assignee_candidates(complaint=locked, actor=actor)
        if not candidates.filter(pk=assignee.pk).exists():
            refused = ACTOR_NOT_HANDLING if assignee.pk == actor.pk else ASSIGNEE_REFUSED
            raise ValidationError({"assignee": refused})
    if locked.assignee_id == (assignee.pk if assignee else None):
        return locked
    previous = locked.assignee
    locked.assignee = assignee
    locked.save(update_fields=["assignee", "updated_at"])
    complaint_assignment_event(complaint=locked, actor=actor, previous=previous, assignee=assignee)
    return locked


@transaction.atomic
def complaint_forward(
    *, complaint: Complaint, actor: StaffUser, office: Office, reason: str
) -> Complaint:
    """Hand the complaint to another office (wrong routing, field work elsewhere)."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    reason = _clean_text(reason, field="reason")
    if locked.status in TERMINAL_STATUSES:
        raise ApplicationError(_("A finished complaint cannot be forwarded."))
    if not office.is_active:
        raise ValidationError({"office": _("This office is not active.")})
    if office.pk == locked.office_id:
        raise ValidationError({"office": _("The complaint is already with this office.")})
    previous = locked.office
    locked.office = office
    # The new office decides who handles it; escalation counts again from its level.
    locked.assignee = None
    locked.escalation_level = 0
    locked.save(update_fields=["office", "assignee", "escalation_level", "updated_at"])
    complaint_forward_event(
        complaint=locked, actor=actor, from_office=previous, to_office=office, body=reason
    )
    return locked


# --- replies and notes --------------------------------------------------------------------------


@transaction.atomic
def complaint_reply(*, complaint: Complaint, actor: StaffUser, body: str) -> ComplaintEvent:
    """A public reply: on the tracking page, and sent to the reporter unless anonymous."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    body = _clean_text(body, field="body")
    if locked.status in TERMINAL_STATUSES:
        raise ApplicationError(_("Reopen the complaint before replying."))
    event = complaint_public_reply_event(complaint=locked, actor=actor, body=body)
    if locked.first_response_at is None:
        # The service standard records a late first answer's breach on the way.
        fields = complaint_standard_on_first_response(complaint=locked, now=timezone.now())
        locked.save(update_fields=sorted({*fields, "updated_at"}))
    _notify_reporter(
        complaint=locked, event=event, template=TEMPLATE_PUBLIC_REPLY, context={"body": body}
    )
    return event


@transaction.atomic
def complaint_add_note(*, complaint: Complaint, actor: StaffUser, body: str) -> ComplaintEvent:
    """An internal note: staff only, never sent anywhere."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    body = _clean_text(body, field="body")
    return complaint_internal_note_event(complaint=locked, actor=actor, body=body)
