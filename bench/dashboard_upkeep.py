"""Dashboard upkeep benchmark: one fold of 1,000 changed complaints, the nightly check, the grain.

Usage (PostgreSQL, migrated; never part of `make test`):
    DATABASE_URL=postgres://... .venv/bin/python bench/dashboard_upkeep.py --complaints 1000000
Tops the complaints table up as bench/dashboard.py does (demo complaints as a template, shifted
SQL copies). Builds the dashboard tables once if they are not (the first fold after the
migration: the set-based full rebuild) and folds what is already logged. Then prints:
- rows per complaint of every dashboard table (the summary's grain);
- the summary figures of four views (national default, province, province + country, the
  BP3MI Jawa Timur head's scope with a province: breakdown, durations, response by channel) read
  through the dashboard selectors, before and after the fold (the tables the fold writes must
  not get slower to read);
- `--changes` complaints changed in three kinds (a third submitted through complaint_submit, a
  third verified one UPDATE each, a third escalated in one set-based UPDATE as the sweep does),
  then ONE fold: its ms and queries; then an idle fold;
- the nightly check (fold, rebuild into temporary tables, compare): its ms and the drift.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from common import bench_complaint_submit, report, setup_django

BUDGET_FOLD = "< 1000 ms per 1,000 changes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000, help="complaints in the table")
    parser.add_argument("--changes", type=int, default=1000, help="complaints changed per fold")
    parser.add_argument("--repeat", type=int, default=5, help="runs measured per view")
    parser.add_argument("--skip-check", action="store_true", help="leave the nightly check out")
    args = parser.parse_args()

    setup_django()
    from dashboard import complaints_seed
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.common import timed
    from complaints.choices import Status
    from complaints.models import Complaint
    from oversight.dashboards import selectors
    from oversight.dashboards.breakdown import dashboard_summary_breakdown
    from oversight.dashboards.filters import DashboardFilters
    from oversight.dashboards.models import (
        ComplaintChange,
        ComplaintDuration,
        ComplaintFilterMarginal,
        ComplaintMarginal,
        ComplaintSummaryFact,
        DashboardRefresh,
    )
    from oversight.dashboards.services import dashboard_summary_check, dashboard_summary_fold
    from portal.models import Office

    if connection.vendor != "postgresql":
        raise SystemExit("the incremental upkeep needs PostgreSQL")
    complaints_seed(complaints=args.complaints)
    total = Complaint.objects.count()
    print(f"{total:,} complaints")

    state = DashboardRefresh.objects.filter(pk=1).first()
    if state is None or state.folded_at is None:
        result = dashboard_summary_fold()
        report(
            f"initial build, set-based rebuild ({total:,} complaints), ms", str(result.duration_ms)
        )
    pending = ComplaintChange.objects.count()
    if pending:
        result = dashboard_summary_fold()
        print(f"catch-up fold: {result.complaints:,} complaints in {result.duration_ms} ms")
    # The rebuild rewrote every row: autovacuum (on by default, off on the bench machine) would
    # reclaim the old ones within a minute; without it every view reads them too.
    with connection.cursor() as cursor:
        for model in (
            ComplaintMarginal,
            ComplaintFilterMarginal,
            ComplaintSummaryFact,
            ComplaintDuration,
            ComplaintChange,
        ):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")

    summary_rows = 0
    for model in (
        ComplaintMarginal,
        ComplaintFilterMarginal,
        ComplaintDuration,
        ComplaintSummaryFact,
    ):
        rows = model.objects.count()
        report(f"rows per complaint, {model._meta.db_table}", f"{rows / total:.4f} ({rows:,})")
        if model in (ComplaintMarginal, ComplaintFilterMarginal):
            summary_rows += rows
    # The summary tables proper (the ledger and the durations hold one row per complaint).
    report(
        "rows per complaint, summary tables together (marginals + filter marginals)",
        f"{summary_rows / total:.4f} ({summary_rows:,})",
        "well under 0.1",
    )

    today = timezone.localdate()
    jatim = Office.objects.get(code="bp3mi-jatim")
    national = selectors.DashboardScope(office_ids=None, complaints=Complaint.objects.all())
    head = selectors.DashboardScope(
        office_ids=[jatim.pk, *Office.objects.filter(parent=jatim).values_list("pk", flat=True)],
        complaints=Complaint.objects.all(),
    )
    default = DashboardFilters.default(today)
    views = [
        ("national, default view", national, default),
        ("national, province 35", national, replace(default, province="35")),
        (
            "national, province 35 + country MY",
            national,
            replace(default, province="35", country="MY"),
        ),
        ("BP3MI Jawa Timur scope, province 35", head, replace(default, province="35")),
    ]

    def read_views(when: str) -> None:
        for label, scope, filters in views:

            def figures(scope=scope, filters=filters):
                dashboard_summary_breakdown(scope=scope, filters=filters)
                selectors.dashboard_response_by_channel(scope=scope, filters=filters)
                selectors.dashboard_durations_by_office(scope=scope, filters=filters)

            median_ms, queries = timed(figures, repeat=args.repeat)
            report(f"summary figures {when}, {label}, ms ({queries} queries)", f"{median_ms:.0f}")

    read_views("before the fold")

    # The changes: a third submitted, a third verified (one UPDATE each), a third escalated in
    # one set-based UPDATE, as the sweep writes.
    third = args.changes // 3
    received = list(
        Complaint.objects.filter(status=Status.RECEIVED)
        .order_by("-id")
        .values_list("id", flat=True)[: 2 * third]
    )
    verify_ids, escalate_ids = received[:third], received[third:]
    started = time.perf_counter()
    for n in range(args.changes - 2 * third):
        bench_complaint_submit(
            description=f"Gaji saya tidak dibayar selama tiga bulan (benchmark {n})."
        )
    now = timezone.now()
    for pk in verify_ids:
        Complaint.objects.filter(pk=pk).update(status=Status.VERIFIED, verified_at=now)
    Complaint.objects.filter(pk__in=escalate_ids).update(escalation_level=F("escalation_level") + 1)
    changed = (args.changes - 2 * third) + len(verify_ids) + len(escalate_ids)
    print(f"{changed:,} complaints changed in {time.perf_counter() - started:.0f} s")
    logged = ComplaintChange.objects.count()

    slowest: list[tuple[float, str]] = []

    def timing(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            slowest.append(((time.perf_counter() - started) * 1000, " ".join(sql.split())[:110]))

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timing):
        result = dashboard_summary_fold()
    for ms, sql in sorted(slowest, reverse=True)[:8]:
        print(f"  {ms:7.1f} ms  {sql}")
    report(
        f"fold of {changed:,} changed complaints ({logged:,} log rows, {total:,} complaints), ms",
        str(result.duration_ms),
        BUDGET_FOLD,
    )
    report("fold, queries", str(len(captured.captured_queries)), "constant")
    report("fold, complaints folded in", f"{result.complaints:,}")
    with CaptureQueriesContext(connection) as captured:
        idle = dashboard_summary_fold()
    report("idle fold (nothing changed), ms", str(idle.duration_ms))
    report("idle fold, queries", str(len(captured.captured_queries)))

    read_views("after the fold")

    if not args.skip_check:
        checked = dashboard_summary_check()
        report(f"nightly check ({total:,} complaints), ms", str(checked.duration_ms))
        tables = ", ".join(f"{t} {n}" for t, n in checked.drift_by_table.items())
        report(
            "nightly check, drift rows",
            f"{checked.drift_rows}{f' ({tables})' if tables else ''}",
            "0",
        )


if __name__ == "__main__":
    main()
