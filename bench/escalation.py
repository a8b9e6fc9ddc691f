"""Escalation sweep benchmark: seconds and queries of a full sweep, and ms when nothing is overdue.

Usage (PostgreSQL; never part of `make test`; it writes to the DATABASE_URL database):
    DATABASE_URL=postgres://... .venv/bin/python bench/escalation.py --complaints 1000000
Builds --complaints rows with one INSERT ... SELECT generate_series (reference prefix BENCH-),
of which --overdue (default a tenth) lapsed an hour ago at posts and BP3MI offices, the rest due
next week. Then times one full sweep (complaint_escalate_overdue, default batch size) and the idle
sweep that follows (ESCALATION_WORKERS threads, or --workers). Its own rows, events and digests
are deleted first and at the end; --keep leaves them, and --reuse runs again on kept rows (their
deadlines, offices and levels put back, events and digests deleted, then VACUUM ANALYZE).
Budget: under 10 s for 100,000 overdue among 1,000,000; under 100 ms idle.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import threading
import time

from common import report, setup_django

PREFIX = "BENCH-"


def _defaults_sql(model, explicit: dict[str, str]) -> tuple[list[str], list[str]]:
    """Column names and SQL expressions: explicit ones, else the field's own plain default (a
    bench row looks like a real one: `channel` is "web", which partial indexes leave out), else
    a neutral value per NOT NULL type."""
    from django.db import models

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        default = field.default if field.has_default() else None
        if field.column in explicit:
            columns.append(field.column)
            values.append(explicit[field.column])
        elif isinstance(default, str) and not callable(default):
            columns.append(field.column)
            values.append("'" + default.replace("'", "''") + "'")
        elif not field.null:
            if isinstance(field, models.BooleanField):
                value = "false"
            elif isinstance(field, models.JSONField):
                value = "'{}'::jsonb"
            elif isinstance(field, (models.IntegerField, models.FloatField)):
                value = "0"
            elif isinstance(field, models.DateTimeField):
                value = "now()"
            else:
                value = "''"
            columns.append(field.column)
            values.append(value)
    return columns, values


def clean(cursor, digests_after: int) -> None:
    cursor.execute(
        "DELETE FROM complaints_complaintevent e USING complaints_complaint c "
        "WHERE e.complaint_id = c.id AND c.reference LIKE %s",
        [PREFIX + "%"],
    )
    cursor.execute(
        "DELETE FROM complaints_notification WHERE id > %s AND dedupe_key LIKE 'escalation:%%'",
        [digests_after],
    )
    cursor.execute("DELETE FROM complaints_complaint WHERE reference LIKE %s", [PREFIX + "%"])


def insert(cursor, *, complaints: int, overdue: int, explicit_for) -> None:
    from complaints.models import Complaint

    columns, values = _defaults_sql(Complaint, explicit_for(overdue))
    started = time.perf_counter()
    cursor.execute(
        f"INSERT INTO complaints_complaint ({', '.join(columns)}) "  # noqa: S608 (our own SQL)
        f"SELECT {', '.join(values)} FROM generate_series(1, %s) AS n",
        [complaints],
    )
    cursor.execute("ANALYZE complaints_complaint")
    print(f"inserted {complaints:,} complaints in {time.perf_counter() - started:.1f} s")


def reset(cursor, *, overdue: int, climbing: list[int], digests_after: int) -> None:
    """Put the kept rows back as they were inserted: the first `overdue` lapsed an hour ago."""
    started = time.perf_counter()
    cursor.execute(
        "DELETE FROM complaints_complaintevent e USING complaints_complaint c "
        "WHERE e.complaint_id = c.id AND c.reference LIKE %s AND e.kind = 'escalation'",
        [PREFIX + "%"],
    )
    cursor.execute(
        "DELETE FROM complaints_notification WHERE id > %s AND dedupe_key LIKE 'escalation:%%'",
        [digests_after],
    )
    number = f"substr(reference, {len(PREFIX) + 1})::int"
    cursor.execute(
        "UPDATE complaints_complaint SET escalation_level = 0, last_escalated_at = NULL, "  # noqa: S608
        "verify_breached_at = NULL, first_response_breached_at = NULL, "
        "resolve_breached_at = NULL, "
        f"overdue_notified_on = NULL, office_id = (ARRAY{climbing})[1 + mod({number}, "
        f"{len(climbing)})], due_at = now() - interval '1 hour' - {number} * interval '1 ms' "
        f"WHERE reference LIKE %s AND {number} <= %s",
        [PREFIX + "%", overdue],
    )
    for table in ("complaints_complaint", "complaints_complaintevent"):
        cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"reset {overdue:,} kept complaints in {time.perf_counter() - started:.1f} s")


@contextlib.contextmanager
def count_queries_in_all_threads():
    """Statements executed on every connection, the sweep's worker threads included (Django's
    CaptureQueriesContext sees only the calling thread's connection)."""
    from django.db.backends.utils import CursorWrapper

    counted = [0]
    lock = threading.Lock()
    original = CursorWrapper._execute_with_wrappers

    def counting(self, *args, **kwargs):
        with lock:
            counted[0] += 1
        return original(self, *args, **kwargs)

    CursorWrapper._execute_with_wrappers = counting
    try:
        yield counted
    finally:
        CursorWrapper._execute_with_wrappers = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--overdue", type=int, default=None, help="default: a tenth")
    parser.add_argument("--keep", action="store_true", help="keep the rows afterwards")
    parser.add_argument("--batch-size", type=int, default=None, help="default: the service's")
    parser.add_argument("--workers", type=int, default=None, help="default: ESCALATION_WORKERS")
    parser.add_argument("--reuse", action="store_true", help="reset and reuse kept rows")
    args, _unknown = parser.parse_known_args()
    overdue = args.overdue if args.overdue is not None else args.complaints // 10

    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from complaints.models import Category, Complaint, Notification
    from complaints.selectors import complaint_overdue_count
    from complaints.services.escalation import (
        ESCALATION_BATCH_SIZE,
        complaint_escalate_overdue,
    )
    from complaints.services.sla import holiday_seed_from_lokal
    from portal.models import Office, Region
    from portal.services import office_seed_defaults, region_load_all

    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark needs PostgreSQL (DATABASE_URL)")
    if not Office.objects.exists():
        region_load_all()
        office_seed_defaults()
    holiday_seed_from_lokal()
    category = Category.objects.order_by("id").first() or Category.objects.create(
        slug="bench", name_id="Bench", name_en="Bench"
    )
    region = Region.objects.filter(level=2).order_by("code").values_list("code", flat=True)[0]
    climbing = list(
        Office.objects.filter(parent__isnull=False).order_by("id").values_list("id", flat=True)
    )
    top = list(Office.objects.filter(parent__isnull=True).values_list("id", flat=True))
    digests_before = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def explicit_for(overdue: int) -> dict[str, str]:
        return {
            "reference": f"'{PREFIX}' || n",
            "access_key_hash": "'!'",
            "kind": f"'{category.kind}'",
            "category_id": str(category.pk),
            "status": "(ARRAY['received','verified','in_progress'])[1 + mod(n, 3)]",
            "priority": "'normal'",
            "description": "'Gaji tidak dibayar.'",
            "destination_country": "'MY'",
            "origin_region_id": f"'{region}'",
            "language": "'id'",
            "consent_at": "now()",
            "sla_stage": "'verification'",
            # Overdue rows sit at posts and BP3MI offices (they climb); the rest anywhere.
            "office_id": (
                f"CASE WHEN n <= {overdue} THEN (ARRAY{climbing})[1 + mod(n, {len(climbing)})] "
                f"ELSE (ARRAY{climbing + top})[1 + mod(n, {len(climbing) + len(top)})] END"
            ),
            "due_at": (
                f"CASE WHEN n <= {overdue} THEN now() - interval '1 hour' - n * interval '1 ms' "
                "ELSE now() + interval '7 days' + n * interval '1 ms' END"
            ),
            "escalation_level": "0",
            # The service standard: the lapsed rows also missed their verification target (the
            # sweep records it in the same UPDATE that moves them); the rest are on time.
            "standard_verify_due_at": (
                f"CASE WHEN n <= {overdue} THEN now() - interval '1 hour' - n * interval '1 ms' "
                "ELSE now() + interval '7 days' + n * interval '1 ms' END"
            ),
            "standard_first_response_due_at": "now() + interval '8 days'",
            "standard_resolve_due_at": "now() + interval '20 days'",
            "created_at": "now() - interval '10 days'",
            "updated_at": "now() - interval '10 days'",
        }

    now = timezone.now()
    with connection.cursor() as cursor:
        if args.reuse and Complaint.objects.filter(reference__startswith=PREFIX).exists():
            reset(cursor, overdue=overdue, climbing=climbing, digests_after=digests_before)
        else:
            clean(cursor, digests_before)
            insert(cursor, complaints=args.complaints, overdue=overdue, explicit_for=explicit_for)
    total = Complaint.objects.count()
    batch_size = args.batch_size or ESCALATION_BATCH_SIZE
    # Counted, not assumed: rows other benchmarks left in the database may be overdue too.
    overdue = complaint_overdue_count(now=now)
    print(f"{total:,} complaints in the table, {overdue:,} overdue; batch {batch_size}")

    workers = args.workers or settings.ESCALATION_WORKERS
    with count_queries_in_all_threads() as queries:
        started = time.perf_counter()
        result = complaint_escalate_overdue(now=now, batch_size=batch_size, workers=workers)
        seconds = time.perf_counter() - started
    print(f"sweep: {result.as_dict()}, {workers} workers")
    report(
        f"sweep: {overdue:,} overdue of {total:,}, {workers} workers, seconds",
        f"{seconds:.2f}",
        "< 10 s",
    )
    report("sweep: queries (all workers)", str(queries[0]), "grows with batches")
    report(
        "sweep: service-standard breaches recorded",
        f"{result.as_dict()['breached']:,}",
        "= lapsed targets",
    )

    samples = []
    for _ in range(7):
        with CaptureQueriesContext(connection) as idle:
            started = time.perf_counter()
            complaint_escalate_overdue(now=now)
            samples.append((time.perf_counter() - started) * 1000)
    report("idle sweep (nothing overdue), ms", f"{statistics.median(samples):.1f}", "< 100 ms")
    report("idle sweep, queries", str(len(idle.captured_queries)), "1")

    if not args.keep:
        with connection.cursor() as cursor:
            clean(cursor, digests_before)


if __name__ == "__main__":
    main()
