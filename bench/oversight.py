"""Oversight first-screen benchmark: median ms and queries of the ministry's first screen.

Usage (PostgreSQL; never part of `make test`):
    DATABASE_URL=postgres://... .venv/bin/python bench/oversight.py --complaints 100000
Tops the complaints table up like bench/dashboard.py (demo complaints as a template, shifted SQL
copies), then measures in-process, for the ministry analyst `menteri` and for the head of BP3MI
Jawa Timur `kepala-jatim`: the first screen's tables alone (offices, ministry queue, backlog by
age, missed targets per week, oldest open: oversight.dashboards.first_screen), GET
/api/v1/oversight/offices/, and the whole dashboard page (first screen plus the longer analysis).
Budget: the first screen under 300 ms at 1,000,000 complaints, with a constant query count.
"""

from __future__ import annotations

import argparse
import time

from common import report, setup_django

BUDGET = "< 300 ms at 1,000,000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000, help="complaints in the table")
    parser.add_argument("--repeat", type=int, default=7, help="runs measured per figure")
    args = parser.parse_args()

    setup_django()
    from dashboard import complaints_seed
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from complaints.models import Complaint

    settings.OTP_REQUIRED = False
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figures mean little")
    complaints_seed(complaints=args.complaints)
    total = Complaint.objects.count()
    print(f"{total:,} complaints")

    from django.core.cache import cache

    from oversight.standard.snapshot import first_screen_snapshots_refresh

    users = get_user_model().objects
    # Live (no snapshot), then with the snapshots of the default views taken by the beat task.
    cache.clear()
    for mode in ("live", "snapshot"):
        if mode == "snapshot":
            started = time.perf_counter()
            taken = first_screen_snapshots_refresh()
            report(
                f"first-screen snapshots taken ({total:,})",
                f"{taken} scopes in {(time.perf_counter() - started) * 1000:.0f} ms",
                "every 300 s (beat)",
            )
        _measure(args, users, total, mode)


def _measure(args, users, total, mode) -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from bench.common import timed
    from oversight.dashboards import first_screen, selectors, tables
    from oversight.dashboards.filters import DashboardFilters

    for username, label in (("menteri", "ministry"), ("kepala-jatim", "head of BP3MI Jawa Timur")):
        label = f"{label}, {mode}"
        user = users.get(username=username)
        scope = selectors.dashboard_scope(user=user)
        filters = DashboardFilters.default(timezone.localdate())

        def first(scope=scope, filters=filters):
            ctx = tables.Context(scope=scope, filters=filters, labels=tables.Labels.load())
            return tables.build_tables(ctx, first_screen.FIRST_SCREEN)

        ms, queries = timed(first, repeat=args.repeat)
        report(f"first screen, {label} ({total:,})", f"{ms:.0f} ms, {queries} queries", BUDGET)
        client = Client()
        client.force_login(user)

        def api(client=client):
            if client.get("/api/v1/oversight/offices/").status_code != 200:
                raise SystemExit("the offices API did not answer 200")

        ms, queries = timed(api, repeat=args.repeat)
        report(
            f"GET /api/v1/oversight/offices/, {label} ({total:,})",
            f"{ms:.0f} ms, {queries} queries",
        )

        def page(client=client):
            if client.get(reverse("oversight:dashboard")).status_code != 200:
                raise SystemExit("the dashboard did not answer 200")

        ms, queries = timed(page, repeat=max(3, args.repeat // 2))
        report(f"dashboard page, {label} ({total:,})", f"{ms:.0f} ms, {queries} queries")
        board = first(scope)[0]
        print(
            f"  offices rows: {len(board.rows)}; first: {board.rows[0][:4] if board.rows else None}"
        )


if __name__ == "__main__":
    main()
