"""Bulk import of indicators: good files, bad rows, wrong headers, encodings, scope."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from desa_migran.importing import indicator_import
from desa_migran.models import Village, VillageIndicator
from portal.services import role_groups_sync
from tests.desa_migran.factories import VillageFactory, VillageIndicatorFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "village_code,village_name,year,period,workers_abroad,workers_by_country,procedural_share,"
    "returnees,trained,returnee_businesses,remittances_idr"
)


@pytest.fixture(autouse=True)
def english():
    # Messages are checked in English; Indonesian is the default language.
    with translation.override("en"):
        yield


@pytest.fixture
def officer(make_staff):
    return make_staff("bp3mi-jatim", "officer")


@pytest.fixture
def two_villages(offices):
    return VillageFactory(within="35.04", population=5000), VillageFactory(
        within="35.07", population=4000
    )


def _csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode("utf-8")


def _line(village: Village, **overrides) -> str:
    values = {
        "village_code": village.region_id,
        "village_name": village.region.name,
        "year": "2025",
        "period": "year",
        "workers_abroad": "150",
        "workers_by_country": "MY:80; TW:50",
        "procedural_share": "62,5",
        "returnees": "30",
        "trained": "20",
        "returnee_businesses": "4",
        "remittances_idr": "1.350.000.000",
        **overrides,
    }
    return ",".join(f'"{value}"' for value in values.values())


def test_good_csv_writes_every_row(officer, two_villages):
    # given
    first, second = two_villages
    data = _csv(_line(first), _line(second, period="h1", workers_by_country=""))
    # when
    report = indicator_import(data=data, file_format="csv", user=officer)
    # then
    assert report.errors == []
    assert VillageIndicator.objects.count() == 2
    indicator = VillageIndicator.objects.get(village=first)
    assert indicator.workers_by_country == {"MY": 80, "TW": 50}
    assert str(indicator.procedural_share) == "62.5"
    assert indicator.remittances_idr == 1_350_000_000
    assert indicator.entered_by == officer
    assert indicator.history.get().history_user == officer


def test_dry_run_previews_without_writing(officer, two_villages):
    report = indicator_import(
        data=_csv(_line(two_villages[0])), file_format="csv", user=officer, dry_run=True
    )
    assert report.ok
    assert report.totals["new"] == 1
    assert not VillageIndicator.objects.exists()


def test_reimport_updates_and_keeps_the_previous_version(officer, two_villages):
    # given
    village = two_villages[0]
    indicator_import(data=_csv(_line(village)), file_format="csv", user=officer)
    # when
    report = indicator_import(
        data=_csv(_line(village, returnees="45")), file_format="csv", user=officer
    )
    # then
    assert report.ok
    indicator = VillageIndicator.objects.get()
    assert indicator.returnees == 45
    assert indicator.history.count() == 2


@pytest.mark.parametrize(
    ("override", "column", "message"),
    [
        ({"returnees": "6000"}, "returnees", "population"),
        ({"returnees": "-3"}, "returnees", "greater than or equal to 0"),
        ({"procedural_share": "120"}, "procedural_share", "100"),
        ({"workers_abroad": "banyak"}, "workers_abroad", "whole number"),
        ({"workers_abroad": ""}, "workers_abroad", "null"),
        ({"workers_by_country": "Malaysia 80"}, "workers_by_country", "ISO"),
        ({"workers_by_country": "MY:500"}, "workers_by_country", "more than"),
        ({"village_code": "35.04"}, "village_code", "not a village code"),
        ({"village_code": "35.04.01.9999"}, "village_code", "not a Kemendagri"),
        ({"village_name": "Desa Lain"}, "village_name", "not Desa Lain"),
        ({"period": "q3"}, "period", "period must be"),
        ({"year": "1999"}, "year", "2000"),
    ],
)
def test_one_bad_row_among_good_ones_writes_nothing_and_names_line_and_column(
    officer, two_villages, override, column, message
):
    # given: line 2 and 4 are good, line 3 is bad
    first, second = two_villages
    data = _csv(_line(first), _line(second, **override), _line(first, year="2024"))
    # when
    report = indicator_import(data=data, file_format="csv", user=officer)
    # then
    assert not VillageIndicator.objects.exists()
    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith(f"Line 3, column {column}:"), report.errors
    assert message in report.errors[0]


def test_a_village_outside_the_importers_scope_is_a_row_error(officer, two_villages):
    jabar = VillageFactory(within="32.12")
    report = indicator_import(
        data=_csv(_line(two_villages[0]), _line(jabar)), file_format="csv", user=officer
    )
    assert not VillageIndicator.objects.exists()
    assert report.errors == [
        "Line 3, column village_code: This village is outside your office's provinces."
    ]


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (HEADER.replace("returnees", "pulang"), "unknown columns: pulang"),
        (HEADER.replace("workers_abroad,", ""), "missing columns: workers_abroad"),
    ],
)
def test_wrong_header_writes_nothing_and_names_the_column(officer, two_villages, header, problem):
    # given
    line = _line(two_villages[0])
    if "workers_abroad" not in header:
        line = line.replace('"150",', "", 1)
    # when
    report = indicator_import(data=f"{header}\n{line}".encode(), file_format="csv", user=officer)
    # then
    assert not VillageIndicator.objects.exists()
    assert any(problem in error for error in report.errors), report.errors


@pytest.mark.parametrize(
    ("encoding", "written_name"),
    [
        ("latin-1", "Regapu\u00b4u"),  # ISO-8859-1: the acute accent typed as an apostrophe
        ("cp1252", "Regapu\u2019u"),  # Excel's "CSV" on Windows
        ("utf-8-sig", "Regapu\u2019u"),  # UTF-8 with a byte-order mark
    ],
)
def test_files_in_latin1_windows_or_utf8_are_read(offices, make_staff, encoding, written_name):
    # given: a Sikka (NTT) village whose name has a curly apostrophe
    village = VillageFactory(within="53.07", region_id="53.07.01.2021")
    assert village.region.name == "Regapu\u2019u"
    user = make_staff("bp3mi-ntt", "officer")
    text = HEADER + "\n" + _line(village, village_name=written_name)
    # when
    report = indicator_import(data=text.encode(encoding), file_format="csv", user=user)
    # then
    assert report.errors == []
    assert VillageIndicator.objects.get().village == village


def test_xlsx_file_is_imported(officer, two_villages):
    # given
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [two_villages[0].region_id, "", 2025, "year", 150, "MY:100", 70, 30, 20, 4, 1_000_000]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when
    report = indicator_import(data=buffer.getvalue(), file_format="xlsx", user=officer)
    # then
    assert report.errors == []
    assert VillageIndicator.objects.get().workers_by_country == {"MY": 100}


def test_unreadable_file_is_a_clear_error(officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="could not be read"):
        indicator_import(data=b"not a zip", file_format="xlsx", user=officer)


def test_admin_import_previews_then_confirms(client, make_staff, two_villages):
    # given
    role_groups_sync()
    client.force_login(make_staff("bp3mi-jatim", "officer"))
    url = reverse("admin:desa_migran_villageindicator_import")
    upload = io.BytesIO(_csv(_line(two_villages[0])))
    upload.name = "indikator.csv"
    # when: the preview
    preview = client.post(url, {"format": "0", "import_file": upload, "resource": "0"})
    # then
    assert preview.status_code == 200
    assert not VillageIndicator.objects.exists()
    confirm = preview.context["confirm_form"]
    # when: confirmed
    done = client.post(
        reverse("admin:desa_migran_villageindicator_process_import"), confirm.initial
    )
    # then
    assert done.status_code == 302
    assert VillageIndicator.objects.count() == 1


def test_admin_import_with_a_bad_row_shows_errors_and_no_confirm(client, make_staff, two_villages):
    role_groups_sync()
    client.force_login(make_staff("bp3mi-jatim", "officer"))
    upload = io.BytesIO(_csv(_line(two_villages[0]), _line(two_villages[1], returnees="9999")))
    upload.name = "indikator.csv"
    response = client.post(
        reverse("admin:desa_migran_villageindicator_import"),
        {"format": "0", "import_file": upload, "resource": "0"},
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "Melebihi jumlah penduduk desa" in response.text  # Indonesian, the default
    assert not VillageIndicator.objects.exists()


def test_admin_export_contains_only_scope(client, make_staff, two_villages):
    role_groups_sync()
    VillageIndicatorFactory(village=two_villages[0])
    VillageIndicatorFactory(village=VillageFactory(within="32.12"))
    client.force_login(make_staff("bp3mi-jatim", "officer"))
    response = client.post(
        reverse("admin:desa_migran_villageindicator_export"),
        {
            "format": "0",
            "resource": "0",
            **{
                f"villageindicatorresource_{c}": "on"
                for c in ("village_code", "year", "workers_abroad")
            },
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert two_villages[0].region_id in body
    assert "32.12." not in body
