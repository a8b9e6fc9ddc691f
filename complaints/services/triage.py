"""Triage: what staff do with a complaint (admin, staff API and bulk actions all land here).

Every function takes the acting staff user, re-checks that the complaint is in their scope (the
same selector as the admin and the API), locks the row, changes it with `update_fields`, writes one
timeline event and, when the reporter should hear about it, one outbox row: all in one transaction.

Status changes go through `complaint_change_status` and its explicit `ALLOWED_TRANSITIONS` table;
`complaint_request_information`, `complaint_mark_duplicate` and `complaint_reopen` are named
entry points onto that same function.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.choices import (
    TERMINAL_STATUSES,
    ContactChannel,
    EventKind,
    Status,
    Visibility,
)
from complaints.models import Complaint, ComplaintEvent
from complaints.selectors import complaint_assignee_candidates, complaint_list_for_staff
from complaints.services.notifications import notification_queue
from complaints.services.sla import (
    complaint_sla_on_status_change,
    complaint_standard_on_first_response,
)
from portal.exceptions import ApplicationError
from portal.models import Office

# The status workflow (design.md §3). Anything not listed here is refused. Reopening is the
# way back from a finished state and always lands in "in progress".
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

# Templates of the outbox rows written here; the delivery backends render them.
TEMPLATE_PUBLIC_REPLY = "complaint_public_reply"
TEMPLATE_STATUS_CHANGED = "complaint_status_changed"
# Confidential reporters get this wording only: it says that something changed, not what.
TEMPLATE_NEUTRAL_UPDATE = "complaint_update_neutral"

MAX_TEXT_LENGTH = 5000


def transition_allowed(*, current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


def allowed_targets(*, current: str) -> list[str]:
    """The statuses a complaint in `current` may move to, in the order of `Status`."""
    allowed = ALLOWED_TRANSITIONS.get(current, frozenset())
    return [status for status in Status.values if status in allowed]


# --- helpers ------------------------------------------------------------------------------------


def _locked_in_scope(*, actor, complaint: Complaint) -> Complaint:
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


def _event(
    *,
    complaint: Complaint,
    kind: str,
    actor,
    visibility: str = Visibility.INTERNAL,
    body: str = "",
    public_body: str = "",
    data: dict | None = None,
) -> ComplaintEvent:
    event = ComplaintEvent(
        complaint=complaint,
        kind=kind,
        visibility=visibility,
        actor=actor,
        body=body,
        public_body=public_body,
        data=data or {},
    )
    event.full_clean()
    event.save()
    return event


def reporter_channel(complaint: Complaint) -> tuple[str, str] | None:
    """(channel, recipient) for the reporter: their chosen channel, else the first they gave.

    None for anonymous reporters and reporters without any contact: they read the tracking page.
    """
    if complaint.is_anonymous or complaint.anonymised_at:
        return None
    contacts = {
        ContactChannel.EMAIL: complaint.reporter_email,
        ContactChannel.WHATSAPP: complaint.reporter_whatsapp,
        ContactChannel.SMS: complaint.reporter_phone,
    }
    if complaint.preferred_channel and contacts.get(complaint.preferred_channel):
        return complaint.preferred_channel, contacts[complaint.preferred_channel]
    for channel, recipient in contacts.items():
        if recipient:
            return channel, recipient
    return None


def _notify_reporter(*, complaint: Complaint, event: ComplaintEvent, template: str, context: dict):
    target = reporter_channel(complaint)
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
    actor,
    status: str,
    public_message: str = "",
    duplicate_of: Complaint | None = None,
) -> ComplaintEvent:
    """Move a locked complaint to `status`; the caller holds the transaction."""
    previous = complaint.status
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not transition_allowed(current=previous, target=status):
        raise ApplicationError(
            _("A complaint that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(previous).label, "target": Status(status).label}
        )
    if status == Status.DUPLICATE and duplicate_of is None:
        raise ValidationError({"duplicate_of": _("Say which complaint this one duplicates.")})
    now = timezone.now()
    # The SLA module moves the clock (pause, resume, new stage, stop) while the old status is
    # still on the row; see complaint_sla_on_status_change.
    fields = ["status", "updated_at", *complaint_sla_on_status_change(complaint, status, now)]
    complaint.status = status
    if status == Status.VERIFIED and not complaint.verified_at:
        complaint.verified_at = now
        fields.append("verified_at")
    if status == Status.RESOLVED:
        complaint.resolved_at = now
        fields.append("resolved_at")
    if status == Status.CLOSED:
        complaint.closed_at = now
        fields.append("closed_at")
    if status == Status.DUPLICATE:
        complaint.duplicate_of = duplicate_of
        fields.append("duplicate_of")
    if previous in REOPENABLE_STATUSES and status == Status.IN_PROGRESS:
        complaint.resolved_at = None
        complaint.closed_at = None
        complaint.duplicate_of = None
        fields += ["resolved_at", "closed_at", "duplicate_of"]
    complaint.save(update_fields=sorted(set(fields)))
    event = _event(
        complaint=complaint,
        kind=EventKind.STATUS,
        actor=actor,
        visibility=Visibility.PUBLIC,
        body=public_message,
        public_body=public_message,
        data={
            "from": previous,
            "to": status,
            **({"duplicate_of": duplicate_of.reference} if duplicate_of else {}),
        },
    )
    _notify_reporter(
        complaint=complaint,
        event=event,
        template=TEMPLATE_STATUS_CHANGED,
        context={"status": status, "message": public_message},
    )
    return event


@transaction.atomic
def complaint_change_status(
    *,
    complaint: Complaint,
    actor,
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
        status=status,
        public_message=public_message,
        duplicate_of=duplicate_of,
    )
    return locked


def _duplicate_target(*, actor, complaint: Complaint, other: Complaint) -> Complaint:
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
    *, complaint: Complaint, actor, duplicate_of: Complaint, public_message: str = ""
) -> Complaint:
    """Close a complaint as a duplicate of another complaint in the actor's scope."""
    return complaint_change_status(
        complaint=complaint,
        actor=actor,
        status=Status.DUPLICATE,
        duplicate_of=duplicate_of,
        public_message=public_message,
    )


@transaction.atomic
def complaint_request_information(*, complaint: Complaint, actor, question: str) -> Complaint:
    """Ask the reporter for more; the SLA clock pauses until the case moves on."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    question = _clean_text(question, field="question")
    _apply_status(
        complaint=locked, actor=actor, status=Status.WAITING_REPORTER, public_message=question
    )
    return locked


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """Take a resolved, closed, rejected or duplicate complaint back into work."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    reason = _clean_text(reason, field="reason")
    if locked.status not in REOPENABLE_STATUSES:
        raise ApplicationError(_("Only a finished complaint can be reopened."))
    _apply_status(complaint=locked, actor=actor, status=Status.IN_PROGRESS, public_message=reason)
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
def complaint_assign(*, complaint: Complaint, actor, assignee) -> Complaint:
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
    _event(
        complaint=locked,
        kind=EventKind.ASSIGNMENT,
        actor=actor,
        data={
            "from": previous.get_username() if previous else None,
            "to": assignee.get_username() if assignee else None,
        },
    )
    return locked


@transaction.atomic
def complaint_forward(*, complaint: Complaint, actor, office: Office, reason: str) -> Complaint:
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
    _event(
        complaint=locked,
        kind=EventKind.FORWARD,
        actor=actor,
        body=reason,
        data={"from_office": previous.code, "to_office": office.code},
    )
    return locked


# --- replies and notes --------------------------------------------------------------------------


@transaction.atomic
def complaint_reply(*, complaint: Complaint, actor, body: str) -> ComplaintEvent:
    """A public reply: on the tracking page, and sent to the reporter unless anonymous."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    body = _clean_text(body, field="body")
    if locked.status in TERMINAL_STATUSES:
        raise ApplicationError(_("Reopen the complaint before replying."))
    event = _event(
        complaint=locked,
        kind=EventKind.PUBLIC_REPLY,
        actor=actor,
        visibility=Visibility.PUBLIC,
        body=body,
        public_body=body,
    )
    if locked.first_response_at is None:
        # The service standard records a late first answer's breach on the way.
        fields = complaint_standard_on_first_response(locked, timezone.now())
        locked.save(update_fields=sorted({*fields, "updated_at"}))
    _notify_reporter(
        complaint=locked, event=event, template=TEMPLATE_PUBLIC_REPLY, context={"body": body}
    )
    return event


@transaction.atomic
def complaint_add_note(*, complaint: Complaint, actor, body: str) -> ComplaintEvent:
    """An internal note: staff only, never sent anywhere."""
    locked = _locked_in_scope(actor=actor, complaint=complaint)
    body = _clean_text(body, field="body")
    return _event(complaint=locked, kind=EventKind.INTERNAL_NOTE, actor=actor, body=body)
