"""Lost key: a reporter who lost the secret key asks for a new one, sent to the contact on file.

The request names the reference and proves a little knowledge of the contact: the last 4 digits of
the phone (or WhatsApp) number, or the e-mail address. When both match, a new key replaces the old
one (which stops working at once) and goes only to that contact, through the outbox (so it waits
for the reporter's safe hours like every other message). The answer is the same whether or not
anything matched, and costs the same slow hash either way. Requests are rate limited per client
and per reference; tracking with the rightful key is never limited by them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from complaints.choices import ContactChannel, NotificationStatus
from complaints.models import Complaint, Notification
from complaints.references import (
    access_key_generate,
    access_key_hash,
    reference_normalise,
)
from complaints.services.notifications import notification_queue

TEMPLATE = "access_key_reissued"
# Per client: a shelter sharing one address can still make a few requests an hour.
CLIENT_LIMIT, CLIENT_WINDOW = 10, 3600
# Per reference: a worker who lost the key needs one or two; more is someone trying contacts.
REFERENCE_LIMIT, REFERENCE_WINDOW = 3, 86400
_DIGITS = re.compile(r"^\d{4}$")

logger = logging.getLogger(__name__)


def _counter_key(scope: str, ident: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), ident.encode(), hashlib.sha256).hexdigest()
    return f"rl:{scope}:{digest[:32]}:{int(time.time() // window)}"


def _limited(scope: str, ident: str, limit: int, window: int) -> int:
    """0 when allowed (and counted); else seconds until the window ends."""
    key = _counter_key(scope, ident, window)
    try:
        if cache.add(key, 1, window + 1):
            return 0
        count = cache.incr(key)
    except Exception as error:  # a dead cache fails open, like the other limits
        logger.warning("rate limit cache unavailable: %s", type(error).__name__)
        return 0
    if count <= limit:
        return 0
    return max(1, int(window - time.time() % window))


def lost_key_wait_seconds(*, client: str, reference: str) -> int:
    return max(
        _limited("lost_key_client", client, CLIENT_LIMIT, CLIENT_WINDOW),
        _limited("lost_key_reference", reference or "-", REFERENCE_LIMIT, REFERENCE_WINDOW),
    )


def _target(complaint: Complaint, hint: str) -> tuple[str, str] | None:
    """(channel, recipient) on file that the hint matches, or None."""
    if complaint.is_anonymous or complaint.anonymised_at:
        return None
    hint = hint.strip()
    if "@" in hint:
        if complaint.reporter_email and complaint.reporter_email.lower() == hint.lower():
            return ContactChannel.EMAIL, complaint.reporter_email
        return None
    digits = re.sub(r"\D", "", hint)
    if not _DIGITS.match(digits):
        return None
    if complaint.reporter_whatsapp.endswith(digits) and (
        complaint.preferred_channel == ContactChannel.WHATSAPP or not complaint.reporter_phone
    ):
        return ContactChannel.WHATSAPP, complaint.reporter_whatsapp
    if complaint.reporter_phone.endswith(digits):
        channel = (
            ContactChannel.WHATSAPP
            if complaint.preferred_channel == ContactChannel.WHATSAPP
            else ContactChannel.SMS
        )
        return channel, complaint.reporter_phone
    if complaint.reporter_whatsapp.endswith(digits):
        return ContactChannel.WHATSAPP, complaint.reporter_whatsapp
    return None


def complaint_access_key_reissue(*, reference: str, contact_hint: str) -> bool:
    """Replace the key and send the new one to the matching contact. Returns whether it did (for
    tests and logs only: interfaces answer the same either way)."""
    normalised = reference_normalise(reference)
    new_key = access_key_generate()
    # Always pay the hash, so a miss and a hit take the same time.
    new_hash = access_key_hash(new_key)
    if not normalised:
        return False
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(of=("self",)).filter(reference=normalised).first()
        )
        target = _target(complaint, contact_hint) if complaint is not None else None
        if complaint is None or target is None:
            return False
        complaint.access_key_hash = new_hash
        complaint.save(update_fields=["access_key_hash", "updated_at"])
        # Earlier unsent key messages carry a key that no longer works: withdraw them.
        Notification.objects.filter(
            complaint=complaint, template=TEMPLATE, status=NotificationStatus.PENDING
        ).update(status=NotificationStatus.CANCELLED, context={})
        channel, recipient = target
        notification_queue(
            channel=channel,
            recipient=recipient,
            template=TEMPLATE,
            context={"reference": complaint.reference, "access_key": new_key},
            dedupe_key=f"complaint:{complaint.pk}:key:{new_hash[-24:]}",
            language=complaint.language or "id",
            complaint=complaint,
        )
    return True
