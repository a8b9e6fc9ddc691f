"""Notification delivery: channel backends, backoff with a cap, never twice.

Only the edge we do not own is faked: the SMS/WhatsApp gateway is a tiny local HTTP server.
"""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone, translation

from complaints.choices import NotificationStatus, Status
from complaints.models import Notification
from complaints.services.delivery import (
    BACKOFF_CAP_SECONDS,
    MAX_ATTEMPTS,
    backoff_seconds,
    notification_deliver,
    notification_due_ids,
    notification_render,
)

pytestmark = pytest.mark.django_db


class Gateway:
    """A fake SMS/WhatsApp gateway answering with the next status in `statuses`."""

    def __init__(self, statuses=(200,)):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append(
                    {"headers": dict(self.headers), "json": json.loads(body), "path": self.path}
                )
                status = (
                    gateway.statuses.pop(0) if len(gateway.statuses) > 1 else gateway.statuses[0]
                )
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def outbox_row(**fields) -> Notification:
    defaults = {
        "channel": "email",
        "recipient": "pelapor@example.invalid",
        "template": "complaint_status_changed",
        "context": {"reference": "PMI-7K3M-9QXR", "status": "in_progress", "message": "Kami cek."},
        "language": "id",
        "dedupe_key": f"test:{timezone.now().timestamp()}:{fields.get('channel', 'email')}",
        "next_attempt_at": timezone.now(),
    }
    return Notification.objects.create(**{**defaults, **fields})


def test_email_is_sent_once_and_marked_sent():
    # given
    row = outbox_row(context={"reference": "PMI-AAAA-BBBB", "status": "resolved", "cc": ["k@x.id"]})

    # when delivered twice (a redelivered task)
    first = notification_deliver(notification_id=row.pk)
    second = notification_deliver(notification_id=row.pk)

    # then one e-mail, in Indonesian, with the status label and the copy
    row.refresh_from_db()
    assert (first, second) == ("sent", "skipped")
    assert row.status == NotificationStatus.SENT
    assert row.attempts == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pelapor@example.invalid"]
    assert message.cc == ["k@x.id"]
    assert "PMI-AAAA-BBBB" in message.subject
    with translation.override("id"):
        assert str(Status.RESOLVED.label) in message.body


def test_sms_goes_through_the_gateway_with_token_and_idempotency_key(settings):
    # given
    with Gateway() as gateway:
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "gateway-secret"
        row = outbox_row(channel="sms", recipient="+6281234567890", language="en")

        # when
        outcome = notification_deliver(notification_id=row.pk)

    # then the short SMS text was posted once
    assert outcome == "sent"
    assert len(gateway.requests) == 1
    request = gateway.requests[0]
    assert request["headers"]["Authorization"] == "Bearer gateway-secret"
    assert request["headers"]["Idempotency-Key"] == row.dedupe_key
    assert request["json"]["to"] == "+6281234567890"
    assert request["json"]["text"] == "Complaint PMI-7K3M-9QXR: In progress."


def test_gateway_outage_is_retried_with_backoff_then_sent(settings):
    # given a gateway failing twice with 503, then answering
    with Gateway(statuses=[503, 503, 200]) as gateway:
        settings.SMS_GATEWAY_URL = gateway.url
        row = outbox_row(channel="whatsapp", recipient="+6281234567890")
        now = timezone.now()

        # when delivered at each due time
        first = notification_deliver(notification_id=row.pk, now=now)
        row.refresh_from_db()
        first_delay = row.next_attempt_at - now
        early = notification_deliver(notification_id=row.pk, now=now + timedelta(seconds=5))
        second = notification_deliver(notification_id=row.pk, now=row.next_attempt_at)
        row.refresh_from_db()
        third = notification_deliver(notification_id=row.pk, now=row.next_attempt_at)

    # then
    assert (first, early, second, third) == ("retry", "skipped", "retry", "sent")
    assert timedelta(seconds=29) < first_delay <= timedelta(seconds=31)
    assert len(gateway.requests) == 3
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")


def test_gateway_refusal_fails_at_once(settings):
    # given a gateway rejecting the request
    with Gateway(statuses=[400]) as gateway:
        settings.SMS_GATEWAY_URL = gateway.url
        row = outbox_row(channel="sms", recipient="+6281234567890")

        # when
        outcome = notification_deliver(notification_id=row.pk)

    # then
    row.refresh_from_db()
    assert outcome == "failed"
    assert (row.status, row.last_error) == (NotificationStatus.FAILED, "gateway 400")


def test_unreachable_gateway_is_transient(settings):
    # given a gateway address nobody listens on
    with Gateway() as gateway:
        url = gateway.url
    settings.SMS_GATEWAY_URL = url
    row = outbox_row(channel="sms", recipient="+6281234567890")

    # when
    outcome = notification_deliver(notification_id=row.pk)

    # then
    row.refresh_from_db()
    assert outcome == "retry"
    assert row.status == NotificationStatus.PENDING


def test_gives_up_after_max_attempts(settings):
    # given a row that already used all but one attempt, and a failing gateway
    with Gateway(statuses=[503]) as gateway:
        settings.SMS_GATEWAY_URL = gateway.url
        row = outbox_row(channel="sms", recipient="+6281234567890", attempts=MAX_ATTEMPTS - 1)

        # when
        outcome = notification_deliver(notification_id=row.pk)

    # then
    row.refresh_from_db()
    assert outcome == "failed"
    assert row.status == NotificationStatus.FAILED


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [(1, 30), (2, 60), (3, 120), (6, 960), (7, 1920), (8, BACKOFF_CAP_SECONDS), (20, 3600)],
)
def test_backoff_doubles_up_to_a_cap(attempts, delay):
    assert backoff_seconds(attempts) == delay


def test_missing_template_fails_without_sending():
    # given
    row = outbox_row(template="no_such_template")

    # when
    outcome = notification_deliver(notification_id=row.pk)

    # then
    assert outcome == "failed"
    assert mail.outbox == []


def test_console_backend_without_gateway(settings, capsys):
    # given no gateway configured (development)
    settings.SMS_GATEWAY_URL = ""
    row = outbox_row(channel="whatsapp", recipient="+6281234567890")

    # when
    outcome = notification_deliver(notification_id=row.pk)

    # then: printed, with the phone number masked
    assert outcome == "sent"
    printed = capsys.readouterr().out
    assert "PMI-7K3M-9QXR" in printed
    assert "6281234567890" not in printed


def test_production_without_gateway_keeps_sms_failed_not_sent(settings, capsys):
    # given production settings and no gateway
    settings.SMS_GATEWAY_URL = ""
    settings.DEBUG = False
    settings.TESTING = False
    row = outbox_row(channel="sms", recipient="+6281234567890")

    # when
    outcome = notification_deliver(notification_id=row.pk)

    # then: visible as failed in the outbox, never printed as if delivered
    row.refresh_from_db()
    assert outcome == "failed"
    assert row.status == NotificationStatus.FAILED
    assert "SMS_GATEWAY_URL" in row.last_error
    assert "6281234567890" not in capsys.readouterr().out


def test_due_ids_skip_sent_and_future_rows():
    # given
    due = outbox_row(dedupe_key="due")
    outbox_row(dedupe_key="later", next_attempt_at=timezone.now() + timedelta(hours=1))
    outbox_row(dedupe_key="sent", status=NotificationStatus.SENT)

    # when / then
    assert notification_due_ids() == [due.pk]


TEMPLATES = sorted(
    path.name.removesuffix(".subject.txt")
    for path in (Path(django_settings.BASE_DIR) / "templates/complaints/notifications").glob(
        "*.subject.txt"
    )
)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("channel", ["email", "sms"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_in_both_languages(template, channel, language):
    # given
    row = Notification(
        channel=channel,
        recipient="x",
        template=template,
        language=language,
        context={
            "reference": "PMI-7K3M-9QXR",
            "status": "resolved",
            "message": "Don't worry & wait",
            "body": "A <reply>",
            "office": "BP3MI Jawa Timur",
            "counts": {"in": 1, "out": 1, "overdue": 1},
            "items": [
                {"reference": "PMI-1", "direction": "in", "office": "P4MI", "due_at": "2026-12-04"},
                {"reference": "PMI-2", "direction": "out", "office": "Kementerian"},
                {"reference": "PMI-3", "direction": "overdue"},
            ],
        },
    )

    # when
    subject, text = notification_render(notification=row)

    # then
    assert subject
    assert "\n" not in subject
    assert text
    assert "&amp;" not in text
    assert "&#x27;" not in text
    assert "{%" not in text
