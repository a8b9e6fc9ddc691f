"""Builders for dashboard tests: many complaints with chosen timestamps, written in bulk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from complaints.models import Complaint
from complaints.services.sla import complaint_standard_backfill
from tests.complaints.factories import ComplaintFactory


@dataclass(frozen=True)
class Spec:
    """One complaint of a generated data set; delays are hours after receipt (None: not yet)."""

    office_code: str
    category_slug: str
    country: str
    region: str
    status: str
    urgent: bool
    created_hours_ago: int
    verify_after: int | None = None
    respond_after: int | None = None
    resolve_after: int | None = None
    escalation_level: int = 0
    due_in_hours: int = 24
    assignee: object | None = None
    agency: object | None = None
    employer_name: str = ""
    channel: str = "web"


def complaints_create(specs: list[Spec], *, offices: dict, categories: dict, now: datetime):
    """Create the complaints, then set their timestamps (created_at is auto_now_add)."""
    built = []
    for spec in specs:
        built.append(
            ComplaintFactory.build(
                # Hashing a key per row is what makes building slow; no test here reads it.
                access_key_hash="!unusable-dashboard-test",
                office=offices[spec.office_code],
                category=categories[spec.category_slug],
                kind=categories[spec.category_slug].kind,
                destination_country=spec.country,
                origin_region_id=spec.region,
                status=spec.status,
                is_urgent=spec.urgent,
                escalation_level=spec.escalation_level,
                due_at=now + timedelta(hours=spec.due_in_hours),
                assignee=spec.assignee,
                placement_agency=spec.agency,
                employer_name=spec.employer_name,
                channel=spec.channel,
            )
        )
    created = Complaint.objects.bulk_create(built)
    for complaint, spec in zip(created, specs, strict=True):
        complaint.created_at = now - timedelta(hours=spec.created_hours_ago)

        def after(hours, base=complaint.created_at):
            return None if hours is None else base + timedelta(hours=hours)

        complaint.verified_at = after(spec.verify_after)
        complaint.first_response_at = after(spec.respond_after)
        complaint.resolved_at = after(spec.resolve_after)
    Complaint.objects.bulk_update(
        created, ["created_at", "verified_at", "first_response_at", "resolved_at"]
    )
    # Their service standard from this history, as the migration fills stored complaints (the
    # tests' oracles compute the expected targets and breaches on their own).
    complaint_standard_backfill(now=now)
    for complaint in created:
        complaint.refresh_from_db()
    return created


def working_days_between(first: date, last: date, holidays: set[date]) -> int:
    """Working days after `first` up to and including `last` (a plain loop: the reference)."""
    count = 0
    day = first
    while day < last:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return count


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()
