"""A cheaper flush after each transactional test (browser, worker and concurrency tests).

Django empties the database after such a test with one TRUNCATE of every table (about 90) and
then sends post_migrate, which recreates content types, permissions and role groups; the next
test then loads the regions and offices again. On PostgreSQL a TRUNCATE costs per table, whether
the table holds rows or not. So, with the same result (every table a test wrote to is empty, and
the reference data is as it was when the session started):
- only the tables holding rows are truncated (CASCADE: a table left out that references one
  truncated holds no rows, so it loses nothing);
- the reference tables (regions, offices and their link; content types, permissions, groups)
  are kept when their content is exactly what it was after the session's first load, compared
  by a digest of every row. If any of a group changed, the whole group is truncated: the regions
  fixture loads the first group again; the second is copied back as post_migrate left it at the
  start (post_migrate's only receivers write these four tables), so it is kept next time.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

# Each group is kept or truncated as a whole: each reloads its tables together, and their
# foreign keys point only inside the group (so no CASCADE from a truncated table reaches them).
REGION_TABLES = ("portal_region", "portal_office", "portal_office_regions")
AUTH_TABLES = ("django_content_type", "auth_permission", "auth_group", "auth_group_permissions")
KEPT_GROUPS = (REGION_TABLES, AUTH_TABLES)

# The digest of each kept table as the session's first load left it; empty until taken.
_baseline: dict[str, tuple[int, str]] = {}
# The permission tables' rows (COPY text) as post_migrate left them at the start.
_auth_rows: dict[str, str] = {}
# Whether the last flush truncated the permission tables (then they are copied back).
_auth_truncated = {"value": False}


def _digest(cursor: Any, table: str) -> tuple[int, str]:
    rows = "string_agg(t::text, '|' ORDER BY t::text)"
    sql = f"SELECT count(*), coalesce(md5({rows}), '') FROM \"{table}\" t"  # noqa: S608 (our names)
    cursor.execute(sql)
    count, digest = cursor.fetchone()
    return count, digest


def baseline_take(connection: Any) -> None:
    """Remember the reference tables' content (after the first load and post_migrate)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for group in KEPT_GROUPS:
            for table in group:
                _baseline[table] = _digest(cursor, table)
        for table in AUTH_TABLES:
            buffer = io.StringIO()
            cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
            _auth_rows[table] = buffer.getvalue()


def _tables_with_rows(cursor: Any, tables: list[str]) -> set[str]:
    probes = " UNION ALL ".join(
        f'SELECT %s WHERE EXISTS (SELECT 1 FROM "{table}")'  # noqa: S608 (names from Django)
        for table in tables
    )
    cursor.execute(probes, tables)
    return {row[0] for row in cursor.fetchall()}


def _sql_flush_filled_only(
    original: Callable[..., list[str]],
) -> Callable[..., list[str]]:
    def sql_flush(style: Any, connection: Any, reset_sequences: bool = True, allow_cascade=False):
        _auth_truncated["value"] = False
        if connection.vendor != "postgresql" or reset_sequences or not _baseline:
            return original(
                style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        with connection.cursor() as cursor:
            filled = _tables_with_rows(cursor, tables)
            for group in KEPT_GROUPS:
                if all(_digest(cursor, table) == _baseline[table] for table in group):
                    filled -= set(group)
                elif group is AUTH_TABLES:
                    filled |= set(group)
                    _auth_truncated["value"] = True
        # The next test's cache must not answer from rows that are gone (rate-limit counters,
        # village-search answers): the reload used to clear it, and may not run now.
        from django.core.cache import cache

        cache.clear()
        if not filled:
            return []
        return connection.ops.sql_flush(
            style, sorted(filled), reset_sequences=False, allow_cascade=True
        )

    return sql_flush


def _post_migrate_as_at_start(original: Callable[..., None]) -> Callable[..., None]:
    def emit_post_migrate_signal(*args: Any, **kwargs: Any) -> None:
        from django.db import connection

        if connection.vendor != "postgresql" or not _auth_rows:
            original(*args, **kwargs)
            return
        if not _auth_truncated["value"]:
            # Content types, permissions and role groups are as post_migrate left them.
            return
        with connection.cursor() as cursor:
            for table in AUTH_TABLES:  # referenced tables first
                cursor.copy_expert(f'COPY "{table}" FROM STDIN', io.StringIO(_auth_rows[table]))

    return emit_post_migrate_signal


@contextmanager
def cheaper_flush() -> Iterator[None]:
    """Install the cheaper flush into Django's flush command for the duration."""
    from django.core.management.commands import flush

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", _sql_flush_filled_only(flush.sql_flush))
        patch.setattr(
            flush,
            "emit_post_migrate_signal",
            _post_migrate_as_at_start(flush.emit_post_migrate_signal),
        )
        yield
