"""Seed the ministry's complaint taxonomy (names in Indonesian and English) and the P3MI registry.

Categories are edited in the admin afterwards; this only creates missing slugs and never overwrites
an edit. Urgent categories (death, violence, sexual harassment, trafficking, detention, lost contact)
put a complaint on the urgent clock at once.
"""

import csv
import re
from pathlib import Path

from django.db import migrations

# (slug, Indonesian, English, kind, urgent)
CATEGORIES = [
    ("ingin-pulang", "Ingin pulang", "Wants to go home", "complaint", False),
    ("gaji-tidak-dibayar", "Gaji tidak dibayar", "Unpaid wages", "complaint", False),
    ("deportasi-repatriasi", "Deportasi atau repatriasi", "Deportation or repatriation", "complaint", False),
    ("gagal-berangkat", "Gagal berangkat", "Failed departure", "complaint", False),
    ("meninggal-dunia", "Meninggal dunia di luar negeri", "Death abroad", "complaint", True),
    ("sakit", "Sakit", "Illness", "complaint", False),
    ("gangguan-jiwa", "Gangguan jiwa atau tekanan mental", "Mental distress", "complaint", False),
    ("penipuan-kerja", "Penipuan lowongan kerja", "Job fraud", "complaint", False),
    ("tppo", "Tindak pidana perdagangan orang (TPPO)", "Human trafficking (TPPO)", "complaint", True),
    ("pekerjaan-tidak-sesuai", "Pekerjaan tidak sesuai perjanjian kerja", "Work not matching the contract", "complaint", False),
    ("kekerasan-majikan", "Kekerasan oleh majikan", "Violence by the employer", "complaint", True),
    ("pelecehan-seksual", "Pelecehan seksual", "Sexual harassment", "complaint", True),
    ("biaya-penempatan-berlebih", "Biaya penempatan berlebihan", "Excessive placement fees", "complaint", False),
    ("klaim-jaminan-sosial", "Klaim jaminan sosial atau asuransi", "Social security or insurance claim", "complaint", False),
    ("hilang-kontak", "Hilang kontak", "Lost contact", "complaint", True),
    ("phk-sepihak", "Pemutusan hubungan kerja sepihak", "Unilateral termination", "complaint", False),
    ("dokumen-ditahan", "Dokumen ditahan", "Documents withheld", "complaint", False),
    ("overstay-imigrasi", "Overstay atau masalah keimigrasian", "Overstay or immigration trouble", "complaint", False),
    ("ditahan-kasus-pidana", "Ditahan atau terjerat kasus pidana", "Detention or criminal case", "complaint", True),
    ("lainnya", "Lainnya", "Other", "complaint", False),
    ("aspirasi", "Aspirasi atau saran", "Suggestion", "aspiration", False),
    ("permintaan-informasi", "Permintaan informasi", "Information request", "information_request", False),
]

# The P3MI registry ships as a CSV (name, licence number) exported from the ministry's official
# list; staff verify and extend it in the admin. Only rows whose normalised name is new are added.
AGENCY_CSV = Path(__file__).resolve().parent.parent / "data" / "p3mi_agencies.csv"


def normalise(name):
    text = re.sub(r"[^\w\s]", " ", name.upper())
    text = re.sub(r"\b(PT|CV|TBK)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    existing = set(Category.objects.values_list("slug", flat=True))
    Category.objects.bulk_create(
        [
            Category(
                slug=slug,
                name_id=name_id,
                name_en=name_en,
                kind=kind,
                is_urgent=urgent,
                default_priority="urgent" if urgent else "normal",
                sort_order=(index + 1) * 10,
            )
            for index, (slug, name_id, name_en, kind, urgent) in enumerate(CATEGORIES)
            if slug not in existing
        ]
    )
    Agency = apps.get_model("complaints", "Agency")
    if not AGENCY_CSV.exists():
        return
    known = set(Agency.objects.filter(kind="p3mi").values_list("normalized_name", flat=True))
    rows = []
    with AGENCY_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = (row.get("name") or "").strip()
            key = normalise(name)
            if not name or key in known:
                continue
            known.add(key)
            rows.append(
                Agency(
                    kind="p3mi",
                    name=name,
                    normalized_name=key,
                    licence_number=(row.get("licence_number") or "").strip(),
                    country="ID",
                )
            )
    Agency.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
