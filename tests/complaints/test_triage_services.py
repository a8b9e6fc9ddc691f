import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from complaints.choices import EventKind, SlaStage, Status, Visibility
from complaints.models import ComplaintEvent, Notification
from complaints.services.triage import (
    ALLOWED_TRANSITIONS,
    TEMPLATE_NEUTRAL_UPDATE,
    TEMPLATE_PUBLIC_REPLY,
    complaint_add_note,
    complaint_assign,
    complaint_change_status,
    complaint_forward,
    complaint_mark_duplicate,
    complaint_reopen,
    complaint_reply,
    complaint_request_information,
)
from portal.exceptions import ApplicationError
from tests.complaints.triage_support import OFFICE_A, OFFICE_A_POST, OFFICE_B

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(Status.values, Status.values))


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_status_transition_table_through_the_service(officer_a, complaint_in, current, target):
    # given
    complaint = complaint_in(OFFICE_A, status=current)
    original = complaint_in(OFFICE_A)
    allowed = target in ALLOWED_TRANSITIONS[current]
    # when / then
    if allowed:
        complaint_change_status(
            complaint=complaint, actor=officer_a, status=target, duplicate_of=original
        )
        complaint.refresh_from_db()
        assert complaint.status == target
        event = complaint.events.get(kind=EventKind.STATUS)
        assert event.data["from"] == current
        assert event.data["to"] == target
    else:
        with pytest.raises(ApplicationError):
            complaint_change_status(
                complaint=complaint, actor=officer_a, status=target, duplicate_of=original
            )
        complaint.refresh_from_db()
        assert complaint.status == current
        assert not complaint.events.exists()


def test_every_status_has_a_row_in_the_table():
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)


def test_out_of_scope_complaint_cannot_be_changed(officer_b, complaint_in):
    # given
    complaint = complaint_in(OFFICE_A)
    # when / then
    with pytest.raises(ApplicationError):
        complaint_change_status(complaint=complaint, actor=officer_b, status=Status.VERIFIED)
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_office_head_works_on_complaints_of_the_post_below(head_a, complaint_in):
    complaint = complaint_in(OFFICE_A_POST)
    complaint_change_status(complaint=complaint, actor=head_a, status=Status.VERIFIED)
    complaint.refresh_from_db()
    assert complaint.status == Status.VERIFIED
    assert complaint.verified_at is not None


def test_assign_to_a_member_of_the_office_writes_an_internal_event(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    complaint_assign(complaint=complaint, actor=officer_a, assignee=officer_a)
    complaint.refresh_from_db()
    assert complaint.assignee == officer_a
    event = complaint.events.get()
    assert (event.kind, event.visibility) == (EventKind.ASSIGNMENT, Visibility.INTERNAL)


def test_assign_to_someone_outside_the_office_is_refused(officer_a, officer_b, complaint_in):
    complaint = complaint_in(OFFICE_A)
    with pytest.raises(ValidationError):
        complaint_assign(complaint=complaint, actor=officer_a, assignee=officer_b)
    complaint.refresh_from_db()
    assert complaint.assignee is None


def test_public_reply_notifies_the_reporter_through_the_chosen_channel(officer_a, complaint_in):
    # given
    complaint = complaint_in(
        OFFICE_A, preferred_channel="whatsapp", reporter_whatsapp="+6281299990000"
    )
    # when
    event = complaint_reply(complaint=complaint, actor=officer_a, body="Kami sedang menghubungi.")
    # then
    assert event.visibility == Visibility.PUBLIC
    notification = Notification.objects.get(complaint=complaint)
    assert (notification.channel, notification.recipient) == ("whatsapp", "+6281299990000")
    assert notification.template == TEMPLATE_PUBLIC_REPLY
    assert notification.context["body"] == "Kami sedang menghubungi."
    complaint.refresh_from_db()
    assert complaint.first_response_at is not None


def test_anonymous_reporter_gets_no_notification(officer_a, complaint_in):
    complaint = complaint_in(
        OFFICE_A, is_anonymous=True, reporter_name="", reporter_email="", reporter_phone=""
    )
    complaint_reply(complaint=complaint, actor=officer_a, body="Terima kasih.")
    assert not Notification.objects.filter(complaint=complaint).exists()
    assert complaint.events.filter(kind=EventKind.PUBLIC_REPLY).exists()


def test_confidential_reporter_gets_neutral_wording(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A, is_confidential=True)
    complaint_reply(complaint=complaint, actor=officer_a, body="Majikan Anda sudah kami panggil.")
    notification = Notification.objects.get(complaint=complaint)
    assert notification.template == TEMPLATE_NEUTRAL_UPDATE
    assert "Majikan" not in str(notification.context)


def test_internal_note_is_internal_and_sends_nothing(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    event = complaint_add_note(complaint=complaint, actor=officer_a, body="Cek ke P3MI.")
    assert event.visibility == Visibility.INTERNAL
    assert not Notification.objects.exists()


def test_empty_reply_is_refused_and_writes_nothing(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    with pytest.raises(ValidationError):
        complaint_reply(complaint=complaint, actor=officer_a, body="   ")
    assert not ComplaintEvent.objects.exists()


def test_request_information_pauses_the_clock_and_resuming_restores_it(officer_a, complaint_in):
    # given a complaint due three working days ahead (Monday 10:00 → Thursday 10:00 WIB, a
    # week of July 2026 with no holiday), paused at once and resumed a week later
    jakarta = ZoneInfo("Asia/Jakarta")
    paused_on = datetime(2026, 7, 6, 10, tzinfo=jakarta)
    resumed_on = datetime(2026, 7, 13, 10, tzinfo=jakarta)
    with time_machine.travel(paused_on, tick=False):
        complaint = complaint_in(
            OFFICE_A,
            status=Status.VERIFIED,
            sla_stage=SlaStage.FIRST_RESPONSE,
            due_at=datetime(2026, 7, 9, 10, tzinfo=jakarta),
        )
        # when
        complaint_request_information(
            complaint=complaint, actor=officer_a, question="Nomor paspor?"
        )
        complaint.refresh_from_db()
    # then the clock stops while the reporter is asked
    assert complaint.status == Status.WAITING_REPORTER
    assert complaint.due_at is None
    assert complaint.paused_remaining_seconds == 3 * 24 * 3600
    with time_machine.travel(resumed_on, tick=False):
        complaint_change_status(complaint=complaint, actor=officer_a, status=Status.VERIFIED)
    complaint.refresh_from_db()
    # and the same three working days run again from the resumption: Thursday of the next week
    assert complaint.paused_at is None
    assert complaint.due_at == datetime(2026, 7, 16, 10, tzinfo=jakarta)


def test_forward_moves_the_complaint_and_clears_the_assignee(officer_a, offices, complaint_in):
    complaint = complaint_in(OFFICE_A, assignee=officer_a)
    complaint_forward(
        complaint=complaint, actor=officer_a, office=offices[OFFICE_B], reason="Asal Jawa Barat"
    )
    complaint.refresh_from_db()
    assert complaint.office.code == OFFICE_B
    assert complaint.assignee is None
    assert complaint.events.get(kind=EventKind.FORWARD).body == "Asal Jawa Barat"


def test_forward_without_reason_is_refused(officer_a, offices, complaint_in):
    complaint = complaint_in(OFFICE_A)
    with pytest.raises(ValidationError):
        complaint_forward(complaint=complaint, actor=officer_a, office=offices[OFFICE_B], reason="")


def test_mark_duplicate_needs_an_original_in_scope(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    elsewhere = complaint_in(OFFICE_B)
    with pytest.raises(ValidationError):
        complaint_mark_duplicate(complaint=complaint, actor=officer_a, duplicate_of=elsewhere)
    original = complaint_in(OFFICE_A)
    complaint_mark_duplicate(complaint=complaint, actor=officer_a, duplicate_of=original)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.duplicate_of) == (Status.DUPLICATE, original)


def test_reopen_brings_a_closed_complaint_back_into_work(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A, status=Status.CLOSED)
    complaint_reopen(complaint=complaint, actor=officer_a, reason="Pelapor menghubungi lagi")
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert complaint.closed_at is None


def test_reopen_of_an_open_complaint_is_refused(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A, status=Status.VERIFIED)
    with pytest.raises(ApplicationError):
        complaint_reopen(complaint=complaint, actor=officer_a, reason="x")


@pytest.mark.parametrize("confidential", [False, True])
def test_triage_notifications_render_with_the_delivery_templates(
    officer_a, complaint_in, confidential
):
    from complaints.services.delivery import notification_render

    # given
    complaint = complaint_in(OFFICE_A, is_confidential=confidential)
    # when
    complaint_change_status(complaint=complaint, actor=officer_a, status=Status.VERIFIED)
    complaint_reply(complaint=complaint, actor=officer_a, body="Majikan sudah dihubungi.")
    # then
    texts = [
        notification_render(notification=row)[1] for row in Notification.objects.order_by("pk")
    ]
    assert len(texts) == 2
    assert all(complaint.reference in text or confidential for text in texts)
    assert ("Majikan sudah dihubungi." in texts[1]) is not confidential
