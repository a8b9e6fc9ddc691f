"""The run record of a periodic sweep: what an operator reads after an incident, and what the load
test checks for overlapping runs. PostgreSQL, each "node" on its own database connection."""

import threading

import pytest
from django.db import connection
from django.db.models.functions import Now

from portal.models import SweepRun
from portal.sweep_runs import sweep_run_recorded
from tests.portal.sweep_support import sweep_held_elsewhere

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP = "test-sweep"


def test_a_run_records_its_start_end_node_and_result(postgres):
    # when a sweep runs and reports what it did
    with sweep_run_recorded(sweep=SWEEP, node="worker1@node-a") as run:
        assert not run.skipped
        run.result = {"escalated": 7}

    # then one row says so, its interval by the database clock
    row = SweepRun.objects.get()
    assert (row.sweep, row.node, row.outcome, row.result) == (
        SWEEP,
        "worker1@node-a",
        "finished",
        {"escalated": 7},
    )
    assert row.started_at < row.finished_at


def test_a_failing_run_is_recorded_failed_and_frees_the_sweep(postgres):
    # when the body raises
    with pytest.raises(RuntimeError), sweep_run_recorded(sweep=SWEEP, node="n1"):
        raise RuntimeError("database went away")

    # then the run is recorded as failed and the next one runs
    with sweep_run_recorded(sweep=SWEEP, node="n2") as run:
        assert not run.skipped
    assert list(SweepRun.objects.order_by("pk").values_list("node", "outcome")) == [
        ("n1", "failed"),
        ("n2", "finished"),
    ]


def test_a_run_left_running_by_a_dead_process_is_marked_abandoned_by_the_next(postgres):
    # given a row a killed worker left behind (its connection, and so its lock, are gone)
    SweepRun.objects.create(
        sweep=SWEEP, node="worker1@gone", pid=1, outcome="running", started_at=Now()
    )

    # when the next run takes the lock
    with sweep_run_recorded(sweep=SWEEP, node="worker2@node-b"):
        pass

    # then the dead one no longer claims to be running
    assert dict(SweepRun.objects.values_list("node", "outcome")) == {
        "worker1@gone": "abandoned",
        "worker2@node-b": "finished",
    }


def test_a_run_whose_connection_dropped_says_it_lost_the_lock(postgres):
    # when the body's database connection is replaced halfway (the lock goes with it)
    with sweep_run_recorded(sweep=SWEEP, node="n1"):
        connection.close()

    # then the run does not claim to have held the lock throughout
    assert SweepRun.objects.get().outcome == "lock_lost"


def test_only_one_of_several_runs_started_at_once_holds_the_sweep(postgres):
    # given four nodes entering the sweep at one instant, each staying inside until all have tried
    nodes = 4
    barrier = threading.Barrier(nodes)
    tried = threading.Barrier(nodes)
    outcomes: dict[str, bool] = {}
    errors: list[BaseException] = []

    def node(name: str) -> None:
        try:
            barrier.wait(timeout=30)
            with sweep_run_recorded(sweep=SWEEP, node=name) as run:
                outcomes[name] = run.skipped
                tried.wait(timeout=30)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=node, args=(f"node-{n}",)) for n in range(nodes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then exactly one ran and the others were skipped while it was inside
    assert not errors
    ran = [name for name, skipped in outcomes.items() if not skipped]
    assert len(ran) == 1
    rows = {row.node: row for row in SweepRun.objects.all()}
    assert {name: row.outcome for name, row in rows.items()} == {
        name: ("finished" if name in ran else "skipped") for name in outcomes
    }
    # and every skipped start was recorded before the holder finished (the holder's own start is
    # written just after it took the lock, so a start skipped in between may precede it)
    holder = rows[ran[0]]
    assert all(
        row.started_at <= holder.finished_at for name, row in rows.items() if name not in ran
    )


def test_another_sweeps_lock_does_not_stop_this_one(postgres):
    # given a different sweep under way on another connection
    # when this sweep starts meanwhile
    with (
        sweep_held_elsewhere(sweep="other-sweep", node="n1"),
        sweep_run_recorded(sweep=SWEEP, node="n2") as run,
    ):
        skipped = run.skipped

    # then it runs
    assert skipped is False
