"""Demo data of office reports: BP3MI Jawa Barat has submitted last month's report, so the ministry
can review it; BP3MI Jawa Timur has none yet, so `kepala-jatim` can write one. Idempotent."""

from __future__ import annotations

from django.utils import timezone

from oversight.reports import services
from oversight.reports.models import OfficeReport
from oversight.reports.selectors import month_previous, month_start
from portal.choices import Role
from portal.models import Membership

DEMO_NARRATIVE = {
    "achievements": (
        "Sosialisasi migrasi aman di 6 desa Kabupaten Indramayu bersama Disnaker; "
        "pengaduan gaji tidak dibayar ditangani bersama KBRI."
    ),
    "problems": "Beberapa calon PMI masih berangkat lewat sponsor perseorangan.",
    "requests": "Materi sosialisasi cetak tambahan untuk sekolah menengah kejuruan.",
    "good_practices": "Pengumuman jadwal sosialisasi lewat pengeras suara masjid desa.",
}


def seed(context) -> None:
    head = (
        Membership.objects.filter(office__code="bp3mi-jabar", role=Role.HEAD)
        .select_related("user", "office")
        .first()
    )
    if head is None:
        return
    month = month_previous(month_start(timezone.localdate()))
    if OfficeReport.objects.filter(office=head.office, month=month).exists():
        return
    report = services.office_report_create(office=head.office, month=month, actor=head.user)
    services.office_report_update_narrative(report=report, actor=head.user, **DEMO_NARRATIVE)
    services.office_report_submit(report=report, actor=head.user)
    context.stdout.write(f"office reports: {head.office.name} submitted {month:%Y-%m}\n")
