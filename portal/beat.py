"""The one Celery beat schedule, in code. Run exactly one `celery beat` process (Procfile).

settings.py builds CELERY_BEAT_SCHEDULE from `beat_schedule()`. Beat uses Celery's default
PersistentScheduler with its state file under the data directory, so this dict is the only
source: there is no second copy in the database to drift from the code.
"""

from __future__ import annotations

from celery.schedules import crontab


def beat_schedule(
    *,
    escalation_interval_seconds: int,
    requeue_interval_seconds: int = 60,
    mailbox_interval_seconds: int = 120,
) -> dict:
    return {
        # Every 2 minutes by default (INBOUND_IMAP_INTERVAL_SECONDS): mail to the intake mailbox
        # becomes a case within minutes; the task returns at once when INBOUND_IMAP_URL is empty.
        "poll-mailbox": {
            "task": "complaints.poll_mailbox",
            "schedule": float(mailbox_interval_seconds),
            "options": {"expires": float(mailbox_interval_seconds)},
        },
        # Every minute by default (ESCALATION_INTERVAL_SECONDS): an urgent complaint's 4-hour clock
        # must reach the next office within minutes of lapsing, and the idle sweep is one query.
        "escalate-overdue": {
            "task": "complaints.escalate_overdue",
            "schedule": float(escalation_interval_seconds),
            "options": {"expires": float(escalation_interval_seconds)},
        },
        # Every minute by default (NOTIFICATION_REQUEUE_SECONDS): re-publishes outbox rows that
        # are due (retries after backoff, rows whose publish failed while the broker was down),
        # so an outage delays messages by about a minute and loses none.
        "requeue-due-notifications": {
            "task": "complaints.requeue_due_notifications",
            "schedule": float(requeue_interval_seconds),
            "options": {"expires": float(requeue_interval_seconds)},
        },
        # Daily at 01:00 Jakarta time: the closure rules count whole days (30/60 days waiting),
        # so once a day is exact enough, and at night it does not compete with office hours.
        "propose-closures": {
            "task": "complaints.propose_closures",
            "schedule": crontab(hour=1, minute=0),
        },
        # Daily at 02:00: anonymising closed complaints after DATA_RETENTION_DAYS (and drafts
        # abandoned for DRAFT_RETENTION_DAYS) is a bulk job measured in days, best run when
        # nobody works.
        "purge-retention": {
            "task": "complaints.purge_retention",
            "schedule": crontab(hour=2, minute=0),
        },
        # Daily at 08:00, the start of office hours: a report is late by the day, and the
        # reminder's dedupe key sends it once whatever the interval (oversight/reports).
        "remind-late-reports": {
            "task": "portal.remind_late_reports",
            "schedule": crontab(hour=8, minute=0),
        },
        # Hourly: files kept for a form that came back with an error live a day at most; an hour
        # late is harmless and keeps the sweep cheap.
        "purge-pending-files": {
            "task": "complaints.purge_pending_files",
            "schedule": crontab(minute=17),
        },
        # Every minute: the complaints changed since the last run are folded into the dashboard
        # tables (the page shows their time); the work grows with the changes, not the history.
        # SQLite (no change log) rebuilds in full instead. `expires` drops a tick that could not
        # start in time. (oversight/tasks.py; the task keeps the portal. prefix of its family.)
        "fold-dashboard-summary": {
            "task": "portal.fold_dashboard_summary",
            "schedule": 60.0,
            "options": {"expires": 60.0},
        },
        # Every 5 minutes: the median/p90 per office of the default window, sorted from the
        # durations (percentiles do not fold); the ministry accepts figures 5 minutes old.
        "refresh-duration-snapshot": {
            "task": "oversight.refresh_duration_snapshot",
            "schedule": 300.0,
            "options": {"expires": 300.0},
        },
        # Daily at 03:30, after the retention purge: rebuild into temporary tables and compare
        # with the folded ones; drift (0 expected) is logged as an error and recorded.
        "check-dashboard-summary": {
            "task": "oversight.check_dashboard_summary",
            "schedule": crontab(hour=3, minute=30),
        },
        # Every 5 minutes: the first screen of each dashboard scope's default view, kept in
        # the cache for two intervals (oversight/standard/snapshot.py); other views are live.
        "refresh-first-screen": {
            "task": "oversight.refresh_first_screen",
            "schedule": 300.0,
            "options": {"expires": 300.0},
        },
    }
