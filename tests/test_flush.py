"""The flush after a transactional test (tests/flush.py) leaves what Django's full flush leaves:
every table a test wrote to empty, the reference data exactly as the session loaded it."""

import pytest
from django.core.management import call_command
from django.db import connection

from portal.models import Office
from tests.complaints.factories import CategoryFactory
from tests.conftest import _ensure_reference_data

REFERENCE_TABLES = {
    "portal_region",
    "portal_office",
    "portal_office_regions",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
}


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (our names)
        return cursor.fetchall()


def _row_counts() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from Django)
            counts[table] = cursor.fetchone()[0]
    return counts


def _flush() -> None:
    # What TransactionTestCase runs after each test.
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        reset_sequences=False,
        allow_cascade=False,
        inhibit_post_migrate=False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_what_the_test_wrote_and_keeps_untouched_reference_data(
    postgres, offices, make_staff
):
    reference_before = {table: _rows(table) for table in REFERENCE_TABLES}
    make_staff("bp3mi-jatim", "officer")
    CategoryFactory(slug="flush-check")

    _flush()

    counts = _row_counts()
    assert {table for table, rows in counts.items() if rows and table not in REFERENCE_TABLES} == (
        set()
    )
    assert {table: _rows(table) for table in REFERENCE_TABLES} == reference_before
    # and the next test starts from the same reference data (regions, offices, permissions)
    _ensure_reference_data()
    assert {table: _rows(table) for table in REFERENCE_TABLES} == reference_before


@pytest.mark.django_db(transaction=True)
def test_changed_reference_data_is_emptied_and_reloads_as_the_session_loaded_it(postgres, offices):
    reference_before = {table: _rows(table) for table in REFERENCE_TABLES}
    Office.objects.filter(code="bp3mi-jatim").update(name="Renamed by a test")
    connection.cursor().execute("DELETE FROM auth_group_permissions")

    _flush()

    counts = _row_counts()
    assert counts["portal_office"] == counts["portal_region"] == 0
    # The permission tables are back as post_migrate left them at the start, with the same ids.
    for table in ("django_content_type", "auth_permission", "auth_group", "auth_group_permissions"):
        assert _rows(table) == reference_before[table]
    _ensure_reference_data()
    for table in ("portal_region", "portal_office", "portal_office_regions"):
        assert _rows(table) == reference_before[table]
    assert Office.objects.get(code="bp3mi-jatim").name != "Renamed by a test"
