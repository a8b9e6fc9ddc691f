"""Four sweeps at once, each thread on its own database connection: nothing twice, nothing lost."""

import threading
from collections import Counter
from datetime import datetime

import pytest
from django.db import connection

from complaints.choices import EventKind
from complaints.models import Complaint, ComplaintEvent, Notification
from complaints.services.escalation import DIGEST_TEMPLATE, complaint_escalate_overdue
from complaints.services.sla import SLA_TIME_ZONE
from tests.complaints.sla_support import holidays_ensure, overdue_complaints

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 12, 2, 10, tzinfo=SLA_TIME_ZONE)
SWEEPS = 4
OVERDUE = 2000


def _sweep_in_threads(*, now, batch_size: int) -> list:
    barrier = threading.Barrier(SWEEPS)
    results, errors = [], []

    def run() -> None:
        try:
            barrier.wait()
            results.append(complaint_escalate_overdue(now=now, batch_size=batch_size))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(SWEEPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert len(results) == SWEEPS
    return results


def test_four_concurrent_sweeps_escalate_each_complaint_exactly_once(postgres, offices):
    # given 2,000 lapsed complaints spread over a post and two BP3MI offices
    holidays_ensure()
    overdue_complaints(office=offices["p4mi-tulungagung"], count=800, now=NOW)
    overdue_complaints(office=offices["bp3mi-jatim"], count=600, now=NOW)
    overdue_complaints(office=offices["bp3mi-jabar"], count=600, now=NOW)

    # when four sweeps run at once in small batches, so they interleave
    results = _sweep_in_threads(now=NOW, batch_size=50)

    # then every complaint climbed exactly one level, split between the sweeps
    assert sum(result.escalated for result in results) == OVERDUE
    assert sum(1 for result in results if result.escalated) >= 2
    assert set(Complaint.objects.values_list("escalation_level", flat=True)) == {1}
    events = ComplaintEvent.objects.filter(kind=EventKind.ESCALATION)
    assert events.count() == OVERDUE
    assert not [
        key for key, n in Counter(events.values_list("complaint_id", "level")).items() if n > 1
    ]
    # and no complaint was announced twice to an office: each sweep's digest counts its own rows
    digests = Notification.objects.filter(template=DIGEST_TEMPLATE)
    assert digests.count() == len({row.dedupe_key for row in digests})
    per_office = Counter()
    listed = Counter()
    for digest in digests:
        for direction, count in digest.context["counts"].items():
            per_office[(digest.office.code, direction)] += count
        for item in digest.context["items"]:
            listed[(digest.office_id, item["direction"], item["reference"])] += 1
    assert per_office[("p4mi-tulungagung", "out")] == 800
    assert per_office[("bp3mi-jatim", "in")] == 800
    assert per_office[("bp3mi-jatim", "out")] == 600
    assert per_office[("kemenp2mi", "in")] == 1200
    assert max(listed.values()) == 1
    # and each sweep wrote at most one digest per office
    assert (
        max(Counter((row.dedupe_key.split(":")[1], row.office_id) for row in digests).values()) == 1
    )

    # when the four sweeps run again (a replay)
    again = _sweep_in_threads(now=NOW, batch_size=50)

    # then nothing changes
    assert sum(result.escalated for result in again) == 0
    assert ComplaintEvent.objects.filter(kind=EventKind.ESCALATION).count() == OVERDUE
    assert Notification.objects.filter(template=DIGEST_TEMPLATE).count() == digests.count()


def test_one_sweep_shares_its_batches_between_workers_and_sends_one_digest_per_office(
    postgres, offices
):
    # given 900 lapsed complaints at a post and 300 at its BP3MI office
    holidays_ensure()
    overdue_complaints(office=offices["p4mi-tulungagung"], count=900, now=NOW)
    overdue_complaints(office=offices["bp3mi-jatim"], count=300, now=NOW)

    # when one sweep runs with three workers (three connections) in small batches
    result = complaint_escalate_overdue(now=NOW, batch_size=40, workers=3)

    # then each complaint climbed once, and the batches were shared out
    assert result.escalated == 1200
    assert result.batches == 30
    events = ComplaintEvent.objects.filter(kind=EventKind.ESCALATION)
    assert events.count() == 1200
    assert events.values("complaint_id").distinct().count() == 1200
    # and each office got one digest for the sweep, counting every complaint once
    digests = {
        row.office.code: row for row in Notification.objects.filter(template=DIGEST_TEMPLATE)
    }
    assert set(digests) == {"p4mi-tulungagung", "bp3mi-jatim", "kemenp2mi"}
    assert digests["p4mi-tulungagung"].context["counts"]["out"] == 900
    assert digests["bp3mi-jatim"].context["counts"] == {"in": 900, "out": 300, "overdue": 0}
    assert digests["kemenp2mi"].context["counts"]["in"] == 300
    for digest in digests.values():
        references = [item["reference"] for item in digest.context["items"]]
        assert (
            len(references)
            == len(set(references))
            == min(300, sum(digest.context["counts"].values()))
        )
    assert sorted(result.notifications) == sorted(row.pk for row in digests.values())


def test_a_failing_worker_stops_the_sweep_and_the_digests_match_what_was_committed(
    postgres, offices, monkeypatch
):
    # given 600 lapsed complaints at a post
    from complaints.services.escalation import digest as escalation_digest

    holidays_ensure()
    overdue_complaints(office=offices["p4mi-tulungagung"], count=600, now=NOW)
    # and the fourth batch fails after its digest write, before its commit (a lost connection,
    # say), so the digests held in memory are ahead of the database until rolled back
    real_write = escalation_digest.digest_write
    calls = Counter()

    def failing_write(**kwargs):
        calls["write"] += 1
        real_write(**kwargs)
        if calls["write"] == 4:
            raise RuntimeError("connection lost")

    monkeypatch.setattr(escalation_digest, "digest_write", failing_write)

    # when a two-worker sweep runs
    with pytest.raises(RuntimeError):
        complaint_escalate_overdue(now=NOW, batch_size=50, workers=2)

    # then the failed batch rolled back, the sweep stopped, and the digests on disk count
    # exactly the complaints whose escalation was committed
    escalated = ComplaintEvent.objects.filter(kind=EventKind.ESCALATION).count()
    assert 0 < escalated < 600
    assert Complaint.objects.filter(escalation_level=1).count() == escalated
    digest = Notification.objects.get(template=DIGEST_TEMPLATE, office=offices["p4mi-tulungagung"])
    assert digest.context["counts"]["out"] == escalated

    # when the next sweep runs, the rest climbs too, each complaint once
    monkeypatch.setattr(escalation_digest, "digest_write", real_write)
    complaint_escalate_overdue(now=NOW, batch_size=50, workers=2)
    assert Complaint.objects.filter(escalation_level=1).count() == 600
    assert ComplaintEvent.objects.filter(kind=EventKind.ESCALATION).count() == 600
