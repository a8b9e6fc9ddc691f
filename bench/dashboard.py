"""Dashboard benchmark: median ms and queries of the ministry dashboard and the public statistics.

Usage (PostgreSQL; never part of `make test`):
    DATABASE_URL=postgres://... .venv/bin/python bench/dashboard.py --complaints 1000000
Tops the complaints table up to --complaints: first up to 20,000 of `seed_demo`'s demo complaints
(complaints.demo) as a template, then copies of them in SQL (INSERT ... SELECT ... CROSS JOIN
generate_series, a minute for a million rows), each copy moved back by a random 0-365 days so the
table spans two years with the demo data's mix of offices, categories and countries. Then it
rebuilds the summary once (what the Celery task `portal.refresh_dashboard_summary` does every 5
minutes; its duration is reported; `--keep` reuses the summary of an earlier run), then requests
in-process, through the whole middleware stack: the ministry dashboard (default view: the last
twelve months; and a filtered view), a BP3MI head's dashboard, the public statistics page and
GET /api/v1/stats/ with the cache cleared before every request (cold) and once warm. A dashboard
view is measured at its first request (the cache cleared: its first screen computed and kept)
and then as the median of --repeat requests (reading what the first kept).
Budget: the ministry dashboard under 500 ms with a constant number of queries.
"""

from __future__ import annotations

import argparse
import io
import time
import uuid

from common import report, setup_django

BUDGET = "< 500 ms"
TEMPLATE_SIZE = 20_000


def _copy_complaints(connection, model, target: int) -> None:
    """Top the table up to `target` rows with shifted copies of the existing ones (PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), max(id) FROM {table}")  # noqa: S608
        count, max_id = cursor.fetchone()
        missing = target - count
        if missing <= 0 or not count:
            return
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
        columns = [(name, kind) for name, kind in cursor.fetchall() if name != "id"]
        expressions = []
        for name, kind in columns:
            if name == "reference":
                expressions.append(f"'B' || ({int(max_id)} + s.rn)")
            elif name == "submission_token":
                expressions.append("NULL")
            elif kind.startswith("timestamp"):
                expressions.append(f"s.{name} - s.shift")
            else:
                expressions.append(f"s.{name}")
        copies = missing // count + 1
        names = ", ".join(name for name, _kind in columns)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {', '.join(expressions)} FROM ("  # noqa: S608
            f"SELECT c.*, row_number() OVER () AS rn, random() * interval '365 days' AS shift "
            f"FROM {table} c CROSS JOIN generate_series(1, {int(copies)}) g "
            f"WHERE c.id <= {int(max_id)} LIMIT {int(missing)}) s"
        )


def complaints_seed(*, complaints: int) -> bool:
    """Offices, users and reference data of the demo, then the complaints table topped up to
    `complaints` (demo rows as a template, copied in SQL); returns whether it seeded any."""
    from django.db import connection

    from complaints import demo
    from complaints.models import Complaint
    from portal import demo as portal_demo

    portal_demo.seed(
        portal_demo.DemoContext(
            password=uuid.uuid4().hex, password_generated=True, complaints=0, stdout=io.StringIO()
        )
    )
    if Complaint.objects.count() >= complaints:
        return False
    started = time.perf_counter()
    demo.seed(
        portal_demo.DemoContext(
            password="",
            password_generated=False,
            complaints=min(complaints, TEMPLATE_SIZE),
            stdout=io.StringIO(),
        )
    )
    _copy_complaints(connection, Complaint, complaints)
    print(f"seeded to {complaints:,} in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
        cursor.execute("ANALYZE")
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000, help="complaints in the table")
    parser.add_argument("--repeat", type=int, default=7, help="requests measured per page")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the summary an earlier run rebuilt (skips the rebuild of about a minute; "
        "the complaints are always reused: the table is only topped up)",
    )
    args = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.common import timed
    from complaints.models import Category, Complaint
    from oversight.dashboards.services import dashboard_summary_refresh

    settings.OTP_REQUIRED = False
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figures mean little")
    seeded = complaints_seed(complaints=args.complaints)
    total = Complaint.objects.count()
    print(f"{total:,} complaints")

    from oversight.dashboards.models import DashboardRefresh

    previous = DashboardRefresh.objects.filter(pk=1).first()
    if args.keep and previous and previous.summary_rows and not seeded:
        print(f"summary kept from {previous.refreshed_at:%Y-%m-%d %H:%M} (--keep)")
    else:
        result = dashboard_summary_refresh()
        report(
            f"summary refresh ({total:,} complaints), ms",
            str(result.duration_ms),
            "< 300000 (5 min)",
        )
        report("summary rows", f"{result.summary_rows:,}")
        # The rebuild deletes and rewrites every row: autovacuum (on by default, off on the bench
        # machine) reclaims the old ones within a minute. Without it a second rebuild leaves the
        # dashboards reading twice the pages, which no deployment sees for long.
        with connection.cursor() as cursor:
            for table in (
                "oversight_complaintsummaryfact",
                "oversight_complaintmarginal",
                "oversight_complaintfiltermarginal",
                "portal_complaintduration",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")

    users = get_user_model().objects
    # The category with most complaints: the heaviest category filter.
    category = Category.objects.annotate(count=Count("complaints")).order_by("-count", "pk").first()
    jatim = __import__("portal.models", fromlist=["Office"]).Office.objects.get(code="bp3mi-jatim")
    pages = [
        ("ministry dashboard, default view", "menteri", "/dashboard/", False),
        (
            "ministry dashboard, filtered (province, country)",
            "menteri",
            "/dashboard/?province=35&country=MY",
            False,
        ),
        ("ministry dashboard, filtered (province)", "menteri", "/dashboard/?province=35", False),
        ("ministry dashboard, filtered (country)", "menteri", "/dashboard/?country=MY", False),
        (
            "ministry dashboard, filtered (category)",
            "menteri",
            f"/dashboard/?category={category.pk}",
            False,
        ),
        # The demo's complaints all came through the web form: the heaviest channel filter.
        ("ministry dashboard, filtered (channel)", "menteri", "/dashboard/?channel=web", False),
        ("head dashboard (BP3MI Jawa Timur)", "kepala-jatim", "/dashboard/", False),
        (
            "ministry dashboard, office filter",
            "menteri",
            f"/dashboard/?office={jatim.pk}",
            False,
        ),
        ("public statistics page, cold cache", None, "/statistik/", True),
        ("GET /api/v1/stats/, cold cache", None, "/api/v1/stats/", True),
        ("GET /api/v1/stats/, warm cache", None, "/api/v1/stats/", False),
    ]
    for label, username, url, cold in pages:
        client = Client()
        if username:
            client.force_login(users.get(username=username))

        def fetch(client=client, url=url, cold=cold):
            if cold:
                cache.clear()
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")

        budget = BUDGET if "ministry" in label else ""
        if "dashboard" in label:
            # A view's first request computes its first screen (and keeps it until a complaint
            # changes: oversight.standard.snapshot); the repeats read what it kept.
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                fetch()
                first_ms = (time.perf_counter() - started) * 1000
            first_queries = len(captured.captured_queries)
            report(f"{label}, first request ({total:,} complaints), ms", f"{first_ms:.0f}")
            report(f"{label}, first request, queries", str(first_queries))
        median_ms, queries = timed(fetch, repeat=args.repeat)
        report(f"{label} ({total:,} complaints), ms", f"{median_ms:.0f}", budget)
        report(f"{label}, queries", str(queries), "constant" if "dashboard" in label else "")


if __name__ == "__main__":
    main()
