"""Files of a new e-mail (a draft): through the form's upload checks, against a real dovecot."""

import datetime as dt
import io
from email.message import EmailMessage

import pytest
import time_machine
from PIL import Image

from complaints.models import Attachment, Complaint, InboundAttachment, InboundMessage
from complaints.services.mail_intake import mailbox_poll
from complaints.services.staff_intake import complaint_submit_by_staff
from portal.choices import Role
from tests.complaints.factories import complaint_input
from tests.complaints.test_intake_uploads import GPS_MARKER, jpeg_with_exif
from tests.complaints.triage_support import OFFICE_A, category_ensure

pytestmark = [pytest.mark.django_db]

NOW = dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC)
WORKER = "siti@example.com"
# What a Windows program starts with: "MZ", then a DOS stub. Named and declared as a photo.
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 400)
)


def _mail_with(files, *, message_id="<berkas-1@example.com>") -> bytes:
    message = EmailMessage()
    message["From"] = WORKER
    message["To"] = "pengaduan@kemenp2mi.example"
    message["Subject"] = "Paspor saya ditahan majikan"
    message["Date"] = "Wed, 01 Jul 2026 12:30:00 +0700"
    message["Message-ID"] = message_id
    message.set_content("Paspor saya ditahan. Foto kontrak terlampir.")
    for name, content, maintype, subtype in files:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def _stored_bytes(row) -> bytes:
    with row.file.open("rb") as handle:
        return handle.read()


@time_machine.travel(NOW, tick=False)
def test_a_photo_sent_by_mail_is_kept_with_the_draft_without_its_gps_position(mailbox):
    # given a new mail with a phone photo whose EXIF holds the sender's position
    photo = jpeg_with_exif()
    assert GPS_MARKER in photo
    mailbox(_mail_with([("IMG_2041.jpg", photo, "image", "jpeg")]))
    # when the mailbox is polled
    assert mailbox_poll(url=mailbox.url) == {"draft": 1}
    # then the draft keeps the photo, re-encoded: no EXIF, no GPS, no camera model
    draft = InboundMessage.objects.get()
    kept = draft.attachments.get()
    assert (kept.original_name, kept.content_type, kept.refused_reason) == (
        "IMG_2041.jpg",
        "image/jpeg",
        "",
    )
    stored = _stored_bytes(kept)
    assert GPS_MARKER not in stored
    assert b"PhoneModel-X" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (64, 48)
    assert kept.size == len(stored)


@time_machine.travel(NOW, tick=False)
def test_a_disguised_program_is_refused_with_its_reason_and_the_mail_still_becomes_a_draft(
    mailbox,
):
    # given a mail with a program named and declared as a photo, and a real photo
    mailbox(
        _mail_with(
            [
                ("foto-paspor.jpg", EXECUTABLE, "image", "jpeg"),
                ("slip.png", _png(), "image", "png"),
            ]
        )
    )
    # when
    assert mailbox_poll(url=mailbox.url) == {"draft": 1}
    # then the words and the good file are kept; the program is recorded, with no bytes kept
    draft = InboundMessage.objects.get()
    assert "Paspor saya ditahan" in draft.text
    refused, kept = draft.attachments.order_by("pk")
    assert refused.original_name == "foto-paspor"
    assert refused.refused_code == "file_type"
    assert "JPEG" in refused.refused_reason
    assert "PDF" in refused.refused_reason
    assert not refused.file
    assert (kept.original_name, kept.refused_code) == ("slip.png", "")
    assert _stored_bytes(kept).startswith(b"\x89PNG")
    for path in InboundAttachment._meta.get_field("file").storage.listdir("inbound/2026/07")[1]:
        assert not path.endswith(".exe")


@time_machine.travel(NOW, tick=False)
def test_more_files_than_the_form_allows_are_recorded_as_not_kept(mailbox, settings):
    settings.MAX_ATTACHMENTS = 2
    mailbox(_mail_with([(f"slip-{index}.png", _png(), "image", "png") for index in range(3)]))
    assert mailbox_poll(url=mailbox.url) == {"draft": 1}
    rows = list(InboundMessage.objects.get().attachments.order_by("pk"))
    assert [row.refused_code for row in rows] == ["", "", "too_many"]
    assert [bool(row.file) for row in rows] == [True, True, False]


@time_machine.travel(NOW, tick=False)
def test_recording_the_draft_gives_the_complaint_the_kept_files_only(mailbox, make_staff):
    # given a draft with one kept photo and one refused program
    category_ensure()
    officer = make_staff(OFFICE_A, Role.OFFICER, username="petugas-berkas")
    mailbox(
        _mail_with(
            [
                ("kontrak.jpg", jpeg_with_exif(), "image", "jpeg"),
                ("x.jpg", EXECUTABLE, "image", "jpeg"),
            ]
        )
    )
    mailbox_poll(url=mailbox.url)
    draft = InboundMessage.objects.get()
    kept_name = draft.attachments.exclude(file="").get().file.name
    # when an officer records it
    receipt = complaint_submit_by_staff(
        actor=officer,
        data=complaint_input(email=WORKER),
        channel="",
        inbound_message_id=draft.pk,
    )
    # then the complaint holds the photo (the same cleaned bytes), and the draft is completed
    complaint = Complaint.objects.get(pk=receipt.complaint.pk)
    attachment = Attachment.objects.get(complaint=complaint)
    assert attachment.file.name == kept_name
    assert attachment.original_name == "kontrak.jpg"
    assert attachment.event.kind == "created"
    assert GPS_MARKER not in _stored_bytes(attachment)
    draft.refresh_from_db()
    assert (draft.status, draft.complaint_id) == ("completed", complaint.pk)
    # the refusal stays on the message as its record
    assert list(draft.attachments.values_list("refused_code", flat=True)) == ["file_type"]


@time_machine.travel(NOW, tick=False)
def test_a_poll_costs_a_fixed_number_of_queries_per_new_mail(mailbox):
    # given 12 new mails, each from its own sender (each a draft with its one reply)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index in range(12):
        message = EmailMessage()
        message["From"] = f"pekerja{index}@example.com"
        message["To"] = "pengaduan@kemenp2mi.example"
        message["Subject"] = f"Pengaduan {index}"
        message["Message-ID"] = f"<hitung-{index}@example.com>"
        message.set_content(f"Gaji saya tidak dibayar ({index}).")
        mailbox(message.as_bytes())
    # when
    with CaptureQueriesContext(connection) as captured:
        assert mailbox_poll(url=mailbox.url) == {"draft": 12}
    # then: per mail a savepoint of its own, the draft row and the reply's outbox row (looked up
    # by its once-a-day key, inserted under a savepoint): 9 statements; per batch of up to 50
    # mails one Message-ID look-up and the batch's transaction (a savepoint inside the test's).
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) <= 12 * 9 + 3, statements
    assert sum('FROM "complaints_inboundmessage"' in sql for sql in statements) == 1


@time_machine.travel(NOW, tick=False)
def test_the_officer_completing_a_draft_sees_its_kept_and_refused_files(mailbox, make_staff):
    from tests.complaints.triage_support import staff_client

    category_ensure()
    officer = make_staff(OFFICE_A, Role.OFFICER, username="petugas-lihat")
    outsider = make_staff(OFFICE_A, Role.CONTENT_EDITOR, username="editor-lihat")
    mailbox(
        _mail_with(
            [
                ("kontrak.jpg", jpeg_with_exif(), "image", "jpeg"),
                ("x.jpg", EXECUTABLE, "image", "jpeg"),
            ]
        )
    )
    mailbox_poll(url=mailbox.url)
    draft = InboundMessage.objects.get()
    # when
    page = staff_client(officer).get(
        f"/staf/pengaduan/baru/?message={draft.pk}", HTTP_ACCEPT_LANGUAGE="en"
    )
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert "kontrak.jpg: checked and kept without its metadata" in html
    assert "x: not kept (" in html
    # a staff member who may not record complaints sees neither the page nor the files
    assert staff_client(outsider).get(f"/staf/pengaduan/baru/?message={draft.pk}").status_code in (
        302,
        403,
    )
