"""`manage.py escalate_overdue`: one escalation sweep, for cron when the broker is down."""

from django.core.management.base import BaseCommand

from complaints.services.escalation import ESCALATION_BATCH_SIZE
from complaints.services.escalation_runs import escalation_sweep_run


class Command(BaseCommand):
    help = "Escalate every overdue complaint one level up (post → BP3MI → ministry) once."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=ESCALATION_BATCH_SIZE,
            help="Complaints per transaction (default %(default)s).",
        )

    def handle(self, *args, batch_size: int, **options) -> None:
        result = escalation_sweep_run(batch_size=batch_size)
        if result.get("skipped"):
            self.stdout.write("Another escalation sweep is running; this one skipped.")
            return
        self.stdout.write(
            f"Escalated {result['escalated']} complaint(s); "
            f"re-notified {result['renotified']} at the top of the ladder; "
            f"{result['notifications']} office notification(s)."
        )
