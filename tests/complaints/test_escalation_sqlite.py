"""The sweep is correct on SQLite too (`make run`): no SKIP LOCKED there, same results.

Marked `sqlite`: `make test` runs it again on the portal's default SQLite set-up (a second pytest
with DATABASE_URL unset), after the main run on PostgreSQL, where it runs as well.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Category, Complaint, ComplaintEvent, Notification
from complaints.services.escalation import complaint_escalate_overdue

pytestmark = pytest.mark.sqlite


def test_sweep_escalates_once_and_replays_to_nothing(offices):
    # given 250 lapsed complaints at a post (Tulungagung's, under BP3MI Jawa Timur)
    category = Category.objects.first()
    now = timezone.now()
    Complaint.objects.bulk_create(
        Complaint(
            reference=f"SQ-{index}",
            access_key_hash="!",
            kind=category.kind,
            category=category,
            description="x",
            destination_country="MY",
            origin_region_id="35.04",
            consent_at=now,
            office=offices["p4mi-tulungagung"],
            due_at=now - timedelta(hours=1),
        )
        for index in range(250)
    )
    # when swept twice in batches of 100
    first = complaint_escalate_overdue(now=now, batch_size=100).as_dict()
    second = complaint_escalate_overdue(now=now, batch_size=100).as_dict()

    # then each complaint climbed once, the replay did nothing, one digest per office
    assert (first["escalated"], first["batches"]) == (250, 3)
    assert second["escalated"] == 0
    complaints = Complaint.objects.all()
    assert set(complaints.values_list("escalation_level", flat=True)) == {1}
    assert set(complaints.values_list("office__code", flat=True)) == {"bp3mi-jatim"}
    assert ComplaintEvent.objects.filter(kind="escalation").count() == 250
    digests = {
        row.office.code: row.context["counts"]
        for row in Notification.objects.filter(template="escalation_digest")
    }
    assert digests == {
        "bp3mi-jatim": {"in": 250, "out": 0, "overdue": 0},
        "p4mi-tulungagung": {"in": 0, "out": 250, "overdue": 0},
    }
