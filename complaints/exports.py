"""CSV and XLSX exports of the triage queue's selection.

Cells are neutralised before they reach a spreadsheet: control characters are dropped (they also
crash XLSX writers) and text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is
prefixed with an apostrophe (OWASP "CSV injection"). Personal columns appear only for users with
`complaints.view_personal_data`, and stay empty on rows whose reporter they may not see.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.choices import AccessAction
from complaints.models import Complaint
from complaints.selectors import (
    complaint_personal_data_visible,
    complaint_standard_state,
    personal_data_office_ids,
)
from complaints.services.audit import access_record_write_many

# A spreadsheet for a meeting, not a database dump: larger extracts go through the API.
EXPORT_MAX_ROWS = 50_000
# Rows fetched per database round trip while writing.
EXPORT_CHUNK_SIZE = 2_000

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_neutralise(value) -> str:
    if value is None:
        return ""
    text = _CONTROL_CHARS.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    header: str
    value: object  # callable(complaint) -> value
    personal: bool = False


def _standard(complaint: Complaint) -> dict:
    return complaint_standard_state(complaint=complaint, now=timezone.now(), working_days=False)


def _date(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


COLUMNS = [
    Column(_("reference"), lambda c: c.reference),
    Column(_("status"), lambda c: c.get_status_display()),
    Column(_("category"), lambda c: c.category.name),
    Column(_("in danger now"), lambda c: _("yes") if c.is_urgent else _("no")),
    Column(_("responsible office"), lambda c: c.office.name),
    Column(_("assignee"), lambda c: c.assignee.get_username() if c.assignee else ""),
    Column(_("destination country"), lambda c: c.destination_country.code),
    Column(_("placement agency (P3MI)"), lambda c: c.placement_agency_name),
    Column(_("employer"), lambda c: c.employer_name),
    Column(_("received"), lambda c: _date(c.created_at)),
    Column(_("office deadline"), lambda c: _date(c.due_at)),
    Column(
        _("past the service standard"),
        lambda c: _("yes") if _standard(c)["past_standard"] else _("no"),
    ),
    Column(_("verification due"), lambda c: _date(c.standard_verify_due_at)),
    Column(_("first response due"), lambda c: _date(c.standard_first_response_due_at)),
    Column(_("resolution due"), lambda c: _date(c.standard_resolve_due_at)),
    Column(_("verification missed"), lambda c: _date(c.verify_breached_at)),
    Column(_("first response missed"), lambda c: _date(c.first_response_breached_at)),
    Column(_("resolution missed"), lambda c: _date(c.resolve_breached_at)),
    Column(_("what happened"), lambda c: c.description),
    Column(_("reporter name"), lambda c: c.reporter_name, personal=True),
    Column(_("phone (E.164)"), lambda c: c.reporter_phone, personal=True),
    Column(_("e-mail"), lambda c: c.reporter_email, personal=True),
    Column(_("WhatsApp (E.164)"), lambda c: c.reporter_whatsapp, personal=True),
    Column(_("passport number"), lambda c: c.passport_number, personal=True),
]


@dataclass
class ExportTable:
    headers: list[str]
    rows: Iterator[list[str]]
    personal_complaint_ids: list[int]


def export_table(*, user, queryset: QuerySet[Complaint]) -> ExportTable:
    """The neutralised table of a scoped selection, and which rows showed personal data."""
    office_ids = personal_data_office_ids(user=user)
    columns = [column for column in COLUMNS if office_ids is not None or not column.personal]
    complaints = list(
        queryset.select_related("category", "office", "assignee").order_by("pk")[:EXPORT_MAX_ROWS]
    )
    personal_ids: list[int] = []

    def _rows() -> Iterator[list[str]]:
        for complaint in complaints:
            visible = complaint_personal_data_visible(
                user=user, complaint=complaint, office_ids=office_ids
            )
            if visible and office_ids is not None:
                personal_ids.append(complaint.pk)
            yield [
                cell_neutralise(column.value(complaint) if visible or not column.personal else "")
                for column in columns
            ]

    rows = list(_rows())
    return ExportTable(
        headers=[str(column.header) for column in columns],
        rows=iter(rows),
        personal_complaint_ids=personal_ids,
    )


def export_csv(table: ExportTable) -> bytes:
    buffer = io.StringIO()
    # A BOM makes Excel read the UTF-8 (Indonesian names, Arabic employer names) correctly.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return buffer.getvalue().encode("utf-8")


def export_xlsx(table: ExportTable) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Pengaduan")
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_complaints(*, user, queryset: QuerySet[Complaint], file_format: str) -> bytes:
    """Write the export and an access record for each complaint whose personal data it holds."""
    table = export_table(user=user, queryset=queryset)
    content = export_xlsx(table) if file_format == "xlsx" else export_csv(table)
    access_record_write_many(
        user=user,
        complaint_ids=table.personal_complaint_ids,
        action=AccessAction.EXPORT,
        detail=file_format,
    )
    return content


def export_filename(file_format: str) -> str:
    return f"pengaduan-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
