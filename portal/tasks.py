"""Celery tasks of the portal app: thin wrappers around services (style.md, Tasks)."""

from celery import shared_task

from portal.dashboards.services import dashboard_summary_refresh


@shared_task(
    name="portal.refresh_dashboard_summary",
    ignore_result=True,
    # A rebuild of 1,000,000 complaints takes seconds; a stuck one must not pile up behind beat.
    time_limit=600,
    soft_time_limit=540,
)
def refresh_dashboard_summary() -> dict:
    """Rebuild the dashboard summary. Safe to run twice at once: the service serialises runs."""
    result = dashboard_summary_refresh()
    return {"summary_rows": result.summary_rows, "duration_ms": result.duration_ms}
