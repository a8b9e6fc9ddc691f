"""Demo Desa Migran Emas villages: real Kemendagri codes and names in the big sending provinces.

Villages go through the same services as staff work (create, assess, designate, confirm), so the
demo also shows the status timeline. Idempotent: a village that already has a profile is skipped.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from desa_migran import services
from desa_migran.choices import Criterion, Pillar, ProgrammeKind, VillageStatus
from desa_migran.models import Village, VillageActivity, VillagePartner, VillageProgramme
from portal.choices import Role
from portal.demo import DemoContext
from portal.models import Office, Region
from portal.services import membership_grant, staff_user_ensure

# (Kemendagri code, name as in Kepmendagri 300.2.2-2138/2025, target status, lat, lon)
DEMO_VILLAGES: list[tuple[str, str, str, str, str]] = [
    ("35.04.08.2002", "Babadan", VillageStatus.DESA_MIGRAN_EMAS, "-8.03", "111.86"),
    ("35.04.10.2012", "Bendiljati Kulon", VillageStatus.DESA_MIGRAN_EMAS, "-8.10", "111.95"),
    ("35.07.11.2001", "Putukrejo", VillageStatus.DESA_MIGRAN_EMAS, "-8.22", "112.45"),
    ("35.10.08.2010", "Sukomaju", VillageStatus.ASSESSED, "-8.39", "114.27"),
    ("35.05.06.2014", "Candirejo", VillageStatus.DESA_MIGRAN_EMAS, "-8.05", "112.13"),
    ("35.02.07.2006", "Patik", VillageStatus.CANDIDATE, "-7.85", "111.62"),
    ("33.01.06.2013", "Mujur", VillageStatus.DESA_MIGRAN_EMAS, "-7.63", "109.25"),
    ("33.29.07.2005", "Jatibarang Lor", VillageStatus.ASSESSED, "-6.97", "109.06"),
    ("33.07.05.2008", "Wonokerto", VillageStatus.CANDIDATE, "-7.30", "109.95"),
    ("32.12.11.2004", "Dadap", VillageStatus.DESA_MIGRAN_EMAS, "-6.43", "108.43"),
    ("32.09.13.2003", "Sindanghayu", VillageStatus.DESA_MIGRAN_EMAS, "-6.80", "108.40"),
    ("32.03.11.2010", "Cibulakan", VillageStatus.ASSESSED, "-6.78", "107.09"),
    ("52.03.08.2003", "Kerumut", VillageStatus.DESA_MIGRAN_EMAS, "-8.50", "116.62"),
    ("52.02.04.2018", "Kerame Jati", VillageStatus.DESA_MIGRAN_EMAS, "-8.83", "116.31"),
    ("52.04.14.2013", "Gapit", VillageStatus.CANDIDATE, "-8.76", "117.87"),
    ("53.04.03.2003", "Maumutin", VillageStatus.ASSESSED, "-9.17", "124.97"),
    ("53.07.09.2005", "Wairbleler", VillageStatus.DESA_MIGRAN_EMAS, "-8.63", "122.40"),
    ("53.01.10.2013", "Tolnaku", VillageStatus.CANDIDATE, "-9.93", "123.93"),
    ("18.07.06.2014", "Selorejo", VillageStatus.DESA_MIGRAN_EMAS, "-5.08", "105.45"),
    ("18.02.08.2014", "Buyut Baru", VillageStatus.ASSESSED, "-4.95", "105.55"),
]

# Heads who propose designations (kepala-jatim and kepala-jabar come from portal.demo).
DEMO_HEADS: dict[str, str] = {
    "35": "kepala-jatim",
    "32": "kepala-jabar",
    "33": "kepala-jateng",
    "52": "kepala-ntb",
    "53": "kepala-ntt",
    "18": "kepala-lampung",
}
EXTRA_HEAD_OFFICES = {
    "kepala-jateng": "bp3mi-jateng",
    "kepala-ntb": "bp3mi-ntb",
    "kepala-ntt": "bp3mi-ntt",
    "kepala-lampung": "bp3mi-lampung",
}

# Typical destinations by sending area (BP2MI placement data): East Java and Central Java to
# Taiwan, Hong Kong and Malaysia; West Java and NTB to Saudi Arabia and Malaysia; NTT to Malaysia.
DESTINATIONS: dict[str, dict[str, int]] = {
    "35": {"TW": 45, "HK": 30, "MY": 20, "SG": 5},
    "33": {"TW": 40, "MY": 30, "HK": 20, "KR": 10},
    "32": {"SA": 40, "MY": 30, "TW": 20, "AE": 10},
    "52": {"MY": 60, "SA": 30, "TW": 10},
    "53": {"MY": 90, "SG": 10},
    "18": {"MY": 50, "TW": 30, "HK": 20},
}

# (pillar, title, what was done, what came of it), each text in Indonesian and in English.
ACTIVITIES: list[tuple[str, str, str, str]] = [
    (
        Pillar.EDUKATIF,
        "Sosialisasi migrasi aman untuk calon PMI dan keluarga",
        "Petugas desa dan BP3MI menjelaskan jalur resmi, dokumen, biaya penempatan dan cara "
        "mengenali calo kepada calon PMI dan orang tua mereka.",
        "Calon PMI yang mendaftar melalui jalur resmi di desa naik dibanding tahun sebelumnya.",
    ),
    (
        Pillar.MAJU,
        "Pelatihan usaha olahan pangan bagi PMI purna",
        "Pelatihan tiga hari tentang produksi, pengemasan dan pemasaran daring keripik dan "
        "kue kering, bersama dinas koperasi kabupaten.",
        "Beberapa PMI purna membuka usaha rumahan dan menjual lewat BUMDes.",
    ),
    (
        Pillar.AMAN,
        "Penanganan pengaduan PMI bersama satgas desa",
        "Satgas desa mendampingi keluarga PMI yang kehilangan kontak dan meneruskan pengaduan "
        "ke BP3MI dan Crisis Center.",
        "Kontak dengan PMI pulih dalam dua minggu; keluarga tahu jalur pengaduan resmi.",
    ),
    (
        Pillar.SEJAHTERA,
        "Komunitas parenting untuk anak PMI",
        "Pertemuan bulanan pengasuh anak PMI dengan kader PKK tentang pola asuh, kesehatan dan "
        "panggilan video rutin dengan orang tua di luar negeri.",
        "Ruang belajar sore dibuka di balai desa untuk anak-anak PMI.",
    ),
    (
        Pillar.SEJAHTERA,
        "Literasi keuangan dan remitansi",
        "Bank mitra mengajarkan cara mengirim uang dengan biaya rendah, menabung dan menyusun "
        "rencana usaha sepulang bekerja.",
        "Keluarga PMI membuka rekening tabungan dan memakai layanan remitansi resmi.",
    ),
]


# The English texts of ACTIVITIES, in the same order (English readers of a demo village page read
# English, not the Indonesian text under an English header).
ACTIVITIES_EN: list[tuple[str, str, str]] = [
    (
        "Safe-migration outreach for prospective workers and their families",
        "Village officers and the BP3MI explained the official route, the documents, the "
        "placement costs and how to recognise illegal recruiters to prospective migrant "
        "workers and their parents.",
        "More prospective workers registered through the official route in the village than "
        "the year before.",
    ),
    (
        "Food-processing business training for returned workers",
        "Three days of training on producing, packaging and selling chips and biscuits "
        "online, with the regency's cooperatives office.",
        "Several returned workers opened home businesses and sell through the village-owned "
        "enterprise (BUMDes).",
    ),
    (
        "Handling migrant workers' complaints with the village task force",
        "The village task force helped families who had lost contact with a migrant worker "
        "and passed their complaints on to the BP3MI and the Crisis Center.",
        "Contact with the worker was restored within two weeks; families know the official "
        "complaint channels.",
    ),
    (
        "Parenting community for migrant workers' children",
        "Monthly meetings of the carers of migrant workers' children with PKK volunteers on "
        "parenting, health and regular video calls with parents abroad.",
        "An afternoon study room opened in the village hall for migrant workers' children.",
    ),
    (
        "Financial literacy and remittances",
        "A partner bank taught how to send money at low cost, how to save and how to plan a "
        "business for after returning home.",
        "Migrant workers' families opened savings accounts and use official remittance services.",
    ),
]


def _profile(name: str) -> str:
    return (
        f"Desa {name} adalah desa asal banyak pekerja migran. Pemerintah desa, "
        "satgas dan PMI purna bekerja sama agar warga berangkat melalui jalur resmi, "
        "terlindungi selama bekerja dan berdaya setelah pulang."
    )


def _profile_en(name: str) -> str:
    return (
        f"{name} is the home village of many migrant workers. The village government, the "
        "task force and returned workers work together so that villagers leave through the "
        "official route, are protected while they work abroad and can make a living when they "
        "come home."
    )


def _programmes(village: Village, index: int) -> None:
    rows = [
        (
            ProgrammeKind.INFO_SERVICE_POST,
            "Pos Layanan Informasi Migrasi",
            "Informasi lowongan resmi, pemeriksaan dokumen dan pendaftaran calon PMI.",
            "Senin-Jumat 08.00-15.00",
            "Informasi kerja luar negeri; verifikasi P3MI; konsultasi dokumen",
            "",
        ),
        (
            ProgrammeKind.TASK_FORCE,
            "Satgas Pelindungan PMI Desa",
            "Mendampingi keluarga PMI dan meneruskan pengaduan.",
            "",
            "",
            f"SK Kepala Desa No. {index + 10}/2024",
        ),
        (
            ProgrammeKind.VILLAGE_REGULATION,
            "Perdes Pelindungan PMI",
            "Mengatur pendataan, sosialisasi dan pendampingan PMI serta keluarganya.",
            "",
            "",
            f"Perdes No. {index % 5 + 1} Tahun 2024",
        ),
        (
            ProgrammeKind.PRODUCTIVE_ECONOMY,
            "Kelompok Usaha PMI Purna",
            "Usaha olahan pangan, kerajinan dan budidaya ikan oleh PMI purna.",
            "",
            "",
            "",
        ),
        (
            ProgrammeKind.COMMUNITY_PARENTING,
            "Rumah Belajar Anak PMI",
            "Pendampingan belajar dan pengasuhan bagi anak yang orang tuanya bekerja di "
            "luar negeri.",
            "Sabtu 14.00-17.00",
            "",
            "",
        ),
        (
            ProgrammeKind.COOPERATIVE,
            "Koperasi/BUMDes Migran",
            "Simpan pinjam dan pemasaran produk keluarga PMI.",
            "",
            "",
            "",
        ),
    ]
    # Candidates run fewer programmes than designated villages.
    count = 3 if village.status == VillageStatus.CANDIDATE else len(rows)
    for kind, name, description, hours, offered, reference in rows[:count]:
        VillageProgramme.objects.get_or_create(
            village=village,
            kind=kind,
            defaults={
                "name": name,
                "description": description,
                "opening_hours": hours,
                "services": offered,
                "reference": reference,
                "started_on": datetime.date(2023, 1 + index % 12, 1),
            },
        )
    VillagePartner.objects.get_or_create(
        village=village,
        name="Dinas Tenaga Kerja Kabupaten",
        defaults={"kind": "government", "contribution": "Pelatihan dan pendataan calon PMI"},
    )


def _users(context: DemoContext) -> dict[str, object]:
    from django.contrib.auth import get_user_model

    offices = {office.code: office for office in Office.objects.all()}
    for username, office_code in EXTRA_HEAD_OFFICES.items():
        if office_code not in offices:
            continue
        user = staff_user_ensure(
            username=username,
            password=context.password,
            full_name=f"Kepala {offices[office_code].name}",
            email=f"{username}@demo.invalid",
        )
        membership_grant(user=user, office=offices[office_code], role=Role.HEAD)
    users = get_user_model().objects.in_bulk(
        ["admin", "menteri", *DEMO_HEADS.values()], field_name="username"
    )
    return users


def seed(context: DemoContext) -> None:
    users = _users(context)
    ministry = users.get("menteri") or users.get("admin")
    admin = users.get("admin") or ministry
    existing = set(Village.objects.values_list("region_id", flat=True))
    regions = Region.objects.in_bulk([code for code, *_rest in DEMO_VILLAGES])
    created = 0
    for index, (code, name, target, lat, lon) in enumerate(DEMO_VILLAGES):
        region = regions.get(code)
        if code in existing or region is None or region.name != name:
            continue
        head = users.get(DEMO_HEADS[code[:2]])
        with transaction.atomic():
            _seed_village(
                index=index,
                region=region,
                target=target,
                latitude=Decimal(lat),
                longitude=Decimal(lon),
                admin=admin,
                head=head,
                ministry=ministry,
            )
        created += 1
    _english_backfill(admin)
    context.stdout.write(f"desa_migran: {created} demo villages created")


def _english_backfill(actor) -> None:
    """Demo villages seeded before their English texts existed get them (only where the English
    field is still empty and the Indonesian text is the demo's own: nothing edited is touched)."""
    names = {code: name for code, name, *_rest in DEMO_VILLAGES}
    for village in Village.objects.filter(region_id__in=names, profile_en=""):
        if village.profile == _profile(names[village.region_id]):
            services.village_update(
                village=village,
                actor=actor,
                data={"profile_en": _profile_en(names[village.region_id])},
            )
    english = {
        title: dict(zip(("title_en", "description_en", "outcome_en"), texts, strict=True))
        for (_pillar, title, _description, _outcome), texts in zip(
            ACTIVITIES, ACTIVITIES_EN, strict=True
        )
    }
    activities = VillageActivity.objects.filter(
        village__region_id__in=names, title__in=english, title_en=""
    ).select_related("village")
    for activity in activities:
        services.activity_update(activity=activity, actor=actor, data=english[activity.title])


def _seed_village(*, index, region, target, latitude, longitude, admin, head, ministry) -> None:
    village = services.village_create(
        region_code=region.code,
        actor=admin,
        profile=_profile(region.name),
        profile_en=_profile_en(region.name),
        population=2500 + 173 * index,
        latitude=latitude,
        longitude=longitude,
        contact_name=f"Sekretariat Satgas PMI Desa {region.name}",
        contact_phone=f"+62 812 {3000 + index:04d} {1000 + 7 * index:04d}",
        contact_email="",
    )
    _programmes(village, index)
    if target != VillageStatus.CANDIDATE:
        score = 2 if target == VillageStatus.DESA_MIGRAN_EMAS else 1
        services.village_assessment_record(
            village=village,
            assessor=head or admin,
            assessed_on=datetime.date(2025, 1 + index % 9, 10),
            items=dict.fromkeys(
                Criterion.values, (score, "Diperiksa saat kunjungan lapangan BP3MI.")
            ),
        )
    if target == VillageStatus.DESA_MIGRAN_EMAS and head is not None:
        services.village_designate(village=village, actor=head)
        services.village_designation_confirm(
            village=village,
            actor=ministry,
            designated_on=datetime.date(2025, 9, 1 + index % 20),
        )
    village.refresh_from_db()
    share = {"35": 50, "33": 45, "32": 30, "52": 25, "53": 15, "18": 35}[region.code[:2]]
    for year, growth in ((2024, 0), (2025, 1)):
        abroad = 120 + 37 * index + 15 * growth
        by_country = {
            country: abroad * percent // 100
            for country, percent in DESTINATIONS[region.code[:2]].items()
        }
        services.indicator_save(
            village=village,
            actor=admin,
            year=year,
            period="year",
            figures={
                "workers_abroad": abroad,
                "workers_by_country": by_country,
                "procedural_share": Decimal(min(95, share + 10 * growth + index % 7)),
                "returnees": 20 + 5 * index + 4 * growth,
                "trained": 15 + 3 * index + 10 * growth,
                "returnee_businesses": 3 + index % 6 + 2 * growth,
                "remittances_idr": (abroad * 9_000_000) + 1_000_000 * index,
            },
        )
    for offset in range(2):
        pillar, title, description, outcome = ACTIVITIES[(index + offset) % len(ACTIVITIES)]
        title_en, description_en, outcome_en = ACTIVITIES_EN[(index + offset) % len(ACTIVITIES)]
        services.activity_create(
            village=village,
            actor=admin,
            held_on=datetime.date(2025, 1 + (index + 4 * offset) % 11, 5 + offset * 10),
            pillar=pillar,
            title=title,
            description=description,
            outcome=outcome,
            title_en=title_en,
            description_en=description_en,
            outcome_en=outcome_en,
        )
