"""Safe contact: when the portal may reach a reporter, and how much a message may say.

A worker abroad may be endangered by a message their employer reads. Each complaint can carry a
window of safe hours (`safe_contact_from`/`safe_contact_until`, in the reporter's time zone: the
one set on the complaint, else the destination country's) and a message detail level; discreet
messages say only "Portal PMI: ada pembaruan, kode PMI-…". Every message to the reporter (SMS,
WhatsApp and e-mail alike) asks `safe_contact_next` when it may go: the outbox row is scheduled for
the window's next opening (at queue time and again at delivery, since staff may edit the window
while it waits). This module is the one place that knows the rule.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from complaints.choices import MessageDetail

if TYPE_CHECKING:
    from complaints.models import Complaint
from portal.types import StaffUser

# The main destination countries' usual time zone; a country with several (US, AU, SA is one)
# takes the capital's, and staff set the exact one on the complaint when they know it.
COUNTRY_TIME_ZONES = {
    "MY": "Asia/Kuala_Lumpur",
    "SA": "Asia/Riyadh",
    "TW": "Asia/Taipei",
    "HK": "Asia/Hong_Kong",
    "SG": "Asia/Singapore",
    "KR": "Asia/Seoul",
    "JP": "Asia/Tokyo",
    "AE": "Asia/Dubai",
    "QA": "Asia/Qatar",
    "BN": "Asia/Brunei",
    "KW": "Asia/Kuwait",
    "OM": "Asia/Muscat",
    "BH": "Asia/Bahrain",
    "JO": "Asia/Amman",
    "TR": "Europe/Istanbul",
    "PL": "Europe/Warsaw",
    "DE": "Europe/Berlin",
    "NL": "Europe/Amsterdam",
    "GB": "Europe/London",
    "IT": "Europe/Rome",
    "AU": "Australia/Sydney",
    "NZ": "Pacific/Auckland",
    "US": "America/New_York",
    "TH": "Asia/Bangkok",
    "CN": "Asia/Shanghai",
    "MO": "Asia/Macau",
    "PH": "Asia/Manila",
    "VN": "Asia/Ho_Chi_Minh",
    "KH": "Asia/Phnom_Penh",
    "MM": "Asia/Yangon",
}
DEFAULT_TIME_ZONE = "Asia/Jakarta"
DISCREET_TEMPLATE = "discreet_update"


def time_zone_valid(name: str) -> bool:
    if not name or len(name) > 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def contact_time_zone(*, country: str, explicit: str = "") -> ZoneInfo:
    """The reporter's time zone: the one on the complaint, else the destination country's."""
    if explicit and time_zone_valid(explicit):
        return ZoneInfo(explicit)
    return ZoneInfo(COUNTRY_TIME_ZONES.get(str(country or "").upper(), DEFAULT_TIME_ZONE))


def complaint_time_zone(*, complaint: Complaint) -> ZoneInfo:
    return contact_time_zone(
        country=str(getattr(complaint.destination_country, "code", complaint.destination_country)),
        explicit=complaint.contact_time_zone,
    )


def window_contains(*, start: dt.time, end: dt.time, moment: dt.time) -> bool:
    """Is `moment` inside [start, end)? A window past midnight (21:00-07:00) wraps around."""
    if start == end:
        return True  # the same hour twice means "any time"
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def safe_contact_next(
    *, start: dt.time | None, end: dt.time | None, zone: ZoneInfo, at: dt.datetime
) -> dt.datetime:
    """The first moment at or after `at` when contact is safe (aware, UTC-comparable)."""
    if start is None or end is None:
        return at
    local = at.astimezone(zone)
    if window_contains(start=start, end=end, moment=local.time().replace(tzinfo=None)):
        return at
    day = local.date()
    if local.time().replace(tzinfo=None) >= start:
        day += dt.timedelta(days=1)
    opening = dt.datetime.combine(day, start, tzinfo=zone)
    # A wall time skipped by a DST jump does not exist: ZoneInfo maps it forward, which is safe.
    return opening.astimezone(dt.UTC)


def complaint_safe_contact_next(*, complaint: Complaint, at: dt.datetime) -> dt.datetime:
    return safe_contact_next(
        start=complaint.safe_contact_from,
        end=complaint.safe_contact_until,
        zone=complaint_time_zone(complaint=complaint),
        at=at,
    )


def complaint_is_discreet(*, complaint: Complaint) -> bool:
    return bool(complaint.message_detail == MessageDetail.DISCREET)


def discreet_text(reference: str) -> str:
    """The whole of a discreet message, in every language: no word about complaints, employers or
    agencies (design: a phone may be read by the employer)."""
    return f"Portal PMI: ada pembaruan, kode {reference}"


def complaint_safe_contact_update(
    *,
    complaint: Complaint,
    actor: StaffUser,
    start: dt.time | None,
    end: dt.time | None,
    time_zone: str = "",
    discreet: bool = False,
) -> Complaint:
    """Staff set the reporter's safe hours, time zone and message detail (told on the phone, say).

    Pending messages to the reporter are rescheduled to the new window at once; an internal note
    records the change. Needs the right to see the reporter's personal data.
    """
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from complaints.choices import NotificationStatus
    from complaints.models import Notification
    from complaints.selectors import complaint_list_for_staff, complaint_personal_data_visible
    from complaints.services.events import complaint_internal_note_event
    from portal.exceptions import ApplicationError

    errors = {}
    if (start is None) != (end is None):
        errors["safe_contact_until" if end is None else "safe_contact_from"] = [
            _("Please give both the start and the end of the safe hours.")
        ]
    time_zone = (time_zone or "").strip()
    if time_zone and not time_zone_valid(time_zone):
        errors["contact_time_zone"] = [_("Please choose a time zone from the list.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            complaint_list_for_staff(user=actor)
            .select_for_update(of=("self",))
            .filter(pk=complaint.pk)
            .first()
        )
        if locked is None or not complaint_personal_data_visible(user=actor, complaint=locked):
            raise ApplicationError(_("Complaint not found."))
        if locked.is_anonymous:
            raise ApplicationError(_("An anonymous reporter cannot be contacted."))
        locked.safe_contact_from, locked.safe_contact_until = start, end
        locked.contact_time_zone = time_zone
        locked.message_detail = MessageDetail.DISCREET if discreet else MessageDetail.FULL
        locked.save(
            update_fields=[
                "safe_contact_from",
                "safe_contact_until",
                "contact_time_zone",
                "message_detail",
                "updated_at",
            ]
        )
        complaint_internal_note_event(
            complaint=locked,
            actor=actor,
            body=_("Safe contact changed."),
            data={
                "safe_contact_from": start.isoformat() if start else None,
                "safe_contact_until": end.isoformat() if end else None,
                "contact_time_zone": time_zone,
                "discreet": bool(discreet),
            },
        )
        due = complaint_safe_contact_next(complaint=locked, at=timezone.now())
        Notification.objects.filter(
            complaint=locked, office__isnull=True, status=NotificationStatus.PENDING
        ).update(next_attempt_at=due)
    return locked
