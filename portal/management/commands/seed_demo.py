import importlib
import os

from django.core.management.base import BaseCommand

from portal import demo


class Command(BaseCommand):
    help = (
        "Create demo offices, staff users, categories, guides, villages and complaints "
        "(idempotent). The password comes from DEMO_PASSWORD or is generated and printed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--complaints",
            type=int,
            default=200,
            help="How many demo complaints to have in all (bulk; 1,000,000 takes minutes).",
        )
        parser.add_argument("--password", default=None, help="Overrides DEMO_PASSWORD.")

    def handle(self, *args, **options) -> None:
        password, generated = demo.demo_password(
            options["password"] or os.environ.get("DEMO_PASSWORD")
        )
        context = demo.DemoContext(
            password=password,
            password_generated=generated,
            complaints=max(0, options["complaints"]),
            stdout=self.stdout,
        )
        demo.seed(context)
        for module_name in demo.DEMO_SEEDERS:
            importlib.import_module(module_name).seed(context)
            self.stdout.write(f"demo data: {module_name} ready")
        users = ", ".join(username for username, *_rest in demo.DEMO_USERS)
        self.stdout.write(self.style.SUCCESS(f"demo users: {users}, admin (superuser)"))
        if generated:
            self.stdout.write(self.style.WARNING(f"demo password (generated): {password}"))
        else:
            self.stdout.write("demo password: the value of DEMO_PASSWORD")
