"""The sweep is correct on SQLite too (`make run`): no SKIP LOCKED there, same results.

Marked `sqlite`: `make test` runs it again on the portal's default SQLite set-up (a second pytest
with DATABASE_URL unset), beside the main run on PostgreSQL, where it runs as well.
"""

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, Notification
from complaints.services.escalation import complaint_escalate_overdue
from tests.complaints.sla_support import overdue_complaints

pytestmark = pytest.mark.sqlite


def test_sweep_escalates_once_and_replays_to_nothing(offices):
    # given 250 lapsed complaints at a post (Tulungagung's, under BP3MI Jawa Timur)
    now = timezone.now()
    overdue_complaints(office=offices["p4mi-tulungagung"], count=250, now=now)
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
