"""Closure rules (Perban BP2MI 6/2024), the reporter's reopening window, retention, admin."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from complaints.choices import EventKind, SlaStage, Status, Visibility, WaitingReason
from complaints.models import Attachment, Complaint, ComplaintEvent, Holiday, Notification
from complaints.services.closure import complaint_closure_sweep, complaint_reopen_by_reporter
from complaints.services.retention import REMOVED, complaint_anonymise_expired
from complaints.services.sla import SLA_TIME_ZONE, complaint_clock_pause, holiday_cache_clear
from portal.exceptions import ApplicationError
from tests.complaints.factories import ComplaintFactory
from tests.complaints.sla_support import holidays_ensure

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 10, tzinfo=SLA_TIME_ZONE)


@pytest.fixture(autouse=True)
def _holidays(db):
    holidays_ensure()
    yield
    holiday_cache_clear()


def waiting(office, *, days: int, reason: str = WaitingReason.REPORTER, **fields) -> Complaint:
    """A complaint received and paused `days` before NOW. It is made at that moment: made at
    the suite's random date (years away) its deadline would leave years of working time."""
    paused_at = NOW - timedelta(days=days)
    with time_machine.travel(paused_at, tick=False):
        complaint = ComplaintFactory(office=office, status=Status.IN_PROGRESS, **fields)
    complaint.sla_stage = SlaStage.RESOLUTION
    complaint_clock_pause(complaint=complaint, now=paused_at, reason=reason)
    complaint.status = Status.WAITING_REPORTER
    complaint.save()
    return complaint


@pytest.mark.parametrize(
    ("reason", "days", "proposed"),
    [
        (WaitingReason.REPORTER, 59, False),
        (WaitingReason.REPORTER, 60, True),
        (WaitingReason.DOCUMENTS, 29, False),
        (WaitingReason.DOCUMENTS, 30, True),
    ],
)
def test_long_waits_are_proposed_for_closure(offices, reason, days, proposed):
    # given
    complaint = waiting(offices["bp3mi-jatim"], days=days, reason=reason)

    # when
    result = complaint_closure_sweep(now=NOW)

    # then
    complaint.refresh_from_db()
    assert result["proposed"] == int(proposed)
    assert (complaint.closure_proposed_at == NOW) is proposed
    assert complaint.status == Status.WAITING_REPORTER
    assert (
        ComplaintEvent.objects.filter(
            complaint=complaint, kind=EventKind.INTERNAL_NOTE, visibility=Visibility.INTERNAL
        ).exists()
        is proposed
    )


def test_proposal_expires_into_closure_with_public_note_and_message(offices, settings):
    # given a complaint proposed for closure longer ago than the extra period
    settings.CLOSURE_AUTO_CLOSE_DAYS = 14
    complaint = waiting(offices["bp3mi-jatim"], days=80)
    Complaint.objects.filter(pk=complaint.pk).update(closure_proposed_at=NOW - timedelta(days=15))

    # when swept twice
    first = complaint_closure_sweep(now=NOW)
    second = complaint_closure_sweep(now=NOW)

    # then closed once, with a public note and one message to the reporter
    complaint.refresh_from_db()
    assert (first["closed"], second["closed"]) == (1, 0)
    assert complaint.status == Status.CLOSED
    assert complaint.closed_at == NOW
    assert complaint.due_at is None
    note = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.STATUS)
    assert note.visibility == Visibility.PUBLIC
    assert note.public_body
    message = Notification.objects.get(complaint=complaint)
    assert message.template == "complaint_auto_closed"
    contacts = {complaint.reporter_email, complaint.reporter_phone, complaint.reporter_whatsapp}
    assert message.recipient in contacts - {""}


def test_reporter_answer_drops_the_proposal(offices):
    # given a proposed complaint
    complaint = waiting(offices["bp3mi-jatim"], days=61)
    complaint_closure_sweep(now=NOW)
    complaint.refresh_from_db()

    # when the reporter answers and the clock resumes
    from complaints.services.sla import complaint_sla_on_status_change

    fields = complaint_sla_on_status_change(
        complaint=complaint, new_status=Status.IN_PROGRESS, now=NOW
    )
    complaint.status = Status.IN_PROGRESS
    complaint.save(update_fields=[*fields, "status"])

    # then the proposal is gone and the next sweep neither proposes nor closes it
    complaint.refresh_from_db()
    assert complaint.closure_proposed_at is None
    assert complaint.due_at is not None
    assert complaint_closure_sweep(now=NOW + timedelta(days=30)) == {"proposed": 0, "closed": 0}


@pytest.mark.parametrize(
    ("resolved_at", "now", "allowed"),
    [
        # resolved Friday 27 Nov 2026: 10 working days end Friday 11 Dec at the same hour
        (
            datetime(2026, 11, 27, 9, tzinfo=SLA_TIME_ZONE),
            datetime(2026, 12, 11, 8, tzinfo=SLA_TIME_ZONE),
            True,
        ),
        (
            datetime(2026, 11, 27, 9, tzinfo=SLA_TIME_ZONE),
            datetime(2026, 12, 11, 10, tzinfo=SLA_TIME_ZONE),
            False,
        ),
        # resolved before Christmas: the holidays extend the window to 7 January 2027
        (
            datetime(2026, 12, 22, 9, tzinfo=SLA_TIME_ZONE),
            datetime(2027, 1, 6, 9, tzinfo=SLA_TIME_ZONE),
            True,
        ),
    ],
    ids=["within ten working days", "after", "over christmas and new year"],
)
def test_reporter_may_reopen_within_ten_working_days(offices, resolved_at, now, allowed):
    # given
    complaint = ComplaintFactory(
        office=offices["bp3mi-jatim"], status=Status.RESOLVED, resolved_at=resolved_at, due_at=None
    )

    # when / then
    if not allowed:
        with pytest.raises(ApplicationError):
            complaint_reopen_by_reporter(complaint=complaint, now=now)
        return
    reopened = complaint_reopen_by_reporter(complaint=complaint, message="Belum dibayar.", now=now)
    assert reopened.status == Status.IN_PROGRESS
    assert reopened.resolved_at is None
    assert reopened.sla_stage == SlaStage.RESOLUTION
    assert reopened.due_at > now
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.STATUS)
    assert event.by_reporter
    assert event.data["from"] == Status.RESOLVED


def test_open_complaint_cannot_be_reopened(offices):
    complaint = ComplaintFactory(office=offices["bp3mi-jatim"], status=Status.IN_PROGRESS)
    with pytest.raises(ApplicationError):
        complaint_reopen_by_reporter(complaint=complaint, now=NOW)


def test_retention_anonymises_old_closed_complaints_only(offices, settings):
    # given one complaint closed long ago with a file, one closed recently, one still open
    settings.DATA_RETENTION_DAYS = 365
    office = offices["bp3mi-jatim"]
    old = ComplaintFactory(office=office, status=Status.CLOSED, closed_at=NOW - timedelta(days=400))
    recent = ComplaintFactory(
        office=office, status=Status.CLOSED, closed_at=NOW - timedelta(days=30)
    )
    open_one = ComplaintFactory(office=office, status=Status.IN_PROGRESS)
    attachment = Attachment(
        complaint=old,
        original_name="paspor.jpg",
        content_type="image/jpeg",
        size=4,
        sha256="0" * 64,
    )
    attachment.file.save("paspor.jpg", ContentFile(b"\xff\xd8\xff\xe0"), save=False)
    attachment.save()
    stored = Path(attachment.file.path)
    assert stored.exists()
    ComplaintEvent.objects.create(
        complaint=old, kind=EventKind.REPORTER_MESSAGE, body="Nomor HP saya 0812345678"
    )
    Notification.objects.create(
        channel="email",
        recipient=old.reporter_email,
        template="complaint_status_changed",
        dedupe_key="retention-test",
        complaint=old,
    )
    before = Complaint.objects.filter(category=old.category, office=office).count()

    # when run twice
    first = complaint_anonymise_expired(now=NOW)
    second = complaint_anonymise_expired(now=NOW)

    # then only the old complaint lost its personal data and its file
    assert (first, second) == (1, 0)
    old.refresh_from_db()
    assert old.anonymised_at == NOW
    assert (old.reporter_name, old.reporter_email, old.reporter_phone, old.passport_number) == (
        "",
        "",
        "",
        "",
    )
    assert old.description == REMOVED
    assert not stored.exists()
    assert not Attachment.objects.filter(complaint=old).exists()
    assert ComplaintEvent.objects.get(complaint=old, kind=EventKind.REPORTER_MESSAGE).body == (
        REMOVED
    )
    assert Notification.objects.get(dedupe_key="retention-test").recipient == REMOVED
    assert not old.history.exclude(reporter_name="").exists()
    # and what aggregates count is unchanged
    assert (old.category_id, old.office_id, old.status, old.destination_country) == (
        recent.category_id,
        office.pk,
        Status.CLOSED,
        "MY",
    )
    assert Complaint.objects.filter(category=old.category, office=office).count() == before
    for untouched in (recent, open_one):
        untouched.refresh_from_db()
        assert untouched.anonymised_at is None
        assert untouched.reporter_name == "Siti Aminah"


def test_admin_warns_about_a_year_without_holidays(offices, make_staff):
    # given an admin next year when the 2028 calendar is missing
    import time_machine

    from tests.complaints.triage_support import staff_client

    admin_user = make_staff("kemenp2mi", "head", is_superuser=True)
    assert not Holiday.objects.filter(date__year=2028).exists()

    # when
    with time_machine.travel(datetime(2027, 3, 1, 10, tzinfo=SLA_TIME_ZONE)):
        client = staff_client(admin_user)
        response = client.get(reverse("admin:complaints_holiday_changelist"), follow=True)

    # then
    assert response.status_code == 200
    assert "2028" in response.content.decode()
    assert date(2027, 1, 1) in set(Holiday.objects.values_list("date", flat=True))
