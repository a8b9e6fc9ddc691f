"""The complaint's timeline: the one place where `ComplaintEvent` rows are made.

One function per kind of event, so every writer (intake, triage, closure, the escalation sweep,
staff intake, safe contact) gives a kind the same visibility, wording fields and `data` keys, and
every row is checked the same way before it is saved. The escalation sweep inserts its events
with set-based SQL on PostgreSQL (complaints/services/escalation/sql.py); it builds its `data`
from `escalation_event_data`'s keys, and a test holds both paths to the same row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from complaints.choices import EventKind, Visibility
from complaints.models import Complaint, ComplaintEvent
from portal.models import Office
from portal.types import StaffUser

# Field checks without queries: the complaint and the actor were loaded by the caller, and a
# check of their existence would add two queries to every change (the submit path has a budget).
_CHECK_EXCLUDE = ["complaint", "actor"]


def _event_save(event: ComplaintEvent) -> ComplaintEvent:
    event.full_clean(exclude=_CHECK_EXCLUDE, validate_unique=False, validate_constraints=False)
    event.save()
    return event


def _event_build(
    *,
    complaint: Complaint | None = None,
    complaint_id: int | None = None,
    kind: str,
    visibility: str = Visibility.INTERNAL,
    actor: StaffUser | None = None,
    by_reporter: bool = False,
    body: str = "",
    public_body: str = "",
    level: int | None = None,
    data: dict[str, Any] | None = None,
) -> ComplaintEvent:
    event = ComplaintEvent(
        kind=kind,
        visibility=visibility,
        actor=actor,
        by_reporter=by_reporter,
        body=body,
        public_body=public_body,
        level=level,
        data=data or {},
    )
    if complaint is not None:
        event.complaint = complaint
    elif complaint_id is not None:
        event.complaint_id = complaint_id
    return event


def complaint_created_event(
    *,
    complaint: Complaint,
    actor: StaffUser | None,
    urgent: bool,
    attachments: int,
    channel: str = "",
) -> ComplaintEvent:
    """The complaint came in: by the reporter (no actor) or taken by staff (actor). Public.
    `channel` is recorded only for a channel other than the web form."""
    return _event_save(
        _event_build(
            complaint=complaint,
            kind=EventKind.CREATED,
            visibility=Visibility.PUBLIC,
            by_reporter=actor is None,
            actor=actor,
            data={
                "urgent": urgent,
                "attachments": attachments,
                **({"channel": channel} if channel else {}),
            },
        )
    )


def complaint_status_event(
    *,
    complaint: Complaint,
    previous: str,
    to: str,
    actor: StaffUser | None = None,
    by_reporter: bool = False,
    body: str = "",
    public_body: str = "",
    data: dict[str, Any] | None = None,
) -> ComplaintEvent:
    """A status change (written by the transition service only). Public: the reporter sees
    `public_body`; `body` is the full text (a reporter's own words when they reopen)."""
    return _event_save(
        _event_build(
            complaint=complaint,
            kind=EventKind.STATUS,
            visibility=Visibility.PUBLIC,
            actor=actor,
            by_reporter=by_reporter,
            body=body,
            public_body=public_body,
            data={"from": previous, "to": to, **(data or {})},
        )
    )


def complaint_public_reply_event(
    *, complaint: Complaint, actor: StaffUser, body: str
) -> ComplaintEvent:
    """Staff answer the reporter: on the tracking page as written."""
    return _event_save(
        _event_build(
            complaint=complaint,
            kind=EventKind.PUBLIC_REPLY,
            visibility=Visibility.PUBLIC,
            actor=actor,
            body=body,
            public_body=body,
        )
    )


def complaint_internal_note_event(
    *,
    complaint: Complaint,
    body: str,
    actor: StaffUser | None = None,
    data: dict[str, Any] | None = None,
) -> ComplaintEvent:
    """Staff only: a note by an officer, or a system notice (security alert, safe contact)."""
    return _event_save(
        _event_build(
            complaint=complaint, kind=EventKind.INTERNAL_NOTE, actor=actor, body=body, data=data
        )
    )


def complaint_closure_proposed_events(*, proposals: Iterable[tuple[int, str]]) -> None:
    """Internal notes of the closure sweep, one per `(complaint id, note)`, in one INSERT."""
    events = [
        _event_build(
            complaint_id=complaint_id,
            kind=EventKind.INTERNAL_NOTE,
            body=note,
            data={"closure": "proposed"},
        )
        for complaint_id, note in proposals
    ]
    for event in events:
        event.full_clean(exclude=_CHECK_EXCLUDE, validate_unique=False, validate_constraints=False)
    ComplaintEvent.objects.bulk_create(events)


def complaint_reporter_message_event(
    *, complaint: Complaint, body: str, attachments: int
) -> ComplaintEvent:
    """The reporter wrote (or sent only files): public, by the reporter."""
    return _event_save(
        _event_build(
            complaint=complaint,
            kind=EventKind.REPORTER_MESSAGE if body else EventKind.ATTACHMENT,
            visibility=Visibility.PUBLIC,
            by_reporter=True,
            body=body,
            data={"attachments": attachments},
        )
    )


def complaint_assignment_event(
    *,
    complaint: Complaint,
    actor: StaffUser,
    previous: StaffUser | None,
    assignee: StaffUser | None,
) -> ComplaintEvent:
    """Who handles the case changed (None: nobody)."""
    return _event_save(
        _event_build(
            complaint=complaint,
            kind=EventKind.ASSIGNMENT,
            actor=actor,
            data={
                "from": previous.get_username() if previous else None,
                "to": assignee.get_username() if assignee else None,
            },
        )
    )


def complaint_forward_event(
    *,
    complaint: Complaint,
    actor: StaffUser | None,
    from_office: Office,
    to_office: Office,
    body: str,
) -> ComplaintEvent:
    """The case went to another office by a person's decision (not by the escalation ladder)."""
    return _event_save(
        _event_build(
            complaint=complaint,
            kind=EventKind.FORWARD,
            actor=actor,
            body=body,
            data={"from_office": from_office.code, "to_office": to_office.code},
        )
    )


@dataclass(slots=True)
class EscalationEventRow:
    """One escalation event as the sweep produces it: `body` and `public_body` index the sweep's
    few distinct texts (`texts`), which travel to the database once per batch."""

    complaint_id: int
    level: int
    text: int
    from_office: int
    to_office: int
    lapsed_at: datetime
    stage: str
    next_due: datetime


# The order of the keys of an escalation event's `data`; the SQL insert builds the same object.
ESCALATION_DATA_KEYS = ("from_office", "to_office", "lapsed_at", "stage", "next_due_at")
# Instants in `data`: UTC, always with microseconds, so the SQL insert writes the same text
# (to_char with ESCALATION_INSTANT_SQL_FORMAT) as this module.
ESCALATION_INSTANT_SQL_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'


def escalation_instant_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def escalation_event_data(*, row: EscalationEventRow) -> dict[str, Any]:
    """`data` of an escalation event: office ids, when the deadline lapsed, the stage that
    lapsed, and the next office's deadline."""
    return dict(
        zip(
            ESCALATION_DATA_KEYS,
            (
                row.from_office,
                row.to_office,
                escalation_instant_text(row.lapsed_at),
                row.stage,
                escalation_instant_text(row.next_due),
            ),
            strict=True,
        )
    )


def complaint_escalation_events(
    *, rows: list[EscalationEventRow], texts: list[tuple[str, str]]
) -> None:
    """Escalation events through the ORM (SQLite for `make run`): internal, with a public line,
    one per (complaint, level); a replayed batch adds nothing (the unique constraint)."""
    ComplaintEvent.objects.bulk_create(
        [
            _event_build(
                complaint_id=row.complaint_id,
                kind=EventKind.ESCALATION,
                level=row.level,
                body=texts[row.text][0],
                public_body=texts[row.text][1],
                data=escalation_event_data(row=row),
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )
