"""SP4N-LAPOR! adapter: the interface a live connection implements, switched off by default.

SP4N-LAPOR! (the national public-service complaint system) refers complaints about migrant
workers to the ministry. Until the ministry has an agreement and credentials, reports referred
through it are entered by officers through staff intake (channel "referral", referrer
"sp4n_lapor", its tracking number as `referrer_reference`, searchable in the queue). A live
connection implements `LaporAdapter`; `lapor_adapter()` returns None while `LAPOR_API_URL` is
empty (the default), and `lapor_import` turns fetched reports into drafts of the ministry's intake
queue, once per tracking number, exactly like inbound WhatsApp or e-mail.

The payload shape handled by `lapor_report_parse` is the one recorded in
tests/complaints/data/lapor_report.json; it is an assumption to check against the real API's
documentation before a live connection is switched on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.dateparse import parse_datetime

from complaints.choices import InboundGateway, IntakeChannel
from complaints.services.inbound import InboundInput, inbound_message_receive


@dataclass(frozen=True)
class LaporReport:
    tracking_id: str
    title: str
    content: str
    created_at: dt.datetime
    reporter_phone: str = ""
    category: str = ""


class LaporAdapter(Protocol):
    """What a live SP4N-LAPOR! connection provides."""

    def fetch_new(self, *, since: dt.datetime) -> list[LaporReport]:
        """Reports referred to the ministry since a time (oldest first)."""
        ...

    def push_status(self, *, tracking_id: str, status: str, message: str) -> None:
        """Report progress back to SP4N-LAPOR! (the portal's status and public reply)."""
        ...


def lapor_adapter() -> LaporAdapter | None:
    """The configured adapter, or None (the default: no live connection)."""
    if not settings.LAPOR_API_URL:
        return None
    raise NotImplementedError(
        "No live SP4N-LAPOR! client yet: implement LaporAdapter for the ministry's credentials."
    )


def lapor_report_parse(payload: dict) -> LaporReport:
    """One report of the recorded payload shape; KeyError/ValueError for anything else."""
    created = parse_datetime(str(payload["created_at"]))
    if created is None or created.tzinfo is None:
        raise ValueError("created_at must be an ISO 8601 time with an offset")
    tracking_id = str(payload["tracking_id"]).strip()
    if not tracking_id or len(tracking_id) > 80:
        raise ValueError("tracking_id must be 1-80 characters")
    return LaporReport(
        tracking_id=tracking_id,
        title=str(payload.get("title") or "")[:200],
        content=str(payload.get("content") or ""),
        created_at=created,
        reporter_phone=str((payload.get("reporter") or {}).get("phone") or ""),
        category=str(payload.get("category") or ""),
    )


def lapor_import(reports: list[LaporReport]) -> dict[str, int]:
    """Each report becomes a draft of the intake queue once (by tracking number)."""
    counts: dict[str, int] = {}
    for report in reports:
        outcome, _row = inbound_message_receive(
            message=InboundInput(
                gateway=InboundGateway.SP4N_LAPOR,
                message_id=report.tracking_id,
                channel=IntakeChannel.REFERRAL,
                sender=report.reporter_phone,
                subject=report.title,
                text=f"{report.title}\n\n{report.content}".strip(),
                received_at=report.created_at,
            )
        )
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
