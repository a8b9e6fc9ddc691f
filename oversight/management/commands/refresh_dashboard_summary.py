from django.core.management.base import BaseCommand

from oversight.dashboards.services import dashboard_summary_refresh


class Command(BaseCommand):
    help = "Rebuild the dashboard summary table (what the Celery task does every few minutes)."

    def handle(self, *args, **options):
        result = dashboard_summary_refresh()
        self.stdout.write(
            f"{result.summary_rows} summary rows, {result.calendar_days} calendar days, "
            f"{result.duration_ms} ms"
        )
