"""Retention of drafts: an inbound message no officer recorded loses its personal data and files
after DRAFT_RETENTION_DAYS; the row stays so counts per channel do not change."""

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from PIL import Image

from complaints import tasks
from complaints.choices import Status
from complaints.models import InboundAttachment, InboundMessage, Notification
from complaints.services.inbound import InboundInput, inbound_message_receive
from complaints.services.inbound_files import inbound_files_check
from complaints.services.retention import retention_purge
from complaints.services.staff_intake import complaint_submit_by_staff
from portal.choices import Role
from portal.exceptions import ApplicationError
from tests.complaints.factories import ComplaintFactory, complaint_input
from tests.complaints.triage_support import OFFICE_A, category_ensure

pytestmark = [pytest.mark.django_db]

NOW = dt.datetime(2026, 9, 15, 2, 0, tzinfo=dt.UTC)
PERIOD_DAYS = 30
# The rule: a draft stored more than the period ago (counted from its storage) loses its data.
PERIOD = dt.timedelta(days=PERIOD_DAYS)
# What staff see where a text was removed (the literal, not the code's constant).
REMOVED = "[dihapus]"
SECOND = dt.timedelta(seconds=1)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _draft_stored_at(stored_at: dt.datetime, *, number: str, with_file: bool = True):
    """A WhatsApp draft stored at `stored_at` (the portal's clock), with one kept photo."""
    files = inbound_files_check(files=[("ktp.png", _png(), "image/png")]) if with_file else []
    with time_machine.travel(stored_at, tick=False):
        outcome, row = inbound_message_receive(
            message=InboundInput(
                gateway="generic",
                message_id=f"wa-{number}",
                channel="whatsapp",
                sender=f"+62812000{number}",
                text=f"Nama saya Siti, paspor B{number} ditahan agen.",
                received_at=stored_at,
            ),
            files=files,
        )
    assert outcome == "draft"
    return row


def _stored_paths(row) -> list[Path]:
    return [Path(kept.file.path) for kept in row.attachments.exclude(file="")]


@pytest.fixture
def period(settings):
    settings.DRAFT_RETENTION_DAYS = PERIOD_DAYS


def test_a_draft_just_inside_the_period_is_kept_with_its_file(period):
    # given a draft stored one second less than the period before the run
    draft = _draft_stored_at(NOW - PERIOD + SECOND, number="1001")
    paths = _stored_paths(draft)
    assert len(paths) == 1
    assert paths[0].exists()
    # when the daily run comes
    result = retention_purge(now=NOW)
    # then nothing of it changed
    assert result["drafts"] == 0
    draft.refresh_from_db()
    assert (draft.status, draft.sender, draft.anonymised_at) == ("draft", "+628120001001", None)
    assert "paspor B1001" in draft.text
    assert paths[0].exists()


def test_a_draft_just_past_the_period_loses_its_personal_data_and_files(period):
    # given a draft stored one second more than the period before the run, and one inside it
    draft = _draft_stored_at(NOW - PERIOD - SECOND, number="2002")
    kept = _draft_stored_at(NOW - PERIOD + SECOND, number="2003")
    paths = _stored_paths(draft)
    assert len(paths) == 1
    assert paths[0].exists()
    before = InboundMessage.objects.filter(channel="whatsapp").count()
    replies = dict(Notification.objects.filter(complaint=None).values_list("recipient", "pk"))
    assert set(replies) == {"+628120002002", "+628120002003"}
    # when the daily run comes
    result = retention_purge(now=NOW)
    # then the old one has no sender, text or file left, in the database or in storage
    assert result["drafts"] == 1
    draft.refresh_from_db()
    assert (draft.sender, draft.subject, draft.text) == ("", "", REMOVED)
    assert (draft.status, draft.anonymised_at) == ("expired", NOW)
    assert not paths[0].exists()
    assert not InboundAttachment.objects.filter(message=draft).exists()
    # the row stays for the counts, with what is not personal
    assert InboundMessage.objects.filter(channel="whatsapp").count() == before
    assert (draft.gateway, draft.message_id, draft.channel) == ("generic", "wa-2002", "whatsapp")
    # the "received" reply to the sender keeps neither the number nor it in its key
    reply = Notification.objects.get(pk=replies["+628120002002"])
    assert reply.recipient == REMOVED
    assert "2002" not in reply.dedupe_key.replace(str(reply.pk), "")
    # and the one inside the period is untouched, its reply too
    kept.refresh_from_db()
    assert (kept.status, kept.sender) == ("draft", "+628120002003")
    assert all(path.exists() for path in _stored_paths(kept))
    assert Notification.objects.get(pk=replies["+628120002003"]).recipient == "+628120002003"


def test_an_expired_draft_can_no_longer_be_recorded(period, make_staff):
    # given an officer and a draft past the period, anonymised by the run
    category_ensure()
    officer = make_staff(OFFICE_A, Role.OFFICER, username="petugas-retensi")
    draft = _draft_stored_at(NOW - PERIOD - SECOND, number="3003", with_file=False)
    retention_purge(now=NOW)
    # when the officer tries to record it, then it is refused as no longer a draft
    with time_machine.travel(NOW, tick=False), pytest.raises(ApplicationError):
        complaint_submit_by_staff(
            actor=officer,
            data=complaint_input(phone="081234567890"),
            channel="",
            inbound_message_id=draft.pk,
        )
    draft.refresh_from_db()
    assert draft.status == "expired"


def test_a_redelivered_expired_message_is_still_a_duplicate(period):
    # given a draft anonymised by the run
    draft = _draft_stored_at(NOW - PERIOD - SECOND, number="4004", with_file=False)
    retention_purge(now=NOW)
    # when the gateway delivers the same message again
    with time_machine.travel(NOW, tick=False):
        outcome, row = inbound_message_receive(
            message=InboundInput(
                gateway="generic",
                message_id="wa-4004",
                channel="whatsapp",
                sender="+628120004004",
                text="Nama saya Siti, paspor B4004 ditahan agen.",
                received_at=NOW,
            )
        )
    # then it opens no new draft
    assert (outcome, row) == ("duplicate", None)
    assert InboundMessage.objects.filter(message_id="wa-4004").get().pk == draft.pk


def test_a_completed_draft_is_untouched_and_a_second_run_changes_nothing(period, make_staff):
    # given a draft recorded as a complaint (its photo joined the complaint), and an old draft
    category_ensure()
    officer = make_staff(OFFICE_A, Role.OFFICER, username="petugas-selesai")
    completed = _draft_stored_at(NOW - PERIOD - PERIOD, number="5005")
    moved_paths = _stored_paths(completed)
    with time_machine.travel(NOW - PERIOD - PERIOD + dt.timedelta(hours=1), tick=False):
        receipt = complaint_submit_by_staff(
            actor=officer,
            data=complaint_input(phone="081234567890"),
            channel="",
            inbound_message_id=completed.pk,
        )
    abandoned = _draft_stored_at(NOW - PERIOD - SECOND, number="5006")
    # when the run comes twice
    first = retention_purge(now=NOW)
    snapshot = list(InboundMessage.objects.order_by("pk").values())
    second = tasks.purge_retention.apply().get()
    # then the completed one kept its text, sender and the complaint's file
    assert first["drafts"] == 1
    assert second == {"complaints": 0, "drafts": 0, "ignored": 0, "replies": 0}
    completed.refresh_from_db()
    assert (completed.status, completed.complaint_id) == ("completed", receipt.complaint.pk)
    assert (completed.sender, completed.anonymised_at) == ("+628120005005", None)
    assert "paspor B5005" in completed.text
    assert moved_paths
    assert all(path.exists() for path in moved_paths)
    assert receipt.complaint.attachments.count() == 1
    # and the second run changed no row
    assert list(InboundMessage.objects.order_by("pk").values()) == snapshot
    abandoned.refresh_from_db()
    assert abandoned.status == "expired"


def test_ignored_messages_lose_sender_and_subject_after_the_period(period):
    # given an auto-reply recorded as ignored just past the period, and one just inside it
    def ignored(stored_at, number):
        with time_machine.travel(stored_at, tick=False):
            return InboundMessage.objects.create(
                gateway="email",
                message_id=f"<auto-{number}@example.com>",
                channel="email",
                sender=f"pekerja{number}@example.com",
                subject="Sedang cuti / Out of office",
                received_at=stored_at,
                status="ignored",
                note="auto-submitted",
            )

    old = ignored(NOW - PERIOD - SECOND, "7007")
    recent = ignored(NOW - PERIOD + SECOND, "7008")
    # when the run comes twice
    first = retention_purge(now=NOW)
    second = retention_purge(now=NOW)
    # then the old one keeps its Message-ID (a second fetch still skips it) and nothing personal
    assert (first["ignored"], second["ignored"]) == (1, 0)
    old.refresh_from_db()
    assert (old.sender, old.subject, old.status) == ("", "", "ignored")
    assert (old.message_id, old.anonymised_at) == ("<auto-7007@example.com>", NOW)
    recent.refresh_from_db()
    assert recent.sender == "pekerja7008@example.com"


def test_an_anonymised_complaint_takes_its_inbound_messages_along(offices, settings):
    # given a complaint closed past DATA_RETENTION_DAYS with a WhatsApp message appended to it
    settings.DATA_RETENTION_DAYS = 365
    complaint = ComplaintFactory(status=Status.CLOSED, closed_at=NOW - dt.timedelta(days=400))
    message = InboundMessage.objects.create(
        gateway="generic",
        message_id="wa-8008",
        channel="whatsapp",
        sender="+628120008008",
        text="Ini Siti lagi, paspor B8008 masih ditahan.",
        received_at=NOW - dt.timedelta(days=500),
        status="appended",
        complaint=complaint,
    )
    # when the run comes
    result = retention_purge(now=NOW)
    # then the message lost its sender and text with the complaint, and stays linked for counts
    assert result["complaints"] == 1
    message.refresh_from_db()
    assert (message.sender, message.text, message.anonymised_at) == ("", REMOVED, NOW)
    assert (message.status, message.complaint_id) == ("appended", complaint.pk)
