from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from oversight.dashboards.services import dashboard_summary_check


class Command(BaseCommand):
    help = (
        "Fold, then rebuild the dashboard tables into temporary tables and count the rows that "
        "differ (drift, 0 expected; what the nightly task does). PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="replace the tables with the rebuild on drift"
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("SQLite rebuilds the dashboard tables in full: nothing to check.")
        result = dashboard_summary_check(repair=options["repair"])
        tables = ", ".join(f"{table} {rows}" for table, rows in result.drift_by_table.items())
        self.stdout.write(
            f"drift {result.drift_rows} rows{f' ({tables})' if tables else ''}; "
            f"folded {result.folded.complaints} complaints first; {result.duration_ms} ms"
            f"{'; repaired' if result.repaired else ''}"
        )
