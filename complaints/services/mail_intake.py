"""E-mail in: a mailbox polled over IMAP (INBOUND_IMAP_URL, off by default) feeds the same inbound
workflow as WhatsApp and SMS (complaints.services.inbound).

- A reply that carries a case's reference and its reply token (in the subject, "[PMI-XXXX-XXXX
  #token]" as the portal's own mail to the reporter has it, or in a plus address
  "...+PMI-XXXX-XXXX.token@...") from the e-mail on file is appended to that case as a reporter
  message, with its attachments through the same upload checks as the form's. Never to another.
- Any other message is a draft in the ministry's intake queue (channel e-mail) that an officer
  records through staff intake; the sender gets one reply a day on how to follow it. Its files
  go through the same upload checks as the form's (images re-encoded without EXIF and other
  metadata); a refused file is recorded with its reason and the draft is stored all the same
  (complaints.services.inbound_files).
- Auto-replies (Auto-Submitted other than "no", Precedence bulk/junk/list/auto_reply, X-Autoreply),
  bounces (multipart/report, mailer-daemon/postmaster, empty Return-Path), the portal's own mail
  (a loop: its notification header, or the portal's own address as sender) and oversized mail
  (INBOUND_MAIL_MAX_BYTES) are recorded as ignored and never answered.
- HTML-only bodies go through the sanitiser (nh3, every tag removed) before anything stores them.

Each message is stored once per Message-ID (or the digest of its bytes when it has none), so a
second poll, or two pollers at once, change nothing; messages are marked seen after they are stored.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import html
import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import TYPE_CHECKING, Literal, NamedTuple
from urllib.parse import unquote, urlparse

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from complaints.choices import InboundGateway, InboundStatus, IntakeChannel
from complaints.models import Complaint, InboundMessage
from complaints.references import reference_normalise
from complaints.services.inbound import (
    IgnoreOutcome,
    InboundInput,
    ReceiveOutcome,
    inbound_message_ignore,
    inbound_message_receive,
)
from complaints.services.inbound_files import inbound_files_check
from complaints.services.intake import MESSAGE_MAX, complaint_reporter_message

if TYPE_CHECKING:
    # Imported where the poll runs: a portal without a mailbox never loads the IMAP client.
    from imap_tools import BaseMailBox

logger = logging.getLogger(__name__)

# "[PMI-7K3M-9QXR #1a2b3c4d]" in a subject (any "Re:"/"Fwd:" around it), or a plus address.
_SUBJECT_TOKEN = re.compile(r"(PMI-[A-Z0-9]{4}-[A-Z0-9]{4})\s*#\s*([0-9a-f]{8})", re.I)
_ADDRESS_TOKEN = re.compile(r"\+(PMI-[A-Z0-9]{4}-[A-Z0-9]{4})\.([0-9a-f]{8})@", re.I)
_BOUNCE_SENDERS = ("mailer-daemon@", "postmaster@")
_BULK = {"bulk", "junk", "list", "auto_reply"}
# One poll handles at most this many messages: the rest wait for the next tick, so a flood never
# keeps one worker busy for long (1,000 new mails took 20-40 s in bench/channels.py on the shared,
# loaded 2-core machine, every one a draft with its reply).
POLL_LIMIT = 1000
LOOP_HEADER = "X-Portal-Notification"


# What storing one fetched mail came to; "error" when it could not be read or stored.
MailOutcome = ReceiveOutcome | IgnoreOutcome | Literal["error"]


class MailAttachment(NamedTuple):
    """One attached file as the mail carried it (the triple `inbound_files_check` reads)."""

    name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    secure: bool


@dataclass
class ParsedMail:
    message_id: str
    sender: str
    subject: str
    text: str
    received_at: dt.datetime
    recipients: list[str]
    attachments: list[MailAttachment] = field(default_factory=list)
    ignore_reason: str = ""


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name, "")
    except (ValueError, TypeError, IndexError):  # a malformed header is not a reason to fail
        return ""
    return str(value or "").strip()


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        try:
            return str(part.get_content())
        except (LookupError, ValueError, AssertionError):
            return ""
    part = message.get_body(preferencelist=("html",))
    if part is None:
        return ""
    try:
        markup = str(part.get_content())
    except (LookupError, ValueError, AssertionError):
        return ""
    # The sanitiser with no tags allowed: scripts and styles go with their content.
    return html.unescape(nh3.clean(markup, tags=set(), clean_content_tags={"script", "style"}))


def _ignore_reason(message: EmailMessage, *, sender: str, size: int) -> str:
    if size > settings.INBOUND_MAIL_MAX_BYTES:
        return "oversized"
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return "auto-submitted"
    if _header(message, "Precedence").lower() in _BULK or _header(message, "X-Autoreply"):
        return "auto-reply"
    if message.get_content_type() == "multipart/report" or sender.startswith(_BOUNCE_SENDERS):
        return "bounce"
    if _header(message, "Return-Path") == "<>":
        return "bounce"
    own = {
        email.utils.parseaddr(address)[1].lower()
        for address in (settings.INBOUND_MAIL_ADDRESS, settings.DEFAULT_FROM_EMAIL)
        if address
    }
    if _header(message, LOOP_HEADER) or sender in own:
        return "loop"
    return ""


def mail_parse(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    sender = email.utils.parseaddr(_header(message, "From"))[1].lower()[:254]
    message_id = _header(message, "Message-ID")[:200] or (
        "sha256:" + hashlib.sha256(raw).hexdigest()
    )
    try:
        received_at = email.utils.parsedate_to_datetime(_header(message, "Date"))
        if received_at.tzinfo is None:
            raise ValueError
    except (TypeError, ValueError, IndexError):
        received_at = timezone.now()
    recipients = [
        address.lower()
        for _name, address in email.utils.getaddresses(
            [_header(message, "To"), _header(message, "Cc"), _header(message, "Delivered-To")]
        )
        if address
    ]
    parsed = ParsedMail(
        message_id=message_id,
        sender=sender,
        subject=_header(message, "Subject")[:200],
        text="",
        received_at=min(received_at, timezone.now()),
        recipients=recipients,
        ignore_reason=_ignore_reason(message, sender=sender, size=len(raw)),
    )
    if parsed.ignore_reason:
        return parsed
    parsed.text = _body_text(message)[:MESSAGE_MAX]
    for part in message.iter_attachments():
        try:
            content = part.get_content()
        except (LookupError, ValueError, AssertionError):
            continue
        if isinstance(content, str):
            content = content.encode()
        if isinstance(content, bytes):
            name = (part.get_filename() or "lampiran")[:120]
            parsed.attachments.append(MailAttachment(name, content, part.get_content_type()))
    return parsed


def _reply_target(parsed: ParsedMail) -> Complaint | None:
    """The case this mail answers: reference + reply token + the e-mail on file, all three."""
    match = _SUBJECT_TOKEN.search(parsed.subject)
    if match is None:
        for recipient in parsed.recipients:
            match = _ADDRESS_TOKEN.search(recipient)
            if match:
                break
    if match is None:
        return None
    reference = reference_normalise(match.group(1))
    token = match.group(2).lower()
    if not reference:
        return None
    return (
        Complaint.objects.select_related("office")
        .filter(
            reference=reference,
            reply_token=token,
            reporter_email__iexact=parsed.sender,
            anonymised_at__isnull=True,
        )
        .exclude(reply_token="")
        .first()
    )


def _stored_message_ids(message_ids: list[str]) -> set[str]:
    """Which of these Message-IDs are stored already: one query for a whole fetched batch."""
    return set(
        InboundMessage.objects.filter(
            gateway=InboundGateway.EMAIL, message_id__in=message_ids
        ).values_list("message_id", flat=True)
    )


def _mail_store(parsed: ParsedMail) -> ReceiveOutcome | IgnoreOutcome:
    """Store a parsed mail not seen before (a concurrent poller's copy still loses on the
    unique constraint and answers "duplicate")."""
    inbound = InboundInput(
        gateway=InboundGateway.EMAIL,
        message_id=parsed.message_id,
        channel=IntakeChannel.EMAIL,
        sender=parsed.sender,
        subject=parsed.subject,
        text=parsed.text,
        received_at=parsed.received_at,
    )
    if parsed.ignore_reason or not parsed.sender:
        return inbound_message_ignore(message=inbound, reason=parsed.ignore_reason or "no sender")
    complaint = _reply_target(parsed)
    if complaint is None:
        # A new message: its files are kept with the draft through the form's upload checks.
        kept = inbound_files_check(files=parsed.attachments)
        return inbound_message_receive(message=inbound, files=kept, known_new=True)[0]
    files = [
        SimpleUploadedFile(name, content, content_type=kind)
        for name, content, kind in parsed.attachments
    ]
    note = ""
    try:
        with transaction.atomic():
            try:
                complaint_reporter_message(complaint=complaint, body=parsed.text, attachments=files)
            except ValidationError:
                # A refused file never costs the words: keep the text, say what was dropped.
                note = "attachments refused by the upload checks"
                complaint_reporter_message(
                    complaint=complaint,
                    body=parsed.text or "(lampiran ditolak / attachment refused)",
                )
            InboundMessage.objects.create(
                gateway=InboundGateway.EMAIL,
                message_id=parsed.message_id,
                channel=IntakeChannel.EMAIL,
                sender=parsed.sender,
                subject=parsed.subject,
                text=parsed.text,
                received_at=parsed.received_at,
                status=InboundStatus.APPENDED,
                complaint=complaint,
                note=note,
            )
    except IntegrityError:
        return "duplicate"
    return "appended"


def _imap_settings(url: str) -> ImapSettings:
    parsed = urlparse(url)
    if parsed.scheme not in ("imap", "imaps"):
        raise ValueError("INBOUND_IMAP_URL must start with imap:// or imaps://")
    return ImapSettings(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or (993 if parsed.scheme == "imaps" else 143),
        user=unquote(parsed.username or ""),
        password=unquote(parsed.password or ""),
        secure=parsed.scheme == "imaps",
    )


# One FETCH asks for this many messages (one round trip), and their rows are written in one
# transaction with a savepoint per message: a commit (a disk flush) per batch instead of per mail.
# 50 mails of the 25 MB maximum would be 1.25 GB in memory at worst; typical mail is a few KB.
FETCH_BATCH = 50
_FETCH_UID = re.compile(rb"UID (\d+)")


def _fetch_raw(mailbox: BaseMailBox, uids: list[str]) -> list[tuple[str, bytes]]:
    """(uid, raw bytes) of these messages in one FETCH. BODY.PEEK leaves them unseen until they
    are stored; the raw bytes are what `mail_parse` reads (no parse and re-serialise)."""
    status, data = mailbox.client.uid("fetch", ",".join(uids), "(UID BODY.PEEK[])")
    if status != "OK":
        raise OSError(f"IMAP FETCH answered {status}")
    fetched = []
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2:
            match = _FETCH_UID.search(item[0])
            if match:
                fetched.append((match.group(1).decode(), item[1]))
    return fetched


def _batch_store(fetched: list[tuple[str, bytes]], counts: dict[MailOutcome, int]) -> None:
    parsed: list[tuple[str, ParsedMail | None]] = []
    for uid, raw in fetched:
        try:
            parsed.append((uid, mail_parse(raw)))
        except Exception:  # one unreadable message must not stop the mailbox
            logger.exception("inbound mail uid %s could not be read", uid)
            parsed.append((uid, None))
    stored = _stored_message_ids([mail.message_id for _uid, mail in parsed if mail is not None])
    seen_now: set[str] = set()
    with transaction.atomic():
        for uid, mail in parsed:
            outcome: MailOutcome
            if mail is None:
                outcome = "error"
            elif mail.message_id in stored or mail.message_id in seen_now:
                outcome = "duplicate"
            else:
                try:
                    with transaction.atomic():  # a savepoint: one bad mail rolls back alone
                        outcome = _mail_store(mail)
                except Exception:
                    logger.exception("inbound mail uid %s could not be stored", uid)
                    outcome = "error"
                seen_now.add(mail.message_id)
            counts[outcome] = counts.get(outcome, 0) + 1


def mailbox_poll(
    *, url: str = "", folder: str = "", limit: int = POLL_LIMIT
) -> dict[MailOutcome, int]:
    """Fetch unseen mail, store each message once, mark it seen. Returns counts per outcome.

    Messages are fetched FETCH_BATCH at a time; each batch is stored (one transaction) before
    its messages are marked seen, so a poller killed midway fetches the unstored ones again and
    the stored ones are recognised by their Message-ID."""
    from imap_tools import AND, MailBox, MailBoxUnencrypted

    url = url or settings.INBOUND_IMAP_URL
    if not url:
        return {}
    config = _imap_settings(url)
    box_class = MailBox if config.secure else MailBoxUnencrypted
    counts: dict[MailOutcome, int] = {}
    with box_class(config.host, port=config.port).login(
        config.user, config.password, initial_folder=folder or settings.INBOUND_IMAP_FOLDER
    ) as mailbox:
        uids = mailbox.uids(AND(seen=False))[:limit]
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start : start + FETCH_BATCH]
            _batch_store(_fetch_raw(mailbox, batch), counts)
            mailbox.flag(batch, "\\Seen", True)
    return counts
