"""Demo data of the portal app: offices and the demo staff users other tools sign in with.

`manage.py seed_demo` calls `seed` here first, then `seed(context)` of each module of DEMO_SEEDERS,
in that order. Each must be idempotent: `make run` calls it on every start.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TextIO

from portal.choices import Role
from portal.models import Office
from portal.services import (
    membership_grant,
    office_seed_defaults,
    region_load_all,
    staff_user_ensure,
)

# Order matters: guides and villages exist before the outreach events that cite them, complaints
# before the office report that counts them.
DEMO_SEEDERS = [
    "complaints.demo",
    "education.demo",
    "desa_migran.demo",
    "education.demo_staff",
    "oversight.reports.demo",
]

# (username, full name, office code, role)
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("menteri", "Analis Kementerian", "kemenp2mi", Role.MINISTRY_ANALYST),
    ("kepala-jatim", "Kepala BP3MI Jawa Timur", "bp3mi-jatim", Role.HEAD),
    ("petugas-jatim", "Petugas BP3MI Jawa Timur", "bp3mi-jatim", Role.OFFICER),
    ("petugas-jabar", "Petugas BP3MI Jawa Barat", "bp3mi-jabar", Role.OFFICER),
    ("kepala-jabar", "Kepala BP3MI Jawa Barat", "bp3mi-jabar", Role.HEAD),
    ("petugas-tulungagung", "Petugas P4MI Tulungagung", "p4mi-tulungagung", Role.OFFICER),
    ("editor", "Editor Konten", "kemenp2mi", Role.CONTENT_EDITOR),
]


@dataclass
class DemoContext:
    """What `seed_demo` passes to each app's `demo.seed`."""

    password: str
    password_generated: bool
    complaints: int
    stdout: TextIO
    extra: dict = field(default_factory=dict)


def demo_password(given: str | None) -> tuple[str, bool]:
    if given:
        return given, False
    return secrets.token_urlsafe(12), True


def seed(context: DemoContext) -> None:
    if not Office.objects.exists():
        region_load_all()
    office_seed_defaults()
    offices = {office.code: office for office in Office.objects.all()}
    for username, full_name, office_code, role in DEMO_USERS:
        user = staff_user_ensure(
            username=username,
            password=context.password,
            full_name=full_name,
            email=f"{username}@demo.invalid",
        )
        membership_grant(user=user, office=offices[office_code], role=role)
    admin = staff_user_ensure(
        username="admin", password=context.password, full_name="Admin Portal", email=""
    )
    if not admin.is_superuser:
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
