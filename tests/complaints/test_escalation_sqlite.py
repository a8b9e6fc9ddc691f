"""The sweep is correct on SQLite too (`make run`): no SKIP LOCKED there, same results.

Runs in a subprocess with no DATABASE_URL, so the portal's default SQLite set-up is what is tested.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        PORTAL_DATA_DIR=str(tmp_path / "var"),
        PORTAL_TESTING="1",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )

    # when swept twice in batches of 100
    process = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    # then each complaint climbed once, the replay did nothing, one digest per office
    assert process.returncode == 0, process.stderr[-3000:]
    result = json.loads(process.stdout.strip().splitlines()[-1])
    assert result["vendor"] == "sqlite"
    assert (result["first"]["escalated"], result["first"]["batches"]) == (250, 3)
    assert result["second"]["escalated"] == 0
    assert (result["levels"], result["offices"], result["events"]) == ([1], ["bp3mi-jatim"], 250)
    assert result["digests"] == {
        "bp3mi-jatim": {"in": 250, "out": 0, "overdue": 0},
        "p4mi-tulungagung": {"in": 0, "out": 250, "overdue": 0},
    }
