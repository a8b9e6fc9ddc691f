"""Notification delivery: outbox rows → e-mail, SMS or WhatsApp, once.

Workflow: `notification_deliver` claims one due row with a conditional UPDATE (status pending and
`next_attempt_at` passed → attempts + 1 and a lease), renders its template in the row's language,
sends it through the channel backend, and marks it sent with an UPDATE guarded by the claim.
Two workers handed the same row (a redelivered message, a requeue racing a publish) cannot both
claim it, so a row is never sent twice by concurrent workers. Transient failures (network, SMTP,
gateway 5xx/429) come back after exponential backoff with a cap; permanent ones (a refused
recipient, gateway 4xx, a missing template) fail the row at once. Only a worker killed between
the send and the mark can repeat a send, after the lease: gateways get the dedupe key as
`Idempotency-Key` so they can drop that repeat.

Backends: e-mail through Django's mail backend (console in development, SMTP in production);
SMS/WhatsApp through an HTTP gateway (`SMS_GATEWAY_URL`, `SMS_GATEWAY_TOKEN`), or the console
when no gateway is configured.
"""

from __future__ import annotations

import json
import logging
import smtplib
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from complaints.choices import ContactChannel, NotificationStatus, SlaStage, Status
from complaints.models import Complaint, Notification
from complaints.services.safe_contact import (
    complaint_is_discreet,
    complaint_safe_contact_next,
    discreet_text,
)
from portal.logging import scrub

logger = logging.getLogger(__name__)

# 30 s, 1 min, 2 min, ... doubling up to one hour: a gateway hiccup is retried at once, an outage
# is not hammered. Eight attempts span about four hours before a row is given up as failed.
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
MAX_ATTEMPTS = 8
# A claimed row is not handed to another worker for this long: longer than any send's timeouts
# (gateway 10 s, SMTP 30 s), so only a dead worker's row is ever claimed again.
CLAIM_LEASE_SECONDS = 300
GATEWAY_TIMEOUT_SECONDS = 10
TEMPLATE_DIR = "complaints/notifications"
# A reissued access key (complaints.services.lost_key): never kept in the outbox after sending.
KEY_TEMPLATE = "access_key_reissued"


class DeliveryError(Exception):
    """A send failed; `transient` says whether a later attempt may succeed."""

    transient = True


class TransientDeliveryError(DeliveryError):
    transient = True


class PermanentDeliveryError(DeliveryError):
    transient = False


@dataclass(frozen=True)
class Message:
    channel: str
    recipient: str
    subject: str
    text: str
    cc: tuple[str, ...]
    idempotency_key: str


# --- backends -----------------------------------------------------------------------------------


class EmailBackend:
    """Django's configured mail backend (EMAIL_URL): console in development, SMTP in production."""

    def send(self, message: Message) -> None:
        email = EmailMessage(
            subject=message.subject,
            body=message.text,
            to=[message.recipient],
            cc=list(message.cc),
            headers={"X-Portal-Notification": message.idempotency_key},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentDeliveryError("recipient refused") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TransientDeliveryError(type(error).__name__) from error


class GatewayBackend:
    """An HTTP SMS/WhatsApp gateway: POST JSON with a bearer token and an idempotency key."""

    def __init__(self, *, url: str, token: str) -> None:
        self.url = url
        self.token = token

    def send(self, message: Message) -> None:
        payload = json.dumps(
            {"channel": message.channel, "to": message.recipient, "text": message.text}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": message.idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=GATEWAY_TIMEOUT_SECONDS) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            if error.code == 429 or error.code >= 500:
                raise TransientDeliveryError(f"gateway {error.code}") from error
            raise PermanentDeliveryError(f"gateway {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise TransientDeliveryError(type(error).__name__) from error


class ConsoleBackend:
    """Development: print the message instead of sending it (recipient masked: logs keep no
    personal data)."""

    def send(self, message: Message) -> None:
        recipient = scrub(message.recipient)
        sys.stdout.write(
            f"--- {message.channel} to {recipient}: {message.subject}\n{message.text}\n"
        )
        sys.stdout.flush()


def channel_backend(channel: str) -> EmailBackend | GatewayBackend | ConsoleBackend:
    if channel == ContactChannel.EMAIL:
        return EmailBackend()
    if settings.SMS_GATEWAY_URL:
        return GatewayBackend(url=settings.SMS_GATEWAY_URL, token=settings.SMS_GATEWAY_TOKEN)
    if settings.DEBUG or settings.TESTING:
        return ConsoleBackend()
    # In production a message printed to a log is not a message delivered: keep it failed and
    # visible in the outbox instead of marking it sent.
    raise PermanentDeliveryError("no SMS/WhatsApp gateway configured (SMS_GATEWAY_URL)")


# --- rendering ----------------------------------------------------------------------------------


def notification_render(*, notification: Notification) -> tuple[str, str]:
    """(subject, text) of a row in its language; SMS/WhatsApp use the short `.sms.txt` variant."""
    context = dict(notification.context or {})
    if context.get("status") in Status.values:
        context["status_label"] = Status(context["status"]).label
    if context.get("stage") in SlaStage.values:
        context["stage_label"] = SlaStage(context["stage"]).label
    context["site_name"] = "Portal PMI"
    name = f"{TEMPLATE_DIR}/{notification.template}"
    short = notification.channel != ContactChannel.EMAIL
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        try:
            subject = render_to_string(f"{name}.subject.txt", context).strip()
            text = None
            if short:
                try:
                    text = render_to_string(f"{name}.sms.txt", context).strip()
                except TemplateDoesNotExist:
                    text = None
            if text is None:
                text = render_to_string(f"{name}.txt", context).strip()
        except TemplateDoesNotExist as error:
            raise PermanentDeliveryError(f"no template {notification.template}") from error
    return " ".join(subject.split()), text


def backoff_seconds(attempts: int) -> int:
    """Delay before attempt `attempts + 1`: exponential, capped."""
    delay: int = min(BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1), BACKOFF_CAP_SECONDS)
    return delay


# --- the service --------------------------------------------------------------------------------


def _reporter_complaint(notification: Notification) -> Complaint | None:
    """The complaint whose reporter this row goes to; None for messages to offices and staff."""
    if notification.complaint_id and not notification.office_id:
        return notification.complaint
    return None


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> str:
    """Send one due outbox row at most once; returns sent, retry, failed, deferred or skipped.

    deferred: the reporter's safe hours are closed; the row waits for their next opening.

    skipped: the row is gone, already sent or failed, not due yet, or claimed by another worker.
    """
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).update(
        attempts=F("attempts") + 1,
        next_attempt_at=now + timedelta(seconds=CLAIM_LEASE_SECONDS),
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("complaint").get(pk=notification_id)
    mine = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, attempts=notification.attempts
    )
    reporter_complaint = _reporter_complaint(notification)
    if reporter_complaint is not None:
        # Safe hours: outside them the row waits for the next opening, uncounted.
        allowed = complaint_safe_contact_next(complaint=reporter_complaint, at=now)
        if allowed > now:
            mine.update(attempts=F("attempts") - 1, next_attempt_at=allowed)
            return "deferred"
    try:
        if (
            reporter_complaint is not None
            and complaint_is_discreet(complaint=reporter_complaint)
            # A new key the reporter asked for says nothing about the case: it goes as it is.
            and notification.template != KEY_TEMPLATE
        ):
            subject, text = "Portal PMI", discreet_text(reporter_complaint.reference)
        else:
            subject, text = notification_render(notification=notification)
        if (
            reporter_complaint is not None
            and notification.channel == ContactChannel.EMAIL
            and reporter_complaint.reply_token
        ):
            # E-mail threading: a reply keeps this in its subject and joins the same case only.
            subject = (
                f"{subject} [{reporter_complaint.reference} #{reporter_complaint.reply_token}]"
            )
        channel_backend(notification.channel).send(
            Message(
                channel=notification.channel,
                recipient=notification.recipient,
                subject=subject,
                text=text,
                cc=tuple((notification.context or {}).get("cc") or ()),
                idempotency_key=notification.dedupe_key,
            )
        )
    except DeliveryError as error:
        final = not error.transient or notification.attempts >= MAX_ATTEMPTS
        logger.warning(
            "notification %s attempt %s failed (%s)%s",
            notification_id,
            notification.attempts,
            error,
            ", giving up" if final else "",
        )
        if final:
            mine.update(status=NotificationStatus.FAILED, last_error=str(error)[:255])
            return "failed"
        mine.update(
            next_attempt_at=timezone.now()
            + timedelta(seconds=backoff_seconds(notification.attempts)),
            last_error=str(error)[:255],
        )
        return "retry"
    sent = {"status": NotificationStatus.SENT, "sent_at": timezone.now(), "last_error": ""}
    if notification.template == KEY_TEMPLATE:
        sent["context"] = {}  # the key leaves the outbox once it has gone
    mine.update(**sent)
    return "sent"


def notification_due_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending rows whose next attempt is due, oldest first (partial index `notification_due`)."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
