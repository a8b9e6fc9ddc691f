"""E-mail in over IMAP, against a real dovecot on loopback."""

import datetime as dt
import io
from email.message import EmailMessage

import pytest
import time_machine
from PIL import Image

from complaints.choices import EventKind
from complaints.models import Attachment, InboundMessage, Notification
from complaints.services.delivery import notification_deliver
from complaints.services.mail_intake import mailbox_poll
from complaints.services.notifications import notification_queue
from tests.complaints.triage_support import OFFICE_A

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC)
WORKER = "siti@example.com"


def _mail(
    *,
    subject="Tolong, gaji saya tidak dibayar",
    sender=WORKER,
    body="Gaji saya tidak dibayar tiga bulan.",
    message_id=None,
    headers=None,
    html=None,
    attachment=None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "pengaduan@kemenp2mi.example"
    message["Subject"] = subject
    message["Date"] = "Wed, 01 Jul 2026 12:30:00 +0700"
    message["Message-ID"] = message_id or f"<{abs(hash((subject, sender, body)))}@example.com>"
    for name, value in (headers or {}).items():
        message[name] = value
    if html is not None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
    if attachment is not None:
        name, content, maintype, subtype = attachment
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@time_machine.travel(NOW, tick=False)
def test_new_mail_becomes_a_draft_with_one_reply_and_a_second_poll_changes_nothing(mailbox):
    # given
    mailbox(_mail())
    # when
    first = mailbox_poll(url=mailbox.url)
    second = mailbox_poll(url=mailbox.url)
    # then
    assert first == {"draft": 1}
    assert second == {}
    draft = InboundMessage.objects.get()
    assert (draft.status, draft.channel, draft.sender) == ("draft", "email", WORKER)
    assert "tidak dibayar" in draft.text
    reply = Notification.objects.get()
    assert (reply.channel, reply.recipient) == ("email", WORKER)


@time_machine.travel(NOW, tick=False)
def test_reply_to_the_portals_answer_lands_in_the_same_case_only(mailbox, complaint_in, capsys):
    # given: a case of this reporter, another case, and the portal's e-mail to the reporter
    complaint = complaint_in(OFFICE_A, reporter_email=WORKER, reply_token="1a2b3c4d")
    other = complaint_in(OFFICE_A, reporter_email=WORKER, reply_token="99887766")
    row = notification_queue(
        channel="email",
        recipient=WORKER,
        template="complaint_public_reply",
        context={"reference": complaint.reference, "body": "Kami sudah menghubungi agen."},
        dedupe_key="mail-test",
        complaint=complaint,
    )
    assert notification_deliver(notification_id=row.pk) == "sent"
    from django.core import mail

    subject = mail.outbox[0].subject
    assert f"[{complaint.reference} #1a2b3c4d]" in subject
    # when the reporter answers it, with a photo
    mailbox(
        _mail(
            subject=f"Re: {subject}",
            body="Terima kasih, ini foto slip gaji.",
            attachment=("slip.png", _png(), "image", "png"),
        )
    )
    result = mailbox_poll(url=mailbox.url)
    # then
    assert result == {"appended": 1}
    message = complaint.events.get(kind=EventKind.REPORTER_MESSAGE)
    assert message.body.startswith("Terima kasih, ini foto slip gaji.")
    assert Attachment.objects.get().complaint == complaint
    assert not other.events.filter(kind=EventKind.REPORTER_MESSAGE).exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "subject_suffix",
    [
        "[{ref} #00000000]",  # wrong token
        "[PMI-AAAA-BBBB #{token}]",  # unknown reference
        "[{ref}]",  # no token
    ],
)
def test_a_reply_without_the_matching_token_never_joins_the_case(
    mailbox, complaint_in, subject_suffix
):
    complaint = complaint_in(OFFICE_A, reporter_email=WORKER, reply_token="1a2b3c4d")
    subject = "Re: " + subject_suffix.format(ref=complaint.reference, token="1a2b3c4d")
    mailbox(_mail(subject=subject))
    assert mailbox_poll(url=mailbox.url) == {"draft": 1}
    assert not complaint.events.filter(kind=EventKind.REPORTER_MESSAGE).exists()


@time_machine.travel(NOW, tick=False)
def test_a_reply_from_another_address_never_joins_the_case(mailbox, complaint_in):
    complaint = complaint_in(OFFICE_A, reporter_email=WORKER, reply_token="1a2b3c4d")
    mailbox(_mail(subject=f"Re: [{complaint.reference} #1a2b3c4d]", sender="majikan@example.com"))
    assert mailbox_poll(url=mailbox.url) == {"draft": 1}
    assert not complaint.events.filter(kind=EventKind.REPORTER_MESSAGE).exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, WORKER, "auto-submitted"),
        ({"Precedence": "bulk"}, WORKER, "auto-reply"),
        ({"X-Autoreply": "yes"}, WORKER, "auto-reply"),
        ({}, "MAILER-DAEMON@mx.example.com", "bounce"),
        ({"X-Portal-Notification": "complaint:PMI-AAAA-BBBB:acknowledgement"}, WORKER, "loop"),
        ({}, "no-reply@localhost", "loop"),
    ],
)
def test_auto_replies_bounces_and_loops_are_ignored_and_not_answered(
    mailbox, headers, sender, reason
):
    mailbox(_mail(headers=headers, sender=sender))
    assert mailbox_poll(url=mailbox.url) == {"ignored": 1}
    row = InboundMessage.objects.get()
    assert (row.status, row.note) == ("ignored", reason)
    assert not Notification.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_oversized_mail_is_ignored(mailbox, settings):
    settings.INBOUND_MAIL_MAX_BYTES = 2000
    mailbox(_mail(body="x" * 5000))
    assert mailbox_poll(url=mailbox.url) == {"ignored": 1}
    assert InboundMessage.objects.get().note == "oversized"


@time_machine.travel(NOW, tick=False)
def test_html_only_mail_goes_through_the_sanitiser(mailbox):
    mailbox(
        _mail(html='<p>Tolong <b>bantu</b></p><script>alert("x")</script><img src=x onerror=y>')
    )
    assert mailbox_poll(url=mailbox.url) == {"draft": 1}
    text = InboundMessage.objects.get().text
    assert "Tolong bantu" in text
    assert "<" not in text
    assert "alert" not in text


def test_no_imap_url_means_the_poller_is_off(settings):
    settings.INBOUND_IMAP_URL = ""
    assert mailbox_poll() == {}
