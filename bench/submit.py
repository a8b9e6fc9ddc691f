"""Submit benchmark: queries and median ms per complaint submission at several table sizes.

Usage (PostgreSQL; never part of `make test`):
    DATABASE_URL=postgres://... .venv/bin/python bench/submit.py --sizes 0,100000,1000000
Each size tops the complaints table up with `seed_demo`'s bulk demo data (complaints.demo), then
submits through `complaint_submit` exactly as the web form and the API do. The query count must not
grow with the table (constant, at most 15). The access key is hashed with HMAC-SHA256 under the
pepper (complaints/hashers.py), which costs microseconds: the time is the service's own.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import uuid

from common import bench_complaint_submit, report, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,100000,1000000", help="comma-separated table sizes")
    parser.add_argument("--repeat", type=int, default=15, help="submissions measured per size")
    parser.add_argument(
        "--reset",
        action="store_true",
        help="first TRUNCATE every complaint table (only on a benchmark database!)",
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints import demo
    from complaints.models import Complaint
    from portal import demo as portal_demo

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figures mean little")
    if args.reset:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE complaints_complaint, complaints_historicalcomplaint CASCADE")
    portal_demo.seed(
        portal_demo.DemoContext(
            password=uuid.uuid4().hex, password_generated=True, complaints=0, stdout=io.StringIO()
        )
    )

    def submit():
        return bench_complaint_submit(
            description="Gaji saya tidak dibayar selama tiga bulan (benchmark)."
        )

    rows = []
    for size in sizes:
        existing = Complaint.objects.count()
        if existing > size:
            print(f"table already holds {existing:,} complaints; measuring at that size")
        else:
            started = time.perf_counter()
            demo.seed(
                portal_demo.DemoContext(
                    password="", password_generated=False, complaints=size, stdout=io.StringIO()
                )
            )
            print(f"seeded to {size:,} in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
            cursor.execute("ANALYZE complaints_complaint")
        submit()  # warm-up
        with CaptureQueriesContext(connection) as captured:
            submit()
        samples = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            submit()
            samples.append((time.perf_counter() - start) * 1000)
        count = Complaint.objects.count()
        rows.append((count, len(captured.captured_queries), statistics.median(samples)))

    print(f"\n{'complaints':>12} | {'queries':>7} | {'median ms':>9}")
    print(f"{'-' * 12}-+-{'-' * 7}-+-{'-' * 9}")
    for count, queries, median in rows:
        print(f"{count:>12,} | {queries:>7} | {median:>9.1f}")
        report(f"submit at {count:,} complaints", f"{queries} queries, {median:.1f} ms", "<= 15")
    if len({queries for _count, queries, _median in rows}) != 1:
        print("WARNING: the query count changed with the table size")


if __name__ == "__main__":
    main()
