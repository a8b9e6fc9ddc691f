from django.core.management.base import BaseCommand

from oversight.dashboards.services import dashboard_summary_fold


class Command(BaseCommand):
    help = "Fold the complaints changed since the last run into the dashboard tables."

    def handle(self, *args, **options):
        result = dashboard_summary_fold()
        how = "full rebuild" if result.rebuilt else "fold"
        self.stdout.write(
            f"{how}: {result.complaints} complaints, {result.changes} logged changes, "
            f"{result.duration_ms} ms"
        )
