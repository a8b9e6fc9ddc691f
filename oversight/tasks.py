"""Celery tasks of the oversight app: thin wrappers around services (style.md, Tasks).

Autodiscovered (portal/celery.py). The task names keep their `portal.` prefix from before the
move (issue 14) so portal/beat.py, queued messages and monitoring keep pointing at them.
"""

from celery import shared_task


@shared_task(
    name="portal.refresh_dashboard_summary",
    ignore_result=True,
    # A rebuild of 1,000,000 complaints takes seconds; a stuck one must not pile up behind beat.
    time_limit=600,
    soft_time_limit=540,
)
def refresh_dashboard_summary() -> dict:
    """Rebuild the dashboard summary. Safe to run twice at once: the service serialises runs."""
    from oversight.dashboards.services import dashboard_summary_refresh

    result = dashboard_summary_refresh()
    return {"summary_rows": result.summary_rows, "duration_ms": result.duration_ms}


@shared_task(
    name="portal.fold_dashboard_summary",
    ignore_result=True,
    # A minute's changes fold in well under a second; the first run after the migration rebuilds
    # in full (about a minute at 1,000,000 complaints).
    time_limit=600,
    soft_time_limit=540,
)
def fold_dashboard_summary() -> dict:
    """Fold the complaints changed since the last run into the dashboard tables."""
    from oversight.dashboards.services import dashboard_summary_fold

    result = dashboard_summary_fold()
    return {
        "complaints": result.complaints,
        "changes": result.changes,
        "duration_ms": result.duration_ms,
        "rebuilt": result.rebuilt,
    }


@shared_task(name="oversight.refresh_duration_snapshot", ignore_result=True, time_limit=300)
def refresh_duration_snapshot() -> int:
    """Retake the median/p90 snapshot of the default window (not foldable: percentiles)."""
    from oversight.dashboards.services import dashboard_duration_snapshot_refresh

    return dashboard_duration_snapshot_refresh()


@shared_task(name="oversight.check_dashboard_summary", ignore_result=True, time_limit=1800)
def check_dashboard_summary() -> dict:
    """The nightly check: rebuild into temporary tables and count the rows that differ."""
    from django.db import connection

    from oversight.dashboards.services import dashboard_summary_check

    if connection.vendor != "postgresql":
        return {"skipped": True}  # SQLite rebuilds in full every time: nothing can drift
    result = dashboard_summary_check()
    return {"drift_rows": result.drift_rows, "drift_by_table": result.drift_by_table}


# Daily at 08:00 (portal/beat.py): a report is late by the day, and the outbox dedupe key sends
# each reminder once whatever the interval.
@shared_task(name="portal.remind_late_reports", ignore_result=True, time_limit=120)
def remind_late_reports() -> int:
    from oversight.reports.services import office_report_remind_late

    return office_report_remind_late()


@shared_task(
    name="oversight.refresh_first_screen",
    ignore_result=True,
    # The default view of every dashboard scope: seconds at 1,000,000 complaints.
    time_limit=300,
    soft_time_limit=270,
)
def refresh_first_screen() -> int:
    """Take the first screen's snapshot of each scope's default view (oversight.standard)."""
    from oversight.standard.snapshot import first_screen_snapshots_refresh

    return first_screen_snapshots_refresh()
