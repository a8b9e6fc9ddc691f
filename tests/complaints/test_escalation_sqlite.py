"""The sweep is correct on SQLite too (`make run`): no SKIP LOCKED there, same results.

Runs in a subprocess with no DATABASE_URL, so the portal's default SQLite set-up is what is tested.
"""

import pytest

from tests.support import run_on_fresh_sqlite_portal

pytestmark = pytest.mark.slow

SCRIPT = """
import json
from datetime import timedelta

import django

django.setup()
from django.core.management import call_command
from django.utils import timezone

call_command("migrate", verbosity=0)
from complaints.models import Category, Complaint, ComplaintEvent, Notification
from complaints.services.escalation import complaint_escalate_overdue
from portal.models import Office, Region
from portal.services import office_seed_defaults

Region.objects.get_or_create(code="35", defaults={"name": "Jawa Timur", "level": 1})
Region.objects.get_or_create(
    code="35.04", defaults={"name": "Tulungagung", "level": 2, "parent_id": "35"}
)
office_seed_defaults()
category = Category.objects.first()
now = timezone.now()
post = Office.objects.get(code="p4mi-tulungagung")
Complaint.objects.bulk_create(
    Complaint(
        reference=f"SQ-{index}", access_key_hash="!", kind=category.kind, category=category,
        description="x", destination_country="MY", origin_region_id="35.04", consent_at=now,
        office=post, due_at=now - timedelta(hours=1),
    )
    for index in range(250)
)
first = complaint_escalate_overdue(now=now, batch_size=100).as_dict()
second = complaint_escalate_overdue(now=now, batch_size=100).as_dict()
print(json.dumps({
    "vendor": django.db.connection.vendor,
    "first": first,
    "second": second,
    "levels": sorted(set(Complaint.objects.values_list("escalation_level", flat=True))),
    "offices": sorted(set(Complaint.objects.values_list("office__code", flat=True))),
    "events": ComplaintEvent.objects.filter(kind="escalation").count(),
    "digests": {
        row.office.code: row.context["counts"]
        for row in Notification.objects.filter(template="escalation_digest")
    },
}))
"""


def test_sweep_on_sqlite_escalates_once_and_replays_to_nothing(tmp_path):
    # given a fresh SQLite portal with 250 lapsed complaints at a post
    # when swept twice in batches of 100
    result = run_on_fresh_sqlite_portal(SCRIPT, data_dir=tmp_path / "var")

    # then each complaint climbed once, the replay did nothing, one digest per office
    assert result["vendor"] == "sqlite"
    assert (result["first"]["escalated"], result["first"]["batches"]) == (250, 3)
    assert result["second"]["escalated"] == 0
    assert (result["levels"], result["offices"], result["events"]) == ([1], ["bp3mi-jatim"], 250)
    assert result["digests"] == {
        "bp3mi-jatim": {"in": 250, "out": 0, "overdue": 0},
        "p4mi-tulungagung": {"in": 0, "out": 250, "overdue": 0},
    }
