"""Access records: who looked at or exported a complaint's personal data, and when.

Written by the case page, exports and attachment downloads; never edited (the admin is read-only).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from complaints.choices import AccessAction
from complaints.models import AccessRecord, Complaint
from portal.types import StaffUser

# Rows per INSERT when an export touches many complaints.
ACCESS_RECORD_BATCH_SIZE = 1000


@transaction.atomic
def access_record_write(
    *, user: StaffUser, complaint: Complaint | None, action: AccessAction | str, detail: str = ""
) -> AccessRecord:
    record = AccessRecord(user=user, complaint=complaint, action=action, detail=detail[:200])
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def access_record_write_many(
    *, user: StaffUser, complaint_ids: Iterable[int], action: AccessAction | str, detail: str = ""
) -> int:
    records = [
        AccessRecord(user=user, complaint_id=complaint_id, action=action, detail=detail[:200])
        for complaint_id in complaint_ids
    ]
    AccessRecord.objects.bulk_create(records, batch_size=ACCESS_RECORD_BATCH_SIZE)
    return len(records)
