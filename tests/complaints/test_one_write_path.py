"""One way to change a status, one way to write the timeline, one answer to "how do we reach this
reporter?": every writer (triage, closure, intake, the escalation sweep) gives the same result."""

import itertools
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from complaints.choices import EventKind, SlaStage, Status, Visibility
from complaints.models import Complaint, ComplaintEvent, Notification
from complaints.services.closure import complaint_closure_sweep, complaint_reopen_by_reporter
from complaints.services.contact import complaint_reporter_contact
from complaints.services.escalation import complaint_escalate_overdue
from complaints.services.events import (
    EscalationEventRow,
    complaint_escalation_events,
)
from complaints.services.sla import SLA_TIME_ZONE, complaint_clock_pause, holiday_cache_clear
from complaints.services.status import ESCALATION_STATUSES, complaint_transition
from complaints.services.triage import complaint_change_status
from portal.exceptions import ApplicationError
from tests.complaints.sla_support import holidays_ensure, overdue_complaints
from tests.complaints.triage_support import OFFICE_A, OFFICE_A_POST, officer_a  # noqa: F401

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 10, tzinfo=SLA_TIME_ZONE)


@pytest.fixture(autouse=True)
def _holidays(db):
    holidays_ensure()
    yield
    holiday_cache_clear()


@pytest.fixture(autouse=True)
def _at_now(_test_clock):
    """These tests build their history from NOW (pauses 80 days before it, closures 15 days
    before it); the clock must stand there too. Under the suite's random date a complaint made
    "now" in 2029 and paused at NOW - 80 days would have years of working time left."""
    with time_machine.travel(NOW, tick=True):
        yield


# --- status ------------------------------------------------------------------------------------

# The workflow as the rules define it: where each status may go next.
WORKFLOW = {
    "received": {"verified", "waiting_reporter", "rejected", "duplicate"},
    "verified": {"in_progress", "waiting_reporter", "rejected", "duplicate"},
    "in_progress": {"resolved", "waiting_reporter", "duplicate"},
    "waiting_reporter": {"verified", "in_progress", "rejected", "closed"},
    "resolved": {"closed", "in_progress"},
    "closed": {"in_progress"},
    "rejected": {"in_progress"},
    "duplicate": {"in_progress"},
}


@pytest.mark.parametrize(
    ("current", "target"), list(itertools.product(sorted(WORKFLOW), sorted(WORKFLOW)))
)
def test_the_transition_service_moves_exactly_along_the_workflow(complaint_in, current, target):
    # given a complaint in `current` (no actor: the system, as closure uses it)
    complaint = complaint_in(OFFICE_A, status=current)
    original = complaint_in(OFFICE_A)
    extra = {"duplicate_of": original} if target == "duplicate" else {}

    # when / then
    if target in WORKFLOW[current]:
        event = complaint_transition(complaint=complaint, to=target, now=NOW, **extra)
        complaint.refresh_from_db()
        assert complaint.status == target
        assert (event.kind, event.visibility) == (EventKind.STATUS, Visibility.PUBLIC)
        assert (event.data["from"], event.data["to"]) == (current, target)
    else:
        with pytest.raises(ApplicationError):
            complaint_transition(complaint=complaint, to=target, now=NOW, **extra)
        complaint.refresh_from_db()
        assert complaint.status == current
        assert not ComplaintEvent.objects.filter(complaint=complaint).exists()


def _waiting_since(complaint_in, *, days: int) -> Complaint:
    complaint = complaint_in(OFFICE_A, status=Status.IN_PROGRESS)
    complaint.sla_stage = SlaStage.RESOLUTION
    complaint_clock_pause(complaint=complaint, now=NOW - timedelta(days=days), reason="reporter")
    complaint.status = Status.WAITING_REPORTER
    complaint.save()
    return complaint


def test_automatic_closure_writes_the_same_status_event_and_stops_the_clock(
    complaint_in,
    settings,
    officer_a,  # noqa: F811
):
    # given one complaint closed by an officer and one closed by the closure sweep
    settings.CLOSURE_AUTO_CLOSE_DAYS = 14
    by_officer = _waiting_since(complaint_in, days=80)
    by_sweep = _waiting_since(complaint_in, days=80)
    Complaint.objects.filter(pk=by_sweep.pk).update(closure_proposed_at=NOW - timedelta(days=15))

    # when
    complaint_change_status(complaint=by_officer, actor=officer_a, status=Status.CLOSED)
    complaint_closure_sweep(now=NOW)

    # then both are closed the same way: deadline gone, closed time set, one public event each
    events = {}
    for complaint in (by_officer, by_sweep):
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED
        assert complaint.due_at is None
        assert complaint.paused_at is None
        assert complaint.closed_at is not None
        events[complaint.pk] = ComplaintEvent.objects.get(complaint=complaint, kind="status")
    officer_event, sweep_event = events[by_officer.pk], events[by_sweep.pk]
    assert by_sweep.closed_at == NOW
    for event in (officer_event, sweep_event):
        assert event.visibility == Visibility.PUBLIC
        assert (event.data["from"], event.data["to"]) == ("waiting_reporter", "closed")
    assert sweep_event.data["closure"] == "automatic"
    assert sweep_event.public_body == sweep_event.body != ""
    assert sweep_event.actor is None
    assert not sweep_event.by_reporter


def test_reporter_reopening_goes_through_the_workflow_and_clears_the_milestones(complaint_in):
    # given a complaint resolved an hour ago
    complaint = complaint_in(OFFICE_A, status=Status.IN_PROGRESS)
    complaint_transition(complaint=complaint, to=Status.RESOLVED, now=NOW - timedelta(hours=1))

    # when the reporter objects
    complaint_reopen_by_reporter(complaint=complaint, message="Gaji belum dibayar.", now=NOW)

    # then in progress again, resolution undone, and the event says who and why
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert complaint.resolved_at is None
    assert complaint.closed_at is None
    assert complaint.due_at is not None
    event = ComplaintEvent.objects.filter(complaint=complaint).latest("id")
    assert event.by_reporter
    assert event.body == "Gaji belum dibayar."
    assert event.public_body
    assert event.public_body != event.body
    assert event.data == {"from": "resolved", "to": "in_progress", "reopened_by": "reporter"}


def test_a_rejected_complaint_cannot_be_reopened_by_the_reporter(complaint_in):
    # given a rejected complaint (it was never resolved)
    complaint = complaint_in(OFFICE_A, status=Status.REJECTED)

    # when / then
    with pytest.raises(ApplicationError):
        complaint_reopen_by_reporter(complaint=complaint, now=NOW)
    complaint.refresh_from_db()
    assert complaint.status == Status.REJECTED


@pytest.mark.parametrize("status", sorted(WORKFLOW))
def test_the_sweep_escalates_exactly_the_statuses_whose_office_clock_runs(
    offices, postgres, status
):
    # given a complaint at a post whose office deadline lapsed, in `status`
    (complaint,) = overdue_complaints(office=offices[OFFICE_A_POST], count=1, now=NOW)
    Complaint.objects.filter(pk=complaint.pk).update(status=status)

    # when the set-based sweep runs
    complaint_escalate_overdue(now=NOW, workers=1)

    # then it moved the complaint exactly when the case is still being worked on: not finished
    # (resolved, closed, rejected, duplicate) and not waiting for the reporter (clock paused)
    complaint.refresh_from_db()
    being_worked_on = status in {"received", "verified", "in_progress"}
    assert (complaint.escalation_level == 1) is being_worked_on
    assert (complaint.office_id == offices[OFFICE_A].pk) is being_worked_on
    # and the transition service's constant says the same
    assert (status in ESCALATION_STATUSES) is being_worked_on


# --- events ------------------------------------------------------------------------------------


def test_escalation_events_from_the_sweeps_sql_match_the_event_module(offices, postgres):
    # given two lapsed complaints at a post, deadlines with odd microseconds
    first, second = overdue_complaints(office=offices[OFFICE_A_POST], count=2, now=NOW)
    lapsed = NOW - timedelta(hours=1, microseconds=120_000)
    Complaint.objects.filter(pk__in=[first.pk, second.pk]).update(due_at=lapsed)

    # when the sweep escalates the first with its SQL insert
    Complaint.objects.filter(pk=second.pk).update(due_at=NOW + timedelta(days=30))
    complaint_escalate_overdue(now=NOW, workers=1)
    sql_event = ComplaintEvent.objects.get(complaint=first, kind=EventKind.ESCALATION)
    # and the event module writes the same escalation for the second
    data = sql_event.data
    complaint_escalation_events(
        rows=[
            EscalationEventRow(
                complaint_id=second.pk,
                level=sql_event.level,
                text=0,
                from_office=data["from_office"],
                to_office=data["to_office"],
                lapsed_at=lapsed,
                stage=data["stage"],
                next_due=datetime.fromisoformat(data["next_due_at"]),
            )
        ],
        texts=[(sql_event.body, sql_event.public_body)],
    )
    orm_event = ComplaintEvent.objects.get(complaint=second, kind=EventKind.ESCALATION)

    # then both rows are the same but for the complaint and the time of writing
    def shape(event):
        return {
            "kind": event.kind,
            "visibility": event.visibility,
            "actor": event.actor_id,
            "by_reporter": event.by_reporter,
            "level": event.level,
            "body": event.body,
            "public_body": event.public_body,
            "data": event.data,
        }

    assert shape(sql_event) == shape(orm_event)
    assert set(sql_event.data) == {"from_office", "to_office", "lapsed_at", "stage", "next_due_at"}
    assert datetime.fromisoformat(sql_event.data["lapsed_at"]) == lapsed
    assert sql_event.data["from_office"] == offices[OFFICE_A_POST].pk
    assert sql_event.data["to_office"] == offices[OFFICE_A].pk
    assert sql_event.level == 1


def test_an_event_with_an_invalid_field_is_refused_and_not_saved(complaint_in):
    # given a complaint
    from django.core.exceptions import ValidationError

    from complaints.services.events import complaint_status_event

    complaint = complaint_in(OFFICE_A)

    # when a writer passes something that is not a yes/no as "by the reporter"
    with pytest.raises(ValidationError):
        complaint_status_event(
            complaint=complaint,
            previous="received",
            to="verified",
            by_reporter="perhaps",  # type: ignore[arg-type]
        )

    # then nothing was written
    assert not ComplaintEvent.objects.filter(complaint=complaint).exists()


# --- reaching the reporter ---------------------------------------------------------------------

PHONE = "+6281234567890"
WHATSAPP = "+6289876543210"
EMAIL = "siti@example.invalid"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"reporter_email": EMAIL, "reporter_phone": PHONE}, ("email", EMAIL)),
        (
            {"preferred_channel": "sms", "reporter_email": EMAIL, "reporter_phone": PHONE},
            ("sms", PHONE),
        ),
        # WhatsApp on the phone number when no separate WhatsApp number was given
        ({"preferred_channel": "whatsapp", "reporter_phone": PHONE}, ("whatsapp", PHONE)),
        ({"reporter_phone": PHONE}, ("whatsapp", PHONE)),
        ({"reporter_phone": PHONE, "reporter_whatsapp": WHATSAPP}, ("whatsapp", WHATSAPP)),
        # a preference without its address falls back to what was given
        ({"preferred_channel": "email", "reporter_phone": PHONE}, ("whatsapp", PHONE)),
        ({"preferred_channel": "sms", "reporter_email": EMAIL}, ("email", EMAIL)),
        ({}, None),
        ({"is_anonymous": True, "reporter_email": EMAIL}, None),
        ({"anonymised_at": NOW, "reporter_email": EMAIL}, None),
    ],
)
def test_one_answer_to_how_the_reporter_is_reached(complaint_in, fields, expected):
    # given a complaint with these contact details (nothing else given)
    blank = {"reporter_email": "", "reporter_phone": "", "reporter_whatsapp": ""}
    complaint = complaint_in(OFFICE_A, **{**blank, "preferred_channel": "", **fields})

    # when / then
    assert complaint_reporter_contact(complaint=complaint) == expected


def test_acknowledgement_status_change_and_automatic_closure_reach_the_same_address(
    complaint_in,
    settings,
    officer_a,  # noqa: F811
):
    # given a reporter who gave a phone number and prefers WhatsApp, waiting for 80 days
    settings.CLOSURE_AUTO_CLOSE_DAYS = 14
    contact = {
        "reporter_email": "",
        "reporter_whatsapp": "",
        "reporter_phone": PHONE,
        "preferred_channel": "whatsapp",
    }
    by_officer = _waiting_since(complaint_in, days=80)
    by_sweep = _waiting_since(complaint_in, days=80)
    Complaint.objects.filter(pk__in=[by_officer.pk, by_sweep.pk]).update(**contact)
    Complaint.objects.filter(pk=by_sweep.pk).update(closure_proposed_at=NOW - timedelta(days=15))
    by_officer.refresh_from_db()

    # when an officer moves one on and the closure sweep closes the other
    complaint_change_status(complaint=by_officer, actor=officer_a, status=Status.IN_PROGRESS)
    complaint_closure_sweep(now=NOW)

    # then both messages go to WhatsApp on the phone number
    sent = Notification.objects.filter(complaint__in=[by_officer, by_sweep])
    assert sorted(sent.values_list("channel", "recipient")) == [("whatsapp", PHONE)] * 2


def test_an_anonymised_reporter_gets_no_closing_message(complaint_in, settings):
    # given a waiting complaint whose personal data was already anonymised (contact kept by a
    # stale copy of the row is not enough: the rule reads anonymised_at)
    settings.CLOSURE_AUTO_CLOSE_DAYS = 14
    complaint = _waiting_since(complaint_in, days=80)
    Complaint.objects.filter(pk=complaint.pk).update(
        closure_proposed_at=NOW - timedelta(days=15), anonymised_at=timezone.now()
    )

    # when
    complaint_closure_sweep(now=NOW)

    # then closed, and nobody was messaged
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert not Notification.objects.filter(complaint=complaint).exists()
