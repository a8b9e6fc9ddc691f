"""Two escalation sweeps started at once, each on its own database connection (as two Celery
nodes would): they never run at the same time, and the run record shows it."""

import threading
from itertools import combinations

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from complaints.choices import EventKind
from complaints.models import Complaint, ComplaintEvent
from complaints.services.escalation import complaint_escalate_overdue
from complaints.tasks import escalate_overdue
from portal.models import SweepRun
from tests.complaints.sla_support import holidays_ensure, overdue_complaints
from tests.portal.sweep_support import sweep_held_elsewhere

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 4
PER_ROUND = 150


def _disjoint(first: SweepRun, second: SweepRun) -> bool:
    """The definition of "not at the same time": one ended before the other started."""
    return first.finished_at < second.started_at or second.finished_at < first.started_at


def test_a_sweep_started_while_another_node_sweeps_is_skipped_and_recorded(postgres, offices):
    # given 300 lapsed complaints, and a sweep under way on another node (its own connection),
    # held inside its run until the test lets it finish
    holidays_ensure()
    overdue_complaints(office=offices["p4mi-tulungagung"], count=300, now=timezone.now())
    first: dict = {}

    def escalate(run) -> None:
        first["skipped"] = run.skipped
        first["escalated"] = complaint_escalate_overdue().escalated

    with sweep_held_elsewhere(sweep="escalation", node="worker1@node-a", inside_run=escalate):
        # when beat's task starts here meanwhile, and then the cron fallback
        second = escalate_overdue.apply().get()
        call_command("escalate_overdue")

    # then both were skipped, and the first sweep alone escalated the complaints
    assert first == {"skipped": False, "escalated": 300}
    assert second == {"skipped": True}
    runs = list(SweepRun.objects.order_by("pk"))
    assert [(run.node, run.outcome) for run in runs] == [
        ("worker1@node-a", "finished"),
        (runs[1].node, "skipped"),
        (runs[2].node, "skipped"),
    ]
    # and the skipped starts fall inside the first run, by the database clock
    assert all(runs[0].started_at <= run.started_at <= runs[0].finished_at for run in runs[1:])
    assert set(Complaint.objects.values_list("escalation_level", flat=True)) == {1}
    assert ComplaintEvent.objects.filter(kind=EventKind.ESCALATION).count() == 300

    # when the next tick comes after the first run ended
    after = escalate_overdue.apply().get()

    # then it runs (nothing left to escalate)
    assert after["escalated"] == 0
    assert SweepRun.objects.latest("pk").outcome == "finished"


def test_the_cron_fallback_says_it_skipped_while_a_sweep_runs(postgres, offices, capsys):
    # given a sweep under way on another connection
    with sweep_held_elsewhere(sweep="escalation", node="worker2@node-b"):
        # when cron runs the command
        call_command("escalate_overdue")

    # then it says so instead of reporting an empty sweep
    assert "Another escalation sweep is running; this one skipped." in capsys.readouterr().out


def test_sweeps_started_together_on_two_connections_never_overlap(postgres, offices):
    # given, each round, fresh lapsed complaints and two nodes starting the task at one instant
    holidays_ensure()
    results: list[dict] = []
    errors: list[BaseException] = []
    for _ in range(ROUNDS):
        overdue_complaints(office=offices["bp3mi-jatim"], count=PER_ROUND, now=timezone.now())
        barrier = threading.Barrier(2)

        def node(barrier: threading.Barrier) -> None:
            try:
                barrier.wait(timeout=30)
                results.append(escalate_overdue.apply(kwargs={"batch_size": 20}).get())
            except BaseException as error:  # surfaced by the assertion below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=node, args=(barrier,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    # then every start is recorded, as run or skipped, and at least one ran in each round
    assert not errors
    runs = list(SweepRun.objects.filter(sweep="escalation"))
    assert len(runs) == len(results) == 2 * ROUNDS
    ran = [run for run in runs if run.outcome == "finished"]
    skipped = [run for run in runs if run.outcome == "skipped"]
    assert len(ran) + len(skipped) == 2 * ROUNDS
    assert len(ran) >= ROUNDS
    assert len(skipped) == sum(1 for result in results if result.get("skipped"))
    # and no two runs that ran overlapped, by the database clock
    assert all(_disjoint(first, second) for first, second in combinations(ran, 2))
    # and each complaint climbed exactly once, counted by the runs that ran
    total = ROUNDS * PER_ROUND
    assert sum(result.get("escalated", 0) for result in results) == total
    assert sum(run.result["escalated"] for run in ran) == total
    events = ComplaintEvent.objects.filter(kind=EventKind.ESCALATION)
    assert events.count() == events.values("complaint_id").distinct().count() == total
