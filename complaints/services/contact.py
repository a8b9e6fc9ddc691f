"""How do we reach this reporter? One answer for every message the portal sends them.

Intake (the acknowledgement), triage (status changes and replies) and closure (the automatic
closing notice) ask `complaint_reporter_contact`; none keeps its own copy of the rule.
"""

from __future__ import annotations

from complaints.choices import ContactChannel
from complaints.models import Complaint

# Without a stated preference, the first channel the reporter gave, in this order.
CONTACT_ORDER = (ContactChannel.EMAIL, ContactChannel.WHATSAPP, ContactChannel.SMS)


def complaint_reporter_contact(*, complaint: Complaint) -> tuple[str, str] | None:
    """(channel, recipient) for messages to the reporter, or None: they read the tracking page.

    None for an anonymous reporter and for one whose personal data was anonymised (retention).
    The preferred channel first when it has an address, else e-mail, WhatsApp, SMS. WhatsApp
    falls back to the phone number: most reporters give one number and use WhatsApp on it.
    """
    if complaint.is_anonymous or complaint.anonymised_at:
        return None
    addresses = {
        ContactChannel.EMAIL: complaint.reporter_email,
        ContactChannel.WHATSAPP: complaint.reporter_whatsapp or complaint.reporter_phone,
        ContactChannel.SMS: complaint.reporter_phone,
    }
    preferred = complaint.preferred_channel
    order = (preferred, *CONTACT_ORDER) if preferred in addresses else CONTACT_ORDER
    for channel in order:
        recipient = addresses[ContactChannel(channel)]
        if recipient:
            return str(channel), recipient
    return None
