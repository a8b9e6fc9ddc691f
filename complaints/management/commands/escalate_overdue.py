"""`manage.py escalate_overdue`: one escalation sweep, for cron when the broker is down."""

from django.core.management.base import BaseCommand

from complaints.services.escalation import (
    ESCALATION_BATCH_SIZE,
    complaint_escalate_overdue,
    escalation_sweep_finished_record,
)


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
        result = complaint_escalate_overdue(batch_size=batch_size)
        escalation_sweep_finished_record()
        self.stdout.write(
            f"Escalated {result.escalated} complaint(s); "
            f"re-notified {result.renotified} at the top of the ladder; "
            f"{len(result.notifications)} office notification(s)."
        )
