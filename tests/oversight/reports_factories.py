"""Helpers for the office-report tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from oversight.reports.models import OfficeReport
from portal.models import Office

JAKARTA = ZoneInfo("Asia/Jakarta")
NARRATIVE = {
    "achievements": "Sosialisasi di 4 desa; 12 pengaduan gaji selesai.",
    "problems": "Dua P3MI tidak menjawab panggilan.",
    "requests": "Mohon koordinasi dengan KBRI Kuala Lumpur.",
    "good_practices": "Pos pengaduan keliling di pasar desa.",
}


def local(*args) -> datetime:
    return datetime(*args, tzinfo=JAKARTA)


def report_make(*, office_code: str, month: date, status: str = "draft", **fields) -> OfficeReport:
    """A stored report in any status, without the workflow (for scope and search tests)."""
    return OfficeReport.objects.create(
        office=Office.objects.get(code=office_code), month=month, status=status, **fields
    )
