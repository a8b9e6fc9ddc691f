"""The public complaint form in process: CPU per GET, statements per GET and per POST.

Usage (PostgreSQL and Redis; never part of `make test`; it stores a few complaints):
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/form_page.py
Runs the whole Django stack (middleware, view, template) through django.test.Client with
DEBUG off: --gets form GETs timed with time.process_time (CPU of this process only, so the
load of a shared machine barely moves it), then --posts submissions (GET + POST each), after
one warm-up, counting the statements of the POST (BEGIN/COMMIT not counted: add 2).
Budget: at most 15 ms CPU per GET, at most 12 statements per POST with its
transaction.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "peer"))
from common import report, setup_django

OVERRIDES = {
    "description": "Gaji saya tidak dibayar selama tiga bulan oleh majikan.",
    "reporter_name": "Pekerja Uji Halaman",
    "consent": "on",
    "destination_country": "MY",
    "preferred_channel": "",
    # The region picker lists children only once a parent is chosen: a regency of Jawa Timur.
    "origin_province": "35",
    "origin_region": "35.04",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gets", type=int, default=200)
    parser.add_argument("--posts", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("THROTTLE_SUBMIT", "1000000/1m")
    os.environ.setdefault("ACCESS_KEY_PEPPER", "bench-form-page")
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from probe import form_fields

    path = reverse("complaints:submit")
    client = Client(REMOTE_ADDR="127.0.0.8")
    client.post(path, form_fields(client.get(path).content.decode(), OVERRIDES))

    counted = [0]

    def counting(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        page = client.get(path)
    get_queries, counted[0] = counted[0], 0
    samples = []
    for _ in range(args.gets):
        started = time.process_time()
        client.get(path)
        samples.append((time.process_time() - started) * 1000)
    post_queries, post_cpu, statuses = [], [], []
    for _ in range(args.posts):
        fields = form_fields(client.get(path).content.decode(), OVERRIDES)
        counted[0] = 0
        started = time.process_time()
        with connection.execute_wrapper(counting):
            answer = client.post(path, fields)
        post_cpu.append((time.process_time() - started) * 1000)
        post_queries.append(counted[0])
        statuses.append(answer.status_code)
    report(
        f"form GET: CPU ms (median of {args.gets})", f"{statistics.median(samples):.2f}", "<= 15"
    )
    report("form GET: mean CPU ms", f"{statistics.fmean(samples):.2f}")
    report("form GET: statements", str(get_queries), "0")
    report("form GET: HTML bytes", f"{len(page.content):,}")
    report(
        "form POST: statements (+ BEGIN/COMMIT)",
        f"{statistics.median(post_queries):.0f}",
        "<= 10 (+2)",
    )
    report("form POST: CPU ms (median)", f"{statistics.median(post_cpu):.1f}")
    if any(status not in (200, 201) for status in statuses):
        print(f"warning: POST answers {statuses}")


if __name__ == "__main__":
    main()
