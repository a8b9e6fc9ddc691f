"""Bulk import of village indicators from CSV or XLSX (django-import-export).

One resource serves the admin's import (with its preview) and `indicator_import` below. A file with
any bad row writes nothing; each error names the line of the file and the column. CSV files saved by
older spreadsheet programs in Latin-1 / Windows-1252 are read as such when they are not UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import tablib
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result

from desa_migran.choices import IndicatorPeriod
from desa_migran.models import INDICATOR_FIGURES, Village, VillageIndicator
from portal.models import Region

COLUMNS = (
    "village_code",
    "village_name",
    "year",
    "period",
    *INDICATOR_FIGURES,
)
REQUIRED_COLUMNS = ("village_code", "year", "workers_abroad")
# Error keys are model attributes; users know the file's column names.
ATTRIBUTE_COLUMN = {"village": "village_code"}


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; otherwise Windows-1252, which Excel uses for "CSV" in
    Indonesian Windows, falling back to Latin-1, which decodes any byte."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


class TolerantCSV(CSV):
    """CSV read as bytes and decoded by `decode_text` instead of failing on Latin-1 files."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode_text(in_stream)
        return tablib.import_set(in_stream, format="csv", **kwargs)


IMPORT_FORMATS = [TolerantCSV, XLSX]


class VillageCodeWidget(widgets.ForeignKeyWidget):
    """A Kemendagri village code → the village's profile, only within the importer's scope."""

    def __init__(self, user: AbstractBaseUser | None = None) -> None:
        super().__init__(Village, field="region_id")
        self.user = user

    def get_queryset(self, value, row, *args, **kwargs):
        from desa_migran.selectors import village_list_for_staff

        return village_list_for_staff(user=self.user) if self.user else Village.objects.all()

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip()
        if not code:
            raise ValueError(_("The village code is missing."))
        village = self.get_queryset(value, row).filter(region_id=code).first()
        if village is not None:
            return village
        region = Region.objects.filter(code=code).only("level").first()
        if region is None:
            raise ValueError(_("%(code)s is not a Kemendagri region code.") % {"code": code})
        if region.level != 4:
            raise ValueError(
                _("%(code)s is not a village code (level 4, e.g. 33.02.01.2001).") % {"code": code}
            )
        if Village.objects.filter(region_id=code).exists():
            raise ValueError(_("This village is outside your office's provinces."))
        raise ValueError(_("%(code)s has no Desa Migran Emas profile yet.") % {"code": code})

    def render(self, value, obj=None, **kwargs):
        return value.region_id if value else ""


class CountryCountsWidget(widgets.Widget):
    """ "MY:120; TW:45" ⇄ {"MY": 120, "TW": 45}."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return {}
        result: dict[str, int] = {}
        known = dict(countries)
        for part in text.replace(",", ";").split(";"):
            if not part.strip():
                continue
            code, sep, count = part.partition(":")
            code = code.strip().upper()
            if not sep or code not in known:
                raise ValueError(
                    _('Write countries as ISO codes with numbers, e.g. "MY:120; TW:45" (%(part)s).')
                    % {"part": part.strip()}
                )
            try:
                number = int(count.strip())
            except ValueError:
                number = -1
            if number < 0:
                raise ValueError(
                    _("The number of workers for %(code)s must be a whole number, 0 or more.")
                    % {"code": code}
                )
            result[code] = result.get(code, 0) + number
        return result

    def render(self, value, obj=None, **kwargs):
        return "; ".join(f"{code}:{count}" for code, count in sorted((value or {}).items()))


class PeriodWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            return IndicatorPeriod.YEAR
        if text not in IndicatorPeriod.values:
            raise ValueError(
                _("The period must be one of: %(values)s.")
                % {"values": ", ".join(IndicatorPeriod.values)}
            )
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""


class WholeNumberWidget(widgets.IntegerWidget):
    """Whole numbers, allowing spreadsheet forms such as "1.200" or "1,200" or 1200.0.

    `blank` is what an empty cell means: None (required, so an error) or 0 for counts that a
    village may leave empty when it has none."""

    def __init__(self, *args, blank: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.blank = blank

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return self.blank
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
        else:
            text = str(value).strip().replace(" ", "")
            # Indonesian spreadsheets group thousands with dots, English ones with commas.
            grouped = text.count(".") == 1 and len(text.split(".")[1]) == 3
            if "," in text or text.count(".") > 1 or grouped:
                text = text.replace(",", "").replace(".", "")
            try:
                number = Decimal(text)
            except InvalidOperation as error:
                raise ValueError(_("Enter a whole number.")) from error
        if number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        return int(number)


class PercentWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip().rstrip("%").strip().replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation as error:
            raise ValueError(_("Enter a percentage between 0 and 100.")) from error


# Apostrophes typed in spreadsheets: right/left quotation marks, grave and acute accents
# (only the acute accent exists in Latin-1).
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018`\u00b4", "'"))


def _normal_name(name: str) -> str:
    return " ".join(name.translate(_APOSTROPHES).casefold().split())


class VillageIndicatorResource(resources.ModelResource):
    village_code = fields.Field(
        attribute="village", column_name="village_code", widget=VillageCodeWidget()
    )
    # Optional, for people reading the file; when given it must match the code (catches typos).
    village_name = fields.Field(column_name="village_name", readonly=True)
    year = fields.Field(attribute="year", column_name="year", widget=WholeNumberWidget())
    period = fields.Field(attribute="period", column_name="period", widget=PeriodWidget())
    workers_by_country = fields.Field(
        attribute="workers_by_country",
        column_name="workers_by_country",
        widget=CountryCountsWidget(),
    )
    procedural_share = fields.Field(
        attribute="procedural_share", column_name="procedural_share", widget=PercentWidget()
    )

    class Meta:
        model = VillageIndicator
        fields = COLUMNS
        import_id_fields = ("village_code", "year", "period")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, user: AbstractBaseUser | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.fields["village_code"].widget = VillageCodeWidget(user=user)
        self.fields["workers_abroad"].widget = WholeNumberWidget()
        for name in ("returnees", "trained", "returnee_businesses", "remittances_idr"):
            self.fields[name].widget = WholeNumberWidget(blank=0)

    def get_or_init_instance(self, instance_loader, row):
        # The key columns are read before the row's other fields; report their errors per column
        # like every other field instead of as an anonymous row error.
        errors = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                field.clean(row)
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)
        return super().get_or_init_instance(instance_loader, row)

    def dehydrate_village_name(self, indicator: VillageIndicator) -> str:
        return indicator.village.region.name

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        name = str(row.get("village_name") or "").strip()
        if name and instance.village_id and "village" not in errors:
            registered = instance.village.region.name
            if _normal_name(name) != _normal_name(registered):
                errors["village_name"] = [
                    _("%(code)s is the village of %(registered)s, not %(name)s.")
                    % {"code": instance.village.region_id, "registered": registered, "name": name}
                ]
        if errors:
            raise ValidationError(errors)

    def before_import(self, dataset, **kwargs):
        headers = [str(header or "").strip() for header in dataset.headers or []]
        dataset.headers = headers
        unknown = [header for header in headers if header and header not in COLUMNS]
        missing = [column for column in REQUIRED_COLUMNS if column not in headers]
        problems = []
        if unknown:
            problems.append(_("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
        if missing:
            problems.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        if problems:
            raise ValidationError(
                _("The file's header row is wrong (%(problems)s). Expected columns: %(expected)s.")
                % {"problems": "; ".join(problems), "expected": ", ".join(COLUMNS)}
            )

    def before_save_instance(self, instance, row, **kwargs):
        if self.user is not None:
            instance.entered_by = self.user
            # simple-history records who wrote this version.
            instance._history_user = self.user


@dataclass(frozen=True)
class ImportReport:
    result: Result
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def totals(self) -> dict[str, int]:
        return dict(self.result.totals)


def import_error_messages(result: Result) -> list[str]:
    """Readable errors naming the file's line (the header is line 1) and the column."""
    messages: list[str] = []
    for error in result.base_errors:
        messages.append(_("File: %(message)s") % {"message": _error_text(error.error)})
    for row in result.invalid_rows:
        for attribute, field_messages in row.error_dict.items():
            column = ATTRIBUTE_COLUMN.get(attribute, attribute)
            for message in field_messages:
                messages.append(
                    _("Line %(line)s, column %(column)s: %(message)s")
                    % {"line": row.number + 1, "column": column, "message": message}
                )
    for line_number, row_errors in result.row_errors():
        for error in row_errors:
            messages.append(
                _("Line %(line)s: %(message)s")
                % {"line": line_number + 1, "message": _error_text(error.error)}
            )
    return messages


def _error_text(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


def read_dataset(*, data: bytes, file_format: str) -> tablib.Dataset:
    """Parse an uploaded file; unreadable files raise ValidationError."""
    formats = {"csv": TolerantCSV, "xlsx": XLSX}
    if file_format not in formats:
        raise ValidationError(_("Upload a CSV or XLSX file."))
    try:
        return formats[file_format]().create_dataset(data)
    except Exception as error:
        raise ValidationError(
            _("The file could not be read as %(format)s.") % {"format": file_format.upper()}
        ) from error


def indicator_import(
    *, data: bytes, file_format: str, user: AbstractBaseUser, dry_run: bool = False
) -> ImportReport:
    """Import indicators; with any error (or a dry run) nothing is written."""
    dataset = read_dataset(data=data, file_format=file_format)
    resource = VillageIndicatorResource(user=user)
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        errors = import_error_messages(result)
        if errors:
            transaction.set_rollback(True)
    return ImportReport(result=result, errors=errors)
