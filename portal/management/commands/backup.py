import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import backup_create
from portal.exceptions import ApplicationError
from portal.metrics import backup_success_record


class Command(BaseCommand):
    help = (
        "Write one archive of the database (pg_dump custom format, or an SQLite copy) and the "
        "private media, with a manifest of counts and checksums; encrypted with age to "
        "BACKUP_AGE_RECIPIENT (or --recipient) when set."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="archive file to write (replaced atomically)")
        parser.add_argument("--recipient", default=None, help="age public key (age1...)")

    def handle(self, *args, **options) -> None:
        recipient = options["recipient"]
        if recipient is None:
            recipient = os.environ.get("BACKUP_AGE_RECIPIENT", "")
        started = time.monotonic()
        try:
            result = backup_create(path=Path(options["path"]), recipient=recipient)
        except ApplicationError as error:
            raise CommandError(str(error)) from error
        backup_success_record()
        self.stdout.write(
            f"backup: {result.path} ({result.size:,} bytes, {result.tables} tables, "
            f"{result.rows:,} rows, {result.files} files, "
            f"{'encrypted' if result.encrypted else 'NOT encrypted'}) "
            f"in {time.monotonic() - started:.1f} s"
        )
