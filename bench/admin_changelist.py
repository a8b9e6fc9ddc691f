"""Admin triage queue benchmark: median ms and queries of changelist pages at 1,000,000 complaints.

Usage (PostgreSQL; never part of `make test`):
    DATABASE_URL=postgres://... .venv/bin/python bench/admin_changelist.py --size 1000000
Tops the complaints table up to --size with `seed_demo`'s bulk demo data (complaints.demo), then
requests the queue in-process through the whole middleware stack as demo staff: the ministry
analyst's first page (every office), an officer's first page (one office and its posts), a
filtered page and a reference search. Budget: under 300 ms. The second factor is
switched off here: this measures the page, not the sign-in.
"""

from __future__ import annotations

import argparse
import io
import time
import uuid

from common import report, setup_django

BUDGET = "< 300 ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="complaints in the table")
    parser.add_argument("--repeat", type=int, default=7, help="requests measured per page")
    args = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bench.common import timed
    from complaints import demo
    from complaints.models import Complaint
    from portal import demo as portal_demo

    settings.OTP_REQUIRED = False
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figures mean little")
    portal_demo.seed(
        portal_demo.DemoContext(
            password=uuid.uuid4().hex, password_generated=True, complaints=0, stdout=io.StringIO()
        )
    )
    existing = Complaint.objects.count()
    if existing < args.size:
        started = time.perf_counter()
        demo.seed(
            portal_demo.DemoContext(
                password="", password_generated=False, complaints=args.size, stdout=io.StringIO()
            )
        )
        print(f"seeded to {args.size:,} in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
            cursor.execute("ANALYZE")
    total = Complaint.objects.count()
    print(f"{total:,} complaints")
    # A real reference (PMI-XXXX-XXXX): other benchmarks' rows sharing the database have their own.
    reference = (
        Complaint.objects.filter(reference__startswith="PMI-")
        .order_by("-id")
        .values_list("reference", flat=True)
        .first()
    )

    users = get_user_model().objects
    url = "/admin/complaints/complaint/"
    pages = [
        ("ministry analyst, first page", "menteri", url),
        ("officer, first page", "petugas-jatim", url),
        (
            "officer, open and overdue, unassigned",
            "petugas-jatim",
            url + "?sla=overdue&assigned=none",
        ),
        (
            "ministry, received, urgent",
            "menteri",
            url + "?status__exact=received&is_urgent__exact=1",
        ),
    ]
    if reference:
        pages.append(("ministry, search by reference", "menteri", url + f"?q={reference}"))
    else:
        print("no PMI- reference in the table: the search figure is left out")
    for label, username, page_url in pages:
        client = Client()
        client.force_login(users.get(username=username))

        def fetch(client=client, page_url=page_url):
            response = client.get(page_url)
            if response.status_code != 200:
                raise SystemExit(f"{page_url}: HTTP {response.status_code}")

        median_ms, queries = timed(fetch, repeat=args.repeat)
        report(f"changelist: {label} ({total:,} rows), ms", f"{median_ms:.0f}", BUDGET)
        report(f"changelist: {label}, queries", str(queries))


if __name__ == "__main__":
    main()
