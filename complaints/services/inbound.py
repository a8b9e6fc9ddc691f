"""Inbound messages: a WhatsApp/SMS/e-mail message becomes part of a case, once.

Workflow of `inbound_message_receive`: a message is stored once per (gateway, message id) — a
replayed or redelivered webhook, or a mail fetched twice, changes nothing. A message that names a
complaint's reference and comes from the phone (or e-mail, with the case's reply token) on file is
appended to that case as a reporter message. Anything else opens a draft in the ministry's intake
queue that an officer completes through staff intake; the sender gets one reply (per channel,
sender and day, so a chatty sender or a looping auto-responder is not answered again and again)
saying it was received and how to follow it. Never a word about whether a reference exists.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from complaints.choices import ContactChannel, InboundStatus, IntakeChannel
from complaints.models import Complaint, InboundMessage
from complaints.references import reference_normalise
from complaints.services.inbound_files import InboundFile, inbound_files_store
from complaints.services.intake import (
    MESSAGE_MAX,
    complaint_reporter_message,
    phone_normalise,
    storage_discard,
)
from complaints.services.notifications import notification_queue

REPLY_TEMPLATE = "inbound_received"
# The once-a-day key of that reply starts so (retention finds the replies of abandoned drafts).
INBOUND_REPLY_KEY_PREFIX = "inbound-reply:"
# "PMI-7K3M-9QXR", "pmi 7k3m 9qxr", "PMI7K3M9QXR": what people type in a chat.
_REFERENCE_IN_TEXT = re.compile(r"\bPMI[\s\-_.]?([A-Z0-9]{4})[\s\-_.]?([A-Z0-9]{4})\b", re.I)
# What became of a message: appended to its case, a new draft, or stored already.
ReceiveOutcome = Literal["appended", "draft", "duplicate"]
# A message recorded as not to become a case, or stored already.
IgnoreOutcome = Literal["ignored", "duplicate"]
# Gateways and clocks drift; a message stamped this far ahead is taken as received now.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class InboundInput:
    gateway: str
    message_id: str
    channel: str
    sender: str
    text: str
    received_at: dt.datetime
    subject: str = ""
    reply_token: str = ""


def _clean(text: str, *, limit: int) -> str:
    """Keep what a person wrote; drop control characters (a webhook must never lose a message
    for a stray byte) and cut at the limit."""
    text = unicodedata.normalize("NFC", str(text or ""))
    kept = "".join(
        char
        for char in text
        if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs", "Cf")
    )
    return kept.strip()[:limit]


def references_in_text(text: str) -> list[str]:
    found = []
    for first, second in _REFERENCE_IN_TEXT.findall(text or ""):
        reference = reference_normalise(f"PMI-{first}-{second}")
        if reference and reference not in found:
            found.append(reference)
    return found


def _complaint_of_sender(message: InboundInput, sender: str) -> Complaint | None:
    """The named complaint whose contact on file is this sender; None otherwise."""
    references = references_in_text(f"{message.subject}\n{message.text}")
    if not references:
        return None
    candidates = Complaint.objects.select_related("office").filter(
        reference__in=references[:3], anonymised_at__isnull=True
    )
    if message.channel == IntakeChannel.EMAIL:
        # E-mail addresses are easy to forge: the reply token must be there too.
        if not message.reply_token:
            return None
        candidates = candidates.filter(
            reporter_email__iexact=sender, reply_token=message.reply_token
        ).exclude(reply_token="")
    else:
        candidates = candidates.filter(Q(reporter_phone=sender) | Q(reporter_whatsapp=sender))
    return candidates.first()


# Referrals (SP4N-LAPOR!) are answered through the referring system, not by us.
_REPLY_CHANNELS: dict[str, ContactChannel] = {
    IntakeChannel.WHATSAPP: ContactChannel.WHATSAPP,
    IntakeChannel.SMS: ContactChannel.SMS,
    IntakeChannel.EMAIL: ContactChannel.EMAIL,
}


def _reply_channel(channel: str) -> ContactChannel | None:
    return _REPLY_CHANNELS.get(channel)


def inbound_message_receive(
    *, message: InboundInput, files: Sequence[InboundFile] = (), known_new: bool = False
) -> tuple[ReceiveOutcome, InboundMessage | None]:
    """Store and route one message; returns ("appended" | "draft" | "duplicate", row).

    `files` (checked by `inbound_files_check` before the call) are kept with a draft; a message
    appended to its case has its files handled by its own channel (mail_intake).
    `known_new`: the caller looked the message id up already (the mail poller, once per batch);
    the unique constraint still settles a race with a concurrent delivery."""
    if (
        not known_new
        and InboundMessage.objects.filter(
            gateway=message.gateway, message_id=message.message_id
        ).exists()
    ):
        return "duplicate", None
    if message.channel == IntakeChannel.EMAIL:
        sender = message.sender.strip().lower()[:254]
    else:
        sender, _problem = phone_normalise(message.sender)
        sender = sender or _clean(message.sender, limit=40)
    text = _clean(message.text, limit=MESSAGE_MAX)
    received_at = min(message.received_at, timezone.now() + CLOCK_SKEW)
    stored_names: list[str] = []
    try:
        with transaction.atomic():
            row = InboundMessage(
                gateway=message.gateway,
                message_id=message.message_id[:200],
                channel=message.channel,
                sender=sender,
                subject=_clean(message.subject, limit=200),
                text=text,
                received_at=received_at,
                status=InboundStatus.DRAFT,
            )
            complaint = _complaint_of_sender(message, sender) if text else None
            if complaint is not None:
                try:
                    complaint_reporter_message(complaint=complaint, body=text)
                except ValidationError:
                    complaint = None
            if complaint is not None:
                row.status = InboundStatus.APPENDED
                row.complaint = complaint
                row.save()
                return "appended", row
            row.save()
            if files:
                inbound_files_store(message=row, files=files, stored_names=stored_names)
            _reply_once(row)
            return "draft", row
    except IntegrityError:
        # A concurrent delivery of the same message won the race: it is stored once.
        storage_discard(names=stored_names)
        return "duplicate", None
    except BaseException:
        storage_discard(names=stored_names)
        raise


def _reply_once(row: InboundMessage) -> None:
    channel = _reply_channel(row.channel)
    if channel is None or not row.sender:
        return
    notification_queue(
        channel=channel,
        recipient=row.sender,
        template=REPLY_TEMPLATE,
        context={},
        dedupe_key=f"{INBOUND_REPLY_KEY_PREFIX}{channel}:{row.sender}:{row.received_at.date().isoformat()}",
    )


def inbound_message_ignore(*, message: InboundInput, reason: str) -> IgnoreOutcome:
    """Record a message that must not become a case (auto-reply, bounce, loop, too large), so a
    second fetch skips it too. Returns "ignored" or "duplicate"."""
    try:
        with transaction.atomic():
            InboundMessage.objects.create(
                gateway=message.gateway,
                message_id=message.message_id[:200],
                channel=message.channel,
                sender=message.sender.strip().lower()[:254],
                subject=_clean(message.subject, limit=200),
                text="",
                received_at=min(message.received_at, timezone.now() + CLOCK_SKEW),
                status=InboundStatus.IGNORED,
                note=reason[:200],
            )
    except IntegrityError:
        return "duplicate"
    return "ignored"
