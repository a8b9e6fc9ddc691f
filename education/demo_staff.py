"""Demo data: the staff guides (refreshed from education.learning.content) and a few
outreach events of the demo offices. Idempotent; call `seed(context)` from education.demo."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from education.learning.content import STAFF_GUIDES
from education.learning.services import staff_guide_upsert
from education.models import OutreachEvent, OutreachFormat
from education.outreach.services import outreach_event_create, outreach_event_save
from portal.choices import Role
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

# The English title and description of each demo event (by its Indonesian title).
DEMO_EVENTS_EN: dict[str, tuple[str, str]] = {
    "Sosialisasi migrasi aman di balai desa": (
        "Safe-migration outreach at the village hall",
        "How to work abroad through the official route: documents, costs, and where to complain.",
    ),
    "Bekerja ke luar negeri secara prosedural: siswa SMK": (
        "Working abroad through the official procedure: vocational school students",
        "For final-year students: licensed placement agencies, training and contracts.",
    ),
    "Dialog radio: mengenali calo": (
        "Radio talk: recognising illegal recruiters",
        "Listeners asked how to check a recruiter and what to do when a passport is held.",
    ),
    "Bursa kerja luar negeri resmi": (
        "Official job fair for work abroad",
        "Licensed agencies and official vacancies abroad, checked by the BP3MI.",
    ),
    "Siaran langsung media sosial: biaya penempatan": (
        "Social media live broadcast: placement costs",
        "Which costs a worker pays, which the employer pays, and how to report overcharging.",
    ),
}
DEMO_EVENTS_ID_DESCRIPTION: dict[str, str] = {
    "Sosialisasi migrasi aman di balai desa": (
        "Cara bekerja ke luar negeri melalui jalur resmi: dokumen, biaya, dan tempat mengadu."
    ),
    "Bekerja ke luar negeri secara prosedural: siswa SMK": (
        "Untuk siswa kelas akhir: P3MI berizin, pelatihan dan perjanjian kerja."
    ),
    "Dialog radio: mengenali calo": (
        "Pendengar bertanya cara memeriksa perekrut dan apa yang dilakukan bila paspor ditahan."
    ),
    "Bursa kerja luar negeri resmi": (
        "P3MI berizin dan lowongan resmi luar negeri yang diperiksa BP3MI."
    ),
    "Siaran langsung media sosial: biaya penempatan": (
        "Biaya yang ditanggung pekerja, biaya yang ditanggung pemberi kerja, dan cara "
        "melaporkan pungutan berlebih."
    ),
}


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
        head = (
            Membership.objects.filter(office=office, role=Role.HEAD).select_related("user").first()
        )
        if office is None or head is None:
            continue
        title_en, description_en = DEMO_EVENTS_EN[title]
        existing = OutreachEvent.objects.filter(office=office, title=title).first()
        if existing is not None:
            if not existing.title_en:
                # Seeded before the demo had English texts: add them, touch nothing else.
                existing.title_en, existing.description_en = title_en, description_en
                outreach_event_save(actor=head.user, event=existing)
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
            description=DEMO_EVENTS_ID_DESCRIPTION[title],
            title_en=title_en,
            description_en=description_en,
        )
    context.stdout.write(
        f"staff guides: {len(STAFF_GUIDES)}; outreach events: {OutreachEvent.objects.count()}\n"
    )
