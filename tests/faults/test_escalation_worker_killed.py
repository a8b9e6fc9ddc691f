"""A real Celery worker is SIGKILLed in the middle of an escalation sweep: after a new worker
runs, every overdue complaint has been escalated exactly once, and no office hears twice."""

from collections import Counter

import pytest
from django.utils import timezone
from kombu import Connection

from complaints.choices import EventKind
from complaints.models import Complaint, ComplaintEvent, Notification
from complaints.services.escalation import DIGEST_TEMPLATE
from portal.celery import app
from portal.models import SweepRun
from tests.complaints.sla_support import holidays_ensure, overdue_complaints
from tests.faults.processes import RedisServer, Worker, portal_env, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

OVERDUE = 1500


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def escalated() -> int:
    return Complaint.objects.filter(escalation_level__gte=1).count()


def test_sweep_survives_a_worker_killed_mid_batch(postgres, offices, redis_server, tmp_path):
    # given 1,500 lapsed complaints and a worker on our own broker
    holidays_ensure()
    overdue_complaints(office=offices["p4mi-tulungagung"], count=OVERDUE, now=timezone.now())
    env = portal_env(redis_url=redis_server.url)
    first = Worker(env=env, log=tmp_path / "worker-1.log")
    first.wait_ready()

    # when a sweep in small batches starts, and the worker is killed once it is under way
    with Connection(redis_server.url) as broker:
        app.send_task("complaints.escalate_overdue", kwargs={"batch_size": 5}, connection=broker)
    assert wait_for(lambda: escalated() >= 100, timeout=60, every=0.02)
    first.kill()
    first.stop()
    halfway = escalated()

    # then the sweep was cut short, and nothing was escalated twice so far
    assert 0 < halfway < OVERDUE

    # when a new worker starts: the unacknowledged task is delivered to it again
    second = Worker(env=env, log=tmp_path / "worker-2.log")
    try:
        second.wait_ready()
        finished = wait_for(lambda: escalated() == OVERDUE, timeout=120, every=0.5)
    finally:
        second.stop()

    # then every complaint climbed exactly one level, with exactly one event
    assert finished, (tmp_path / "worker-2.log").read_text()[-3000:]
    assert set(Complaint.objects.values_list("escalation_level", flat=True)) == {1}
    assert set(Complaint.objects.values_list("office__code", flat=True)) == {"bp3mi-jatim"}
    events = Counter(
        ComplaintEvent.objects.filter(kind=EventKind.ESCALATION).values_list(
            "complaint_id", "level"
        )
    )
    assert len(events) == OVERDUE
    assert max(events.values()) == 1
    # and the digests of both sweeps together announce each complaint once per office
    counts = Counter()
    for digest in Notification.objects.filter(template=DIGEST_TEMPLATE):
        for direction, count in digest.context["counts"].items():
            counts[(digest.office.code, direction)] += count
    assert counts[("p4mi-tulungagung", "out")] == OVERDUE
    assert counts[("bp3mi-jatim", "in")] == OVERDUE
    # and it was the killed worker's task, delivered again, that finished the work
    assert "complaints.escalate_overdue" in (tmp_path / "worker-2.log").read_text()
    # and the run record says so: the killed run abandoned (its lock went with its connection),
    # the second one finished the work
    runs = list(SweepRun.objects.order_by("pk"))
    assert [run.outcome for run in runs] == ["abandoned", "finished"]
    assert runs[0].finished_at is None
    assert 0 < runs[1].result["escalated"] <= OVERDUE - halfway
