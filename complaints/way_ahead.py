"""The way ahead of a complaint, as its reporter reads it (tracking page and API):
the current stage, the next step, by when (the service-standard date in the worker's time zone,
taken from the destination country, and in WIB), and what the worker can do now.

Read-only. The date comes from `complaint_standard_due` alone, so that the service standard's own
selector (`complaints.selectors.complaint_standard_state`, when it lands) replaces `due_at` in one
place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext_lazy as _

from complaints.choices import OPEN_STATUSES, SlaStage, Status, WaitingReason
from complaints.models import Complaint

WIB = ZoneInfo("Asia/Jakarta")

# The zone most workers of the main destinations live in; other countries take the first zone
# the tz database lists for them (zone.tab), and WIB alone when it lists none.
MAIN_DESTINATION_ZONES = {
    "MY": "Asia/Kuala_Lumpur",
    "SA": "Asia/Riyadh",
    "TW": "Asia/Taipei",
    "HK": "Asia/Hong_Kong",
    "SG": "Asia/Singapore",
    "KR": "Asia/Seoul",
    "JP": "Asia/Tokyo",
    "AE": "Asia/Dubai",
    "QA": "Asia/Qatar",
    "KW": "Asia/Kuwait",
    "OM": "Asia/Muscat",
    "BN": "Asia/Brunei",
    "TR": "Europe/Istanbul",
    "US": "America/New_York",
    "AU": "Australia/Sydney",
}

NEXT_STEP = {
    SlaStage.VERIFICATION: _("The office checks your report and confirms it is complete."),
    SlaStage.FIRST_RESPONSE: _("The office sends you a first answer on what it will do."),
    SlaStage.RESOLUTION: _("The office works on solving the problem and tells you the result."),
}


@dataclass(frozen=True)
class WayAhead:
    stage: str
    next_step: str
    can_do: str
    due_at: datetime | None
    due_local: datetime | None
    due_wib: datetime | None
    time_zone: str
    time_zone_label: str
    can_write: bool


@cache
def _zone_tab() -> dict[str, str]:
    for folder in TZPATH:
        path = Path(folder) / "zone.tab"
        if path.exists():
            zones: dict[str, str] = {}
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.split("\t")
                if len(parts) >= 3:
                    zones.setdefault(parts[0], parts[2])
            return zones
    return {}


def country_time_zone(code: str) -> ZoneInfo:
    """The time zone of a worker in country `code`; WIB when unknown."""
    name = MAIN_DESTINATION_ZONES.get(code) or _zone_tab().get(code)
    if not name:
        return WIB
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return WIB


def _zone_label(zone: ZoneInfo, moment: datetime) -> str:
    """ "Kuala Lumpur, UTC+08:00": a place a worker recognises and the offset at that moment."""
    offset = moment.astimezone(zone).strftime("%z")
    return f"{zone.key.rsplit('/', 1)[-1].replace('_', ' ')}, UTC{offset[:3]}:{offset[3:]}"


def complaint_standard_due(*, complaint: Complaint, now: datetime) -> datetime | None:
    """When the current service-standard step is due, or None while the clock is paused or
    stopped. The one place to switch to `complaint_standard_state` (sla-truth)."""
    if complaint.status not in OPEN_STATUSES:
        return None
    return complaint.due_at


def complaint_way_ahead(*, complaint: Complaint, now: datetime) -> WayAhead:
    due = complaint_standard_due(complaint=complaint, now=now)
    zone = country_time_zone(str(complaint.destination_country or ""))
    status = complaint.status
    can_write = status not in (Status.CLOSED, Status.REJECTED, Status.DUPLICATE)
    if status in OPEN_STATUSES:
        next_step = NEXT_STEP.get(complaint.sla_stage, NEXT_STEP[SlaStage.RESOLUTION])
        can_do = _(
            "You can add a message or a document below at any time, for example if something "
            "changed or you remember more."
        )
    elif status == Status.WAITING_REPORTER:
        next_step = _(
            "The office is waiting for you. The service clock is paused until you answer."
        )
        can_do = (
            _("Send the documents the office asked for below (photos or PDF).")
            if complaint.waiting_reason == WaitingReason.DOCUMENTS
            else _("Answer the office's question in a message below.")
        )
    elif status == Status.RESOLVED:
        next_step = _("The office considers the problem solved; the report will then be closed.")
        can_do = _(
            "If the problem is not solved, tell the office in a message below within 10 working "
            "days: it can open the report again."
        )
    else:
        next_step = _("No further steps: this report is finished.")
        can_do = _("If you need more help, file a new report and quote this reference number.")
    return WayAhead(
        stage=complaint.get_status_display(),
        next_step=str(next_step),
        can_do=str(can_do),
        due_at=due,
        due_local=due.astimezone(zone) if due else None,
        due_wib=due.astimezone(WIB) if due else None,
        time_zone=zone.key,
        time_zone_label=_zone_label(zone, due or now),
        can_write=can_write,
    )
