import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import backup_restore
from portal.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` into the EMPTY database of DATABASE_URL and the "
        "empty media folders, verifying every checksum, row count and the migration state."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="archive written by manage.py backup")
        parser.add_argument(
            "--identity", default=None, help="age private key file (encrypted archives)"
        )

    def handle(self, *args, **options) -> None:
        identity = options["identity"]
        if identity is None:
            identity = os.environ.get("BACKUP_AGE_IDENTITY_FILE", "")
        started = time.monotonic()
        try:
            result = backup_restore(path=Path(options["path"]), identity=identity)
        except ApplicationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored: {result['tables']} tables, {result['rows']:,} rows, {result['files']} "
            f"files from the backup of {result['created_at']}, verified, in "
            f"{time.monotonic() - started:.1f} s"
        )
