"""Celery tasks of office reports: thin, the service decides and deduplicates.

Beat entry (daily is enough: a report is late by the day, the outbox dedupe key sends each
reminder once whatever the interval):
    "portal.remind_late_reports": {"task": "portal.remind_late_reports",
                                   "schedule": crontab(hour=8, minute=0)}
"""

from celery import shared_task


@shared_task(name="portal.remind_late_reports", ignore_result=True, time_limit=120)
def remind_late_reports() -> int:
    from portal.reports.services import office_report_remind_late

    return office_report_remind_late()
