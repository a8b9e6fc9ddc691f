"""The incremental upkeep of the dashboard tables (PostgreSQL): after every kind of complaint
change, the folded tables hold exactly what a full rebuild writes; the check finds drift."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from complaints.choices import IntakeChannel, Status
from complaints.models import Complaint
from complaints.services.escalation import complaint_escalate_overdue
from complaints.services.intake import complaint_submit
from complaints.services.retention import complaint_anonymise_expired
from complaints.services.sla import complaint_standard_breaches_record_due
from complaints.services.triage import complaint_change_status, complaint_reopen
from oversight import tasks
from oversight.dashboards.models import (
    ComplaintChange,
    ComplaintDuration,
    ComplaintFilterMarginal,
    ComplaintMarginal,
    ComplaintSummaryFact,
    DashboardRefresh,
    OfficeDurationSnapshot,
)
from oversight.dashboards.services import (
    dashboard_summary_check,
    dashboard_summary_fold,
    dashboard_summary_refresh,
)
from portal.beat import beat_schedule
from tests.complaints.factories import CategoryFactory, complaint_input
from tests.oversight.dashboard_support import Spec, complaints_create

pytestmark = pytest.mark.usefixtures("postgres")

TABLES = (
    ComplaintSummaryFact,
    ComplaintMarginal,
    ComplaintFilterMarginal,
    ComplaintDuration,
)
OFFICE = "bp3mi-jatim"
STATUSES = (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED)


def _contents() -> dict[str, list[tuple]]:
    """Every row of every dashboard table, without surrogate ids, sorted (a multiset)."""
    result = {}
    for model in TABLES:
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        rows = model.objects.values_list(*columns)
        result[model._meta.db_table] = sorted(rows, key=repr)
    return result


def _assert_fold_equals_rebuild(*, now: datetime) -> None:
    """Fold, take the tables' contents, rebuild in full at the same instant, compare."""
    dashboard_summary_fold(now=now)
    folded = _contents()
    dashboard_summary_refresh(now=now)
    rebuilt = _contents()
    for table, rows in rebuilt.items():
        assert folded[table] == rows, table
    assert sum(len(rows) for rows in rebuilt.values()) > 0


@pytest.fixture
def world(offices, make_staff):
    categories = {
        slug: CategoryFactory(slug=slug) for slug in ("fold-wages", "fold-violence", "fold-info")
    }
    now = timezone.now()
    specs = [
        Spec(
            office_code=OFFICE if n % 3 else "bp3mi-jabar",
            category_slug=("fold-wages", "fold-violence", "fold-info")[n % 3],
            country=("MY", "SA", "TW")[n % 3],
            region=("35.04", "32.01", "33.02")[n % 3],
            status=STATUSES[n % len(STATUSES)],
            urgent=n % 7 == 0,
            created_hours_ago=10 + 37 * n,
            verify_after=None if n % len(STATUSES) == 0 else 20,
            respond_after=None if n % len(STATUSES) < 2 else 60,
            resolve_after=None if n % len(STATUSES) < 3 else 200,
            escalation_level=n % 2,
            due_in_hours=-50 if n % 3 == 0 else 100,
        )
        for n in range(30)
    ]
    complaints = complaints_create(specs, offices=offices, categories=categories, now=now)
    dashboard_summary_refresh(now=now)
    return {
        "now": now,
        "complaints": complaints,
        "officer": make_staff(OFFICE, "head"),
        "categories": categories,
    }


def _in_office(world, status: str) -> Complaint:
    """A complaint of the head's office in `status` now (LookupError: none left)."""
    complaint = Complaint.objects.filter(office__code=OFFICE, status=status).order_by("pk").first()
    if complaint is None:
        raise LookupError(status)
    return complaint


def _submit(world) -> None:
    complaint_submit(data=complaint_input())


def _status(world) -> None:
    complaint = _in_office(world, Status.RECEIVED)
    complaint_change_status(complaint=complaint, actor=world["officer"], status=Status.VERIFIED)


def _resolution(world) -> None:
    complaint = _in_office(world, Status.IN_PROGRESS)
    complaint_change_status(complaint=complaint, actor=world["officer"], status=Status.RESOLVED)


def _closure(world) -> None:
    complaint = _in_office(world, Status.RESOLVED)
    complaint_change_status(complaint=complaint, actor=world["officer"], status=Status.CLOSED)


def _reopen(world) -> None:
    complaint = _in_office(world, Status.RESOLVED)
    complaint_reopen(complaint=complaint, actor=world["officer"], reason="Belum selesai.")


def _escalation(world) -> None:
    complaint_escalate_overdue(now=world["now"] + timedelta(days=3))


def _breach(world) -> None:
    complaint_standard_breaches_record_due(now=world["now"] + timedelta(days=20))


def _retention(world) -> None:
    assert complaint_anonymise_expired(now=world["now"] + timedelta(days=3650)) > 0


def _channel(world) -> None:
    # A receipt re-filed under another intake channel (the channel is a summary dimension).
    ids = [c.pk for c in world["complaints"][1:4]]
    Complaint.objects.filter(pk__in=ids).update(channel=IntakeChannel.WHATSAPP)


def _deletion(world) -> None:
    Complaint.objects.filter(pk=world["complaints"][0].pk).delete()


CHANGES = {
    "submit": _submit,
    "status": _status,
    "resolution": _resolution,
    "closure": _closure,
    "reopen": _reopen,
    "escalation": _escalation,
    "breach": _breach,
    "retention": _retention,
    "channel": _channel,
    "deletion": _deletion,
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(CHANGES))
def test_after_each_kind_of_change_the_fold_equals_a_full_rebuild(world, kind):
    # given: tables built; when: one kind of change
    before = _contents()
    CHANGES[kind](world)
    # then: the change is logged, folding consumes it, and the result is the rebuild's
    assert ComplaintChange.objects.exists()
    later = world["now"] + timedelta(days={"breach": 20, "retention": 0}.get(kind, 3))
    result = dashboard_summary_fold(now=later)
    assert result.complaints > 0
    assert not result.rebuilt
    assert not ComplaintChange.objects.exists()
    # (anonymising removes personal data only: no figure moves)
    assert (_contents() == before) if kind == "retention" else (_contents() != before)
    _assert_fold_equals_rebuild(now=later)


@pytest.mark.django_db
def test_a_set_based_update_is_logged_once_per_row(world):
    # given
    ids = [c.pk for c in world["complaints"][:5]]
    # when: one UPDATE statement over five rows (as the sweeps write)
    Complaint.objects.filter(pk__in=ids).update(escalation_level=2)
    # then
    assert sorted(ComplaintChange.objects.values_list("complaint_id", flat=True)) == sorted(ids)


@pytest.mark.django_db
def test_a_target_passing_without_any_change_turns_overdue_at_the_next_fold(world):
    # given: a received complaint whose verification target lies ahead, nothing else due
    complaint = complaint_submit(data=complaint_input()).complaint
    complaint.refresh_from_db()
    target = complaint.standard_verify_due_at or complaint.standard_first_response_due_at
    dashboard_summary_fold(now=world["now"])
    fact = ComplaintSummaryFact.objects.get(complaint_id=complaint.pk)
    assert fact.overdue == 0
    # when: folding after the target passed, with no row change and no sweep
    result = dashboard_summary_fold(now=target + timedelta(minutes=1))
    # then: the complaint was folded in as overdue, and everything equals a rebuild
    assert result.changes == 0
    assert result.complaints >= 1
    assert ComplaintSummaryFact.objects.get(complaint_id=complaint.pk).overdue == 1
    _assert_fold_equals_rebuild(now=target + timedelta(minutes=1))


@pytest.mark.django_db
def test_the_check_reports_zero_after_a_random_mix_of_changes(world):
    # given: a seeded random mix of every kind of change, folded now and then
    rng = random.Random(18)
    kinds = [
        "submit",
        "status",
        "resolution",
        "closure",
        "reopen",
        "escalation",
        "channel",
        "deletion",
    ]
    for step in range(12):
        kind = rng.choice(kinds)
        try:
            CHANGES[kind](world)
        except LookupError:
            continue  # no complaint left in the status this kind needs
        if step % 4 == 3:
            dashboard_summary_fold(now=world["now"] + timedelta(days=3))
    CHANGES["breach"](world)
    # when
    result = dashboard_summary_check(now=world["now"] + timedelta(days=20))
    # then
    assert result.drift_rows == 0
    assert result.drift_by_table == {}
    assert DashboardRefresh.objects.get(pk=1).drift_rows == 0


@pytest.mark.django_db
def test_the_check_finds_and_names_a_corrupted_row_and_repairs_on_request(world):
    # given: one marginal row counted one complaint too many, one filter-marginal row lost
    row = ComplaintMarginal.objects.order_by("pk").first()
    ComplaintMarginal.objects.filter(pk=row.pk).update(complaints=row.complaints + 1)
    lost = ComplaintFilterMarginal.objects.order_by("pk").first()
    ComplaintFilterMarginal.objects.filter(pk=lost.pk).delete()
    # when
    found = dashboard_summary_check(now=world["now"])
    # then: the changed row differs on both sides (2), the deleted row on one (1)
    assert found.drift_by_table == {
        ComplaintMarginal._meta.db_table: 2,
        ComplaintFilterMarginal._meta.db_table: 1,
    }
    assert found.drift_rows == 3
    assert not found.repaired
    assert DashboardRefresh.objects.get(pk=1).drift_rows == 3
    # when: repaired
    assert dashboard_summary_check(now=world["now"], repair=True).repaired
    # then
    assert dashboard_summary_check(now=world["now"]).drift_rows == 0


@pytest.mark.django_db
def test_the_first_fold_without_a_built_state_rebuilds_in_full(offices):
    # given: complaints but no tables built yet (the state right after the migration)
    CategoryFactory(slug="fold-first")
    complaint_submit(data=complaint_input())
    DashboardRefresh.objects.all().delete()
    # when
    result = dashboard_summary_fold()
    # then
    assert result.rebuilt
    assert ComplaintSummaryFact.objects.count() == Complaint.objects.count()
    assert not ComplaintChange.objects.exists()
    assert connection.vendor == "postgresql"


def test_beat_folds_every_minute_and_checks_nightly():
    schedule = beat_schedule(escalation_interval_seconds=60)
    assert schedule["fold-dashboard-summary"]["task"] == "portal.fold_dashboard_summary"
    assert schedule["fold-dashboard-summary"]["schedule"] == 60.0
    check = schedule["check-dashboard-summary"]
    assert check["task"] == "oversight.check_dashboard_summary"
    assert check["schedule"].hour == {3}
    assert check["schedule"].minute == {30}
    assert "refresh-dashboard-summary" not in schedule
    snapshot = schedule["refresh-duration-snapshot"]
    assert snapshot["task"] == "oversight.refresh_duration_snapshot"
    assert snapshot["schedule"] == 300.0


@pytest.mark.django_db
def test_the_tasks_and_commands_fold_and_report_the_drift_figure(world):
    # given: one change waiting
    complaint_submit(data=complaint_input())
    # when
    folded = tasks.fold_dashboard_summary.apply().get()
    checked = tasks.check_dashboard_summary.apply().get()
    out = io.StringIO()
    call_command("check_dashboard_summary", stdout=out)
    # then
    assert folded["complaints"] >= 1
    assert not folded["rebuilt"]
    assert checked == {"drift_rows": 0, "drift_by_table": {}}
    assert out.getvalue().startswith("drift 0 rows;")
    # when: a row drifts
    ComplaintSummaryFact.objects.filter(pk=ComplaintSummaryFact.objects.first().pk).delete()
    out = io.StringIO()
    call_command("check_dashboard_summary", stdout=out)
    # then: the figure and the table are named
    assert out.getvalue().startswith(f"drift 1 rows ({ComplaintSummaryFact._meta.db_table} 1);")


@pytest.mark.django_db
def test_the_snapshot_task_sorts_the_folded_durations_as_a_rebuild_does(world):
    # given: a complaint resolved now (a new resolution duration), folded in
    complaint = _in_office(world, Status.IN_PROGRESS)
    complaint_change_status(complaint=complaint, actor=world["officer"], status=Status.RESOLVED)
    dashboard_summary_fold(now=world["now"])
    # when
    tasks.refresh_duration_snapshot.apply().get()
    folded = _snapshots()
    dashboard_summary_refresh(now=world["now"])
    # then
    assert folded == _snapshots()
    assert folded


def _snapshots() -> list[tuple]:
    return sorted(
        OfficeDurationSnapshot.objects.values_list(
            "office_id",
            "date_from",
            "date_to",
            "response_median_hours",
            "response_p90_hours",
            "resolution_median_hours",
            "resolution_p90_hours",
            "responded",
            "resolved",
        )
    )
