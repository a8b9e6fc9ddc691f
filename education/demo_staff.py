"""Demo data of issue 10: the staff guides (refreshed from education.learning.content) and a few
outreach events of the demo offices. Idempotent; call `seed(context)` from education.demo."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from education.learning.content import STAFF_GUIDES
from education.learning.services import staff_guide_upsert
from education.models import OutreachEvent, OutreachFormat
from education.outreach.services import outreach_event_create
from portal.models import Membership, Office

# (office code, title, days from today, region code, format, women, men, partners)
DEMO_EVENTS = [
    (
        "bp3mi-jatim",
        "Sosialisasi migrasi aman di balai desa",
        7,
        "35.04",
        OutreachFormat.VILLAGE_MEETING,
        0,
        0,
        "Dinas Tenaga Kerja Kab. Tulungagung",
    ),
    (
        "bp3mi-jatim",
        "Bekerja ke luar negeri secara prosedural: siswa SMK",
        14,
        "35.04",
        OutreachFormat.SCHOOL,
        0,
        0,
        "SMK negeri setempat",
    ),
    (
        "bp3mi-jatim",
        "Dialog radio: mengenali calo",
        -20,
        "35.78",
        OutreachFormat.RADIO,
        40,
        25,
        "Radio komunitas",
    ),
    (
        "bp3mi-jabar",
        "Bursa kerja luar negeri resmi",
        10,
        "32.12",
        OutreachFormat.JOB_FAIR,
        0,
        0,
        "Disnaker Kab. Indramayu",
    ),
    (
        "bp3mi-jabar",
        "Siaran langsung media sosial: biaya penempatan",
        -10,
        "32.12",
        OutreachFormat.SOCIAL_MEDIA,
        120,
        80,
        "",
    ),
]


def seed(context) -> None:
    for entry in STAFF_GUIDES:
        staff_guide_upsert(**entry)
    offices = {
        office.code: office
        for office in Office.objects.filter(code__in={e[0] for e in DEMO_EVENTS})
    }
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for code, title, days, region, kind, women, men, partners in DEMO_EVENTS:
        office = offices.get(code)
        head = Membership.objects.filter(office=office, role="head").select_related("user").first()
        if (
            office is None
            or head is None
            or OutreachEvent.objects.filter(office=office, title=title).exists()
        ):
            continue
        outreach_event_create(
            actor=head.user,
            office=office,
            region_code=region,
            title=title,
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=2),
            format=kind,
            audience_women=women,
            audience_men=men,
            partners=partners,
        )
    context.stdout.write(
        f"staff guides: {len(STAFF_GUIDES)}; outreach events: {OutreachEvent.objects.count()}\n"
    )
