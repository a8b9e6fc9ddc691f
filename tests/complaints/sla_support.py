"""Helpers for SLA, escalation and delivery tests: many complaints fast, holidays after a flush."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from complaints.models import Complaint, Holiday
from complaints.services.sla import holiday_cache_clear, holiday_seed_from_lokal
from tests.complaints.factories import CategoryFactory


def overdue_complaints(*, office, count: int, now: datetime, **fields) -> list[Complaint]:
    """`count` open complaints in `office` whose deadline lapsed an hour before `now`."""
    category = fields.pop("category", None) or CategoryFactory(slug="sla-overdue")
    # Built directly, not through ComplaintFactory: its access-key hashing costs 0.4 s a row.
    rows = [
        Complaint(
            reference=f"SLA-{uuid.uuid4().hex[:12].upper()}",
            access_key_hash="!unusable",
            kind=category.kind,
            category=category,
            description="Gaji tidak dibayar.",
            destination_country="MY",
            origin_region_id="35.04",
            reporter_name="Siti Aminah",
            reporter_email=f"pelapor{index}@example.invalid",
            consent_at=now - timedelta(days=10),
            office=office,
            due_at=now - timedelta(hours=1, seconds=index),
            **fields,
        )
        for index in range(count)
    ]
    return Complaint.objects.bulk_create(rows, batch_size=1000)


def holidays_ensure() -> None:
    """Transactional tests flush the Holiday rows the migration seeded: put them back, and
    forget holidays cached from another test's (rolled back) rows."""
    holiday_cache_clear()
    if not Holiday.objects.exists():
        holiday_seed_from_lokal()
