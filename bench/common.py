"""Shared helpers of the benchmarks: Django set-up, timing, and the one output format.

Every benchmark prints its figures with `report()`, one line each:
`RESULT | figure | value | budget`, which `bench/run_all.py` gathers into bench/RESULTS.md.
Benchmarks never assert: they measure and print.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("PORTAL_TESTING", "1")  # development fallbacks; benchmarks are not prod
    import django

    django.setup()


def bench_complaint_submit(*, description: str = "Gaji saya tidak dibayar selama tiga bulan."):
    """One complaint filed through the public intake service, as the form files it (Django must
    be set up)."""
    import uuid

    from complaints.services.intake import ComplaintInput, complaint_submit

    return complaint_submit(
        data=ComplaintInput(
            category="gaji-tidak-dibayar",
            description=description,
            origin_region="35.04",
            destination_country="MY",
            consent=True,
            reporter_name="Bench Mark",
            phone="081234567890",
            email="bench@example.invalid",
        ),
        submission_token=uuid.uuid4().hex,
    )


def worker_memory_mib(master_pid: int) -> list[dict[str, float]]:
    """RSS, PSS and USS in MiB of each child of a gunicorn master (Linux /proc).

    RSS counts every resident page the worker maps, the ones it shares with the master and the
    other workers included; PSS charges a shared page to each of its sharers in equal parts; USS
    (private clean + dirty) is what stopping this one worker would give back.
    """
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    workers = []
    for pid in children:
        fields: dict[str, int] = {}
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        for line in lines[1:]:
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                fields[name] = int(rest.split()[0])
        workers.append(
            {
                "pid": int(pid),
                "rss": fields.get("Rss", 0) / 1024,
                "pss": fields.get("Pss", 0) / 1024,
                "uss": (fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)) / 1024,
            }
        )
    return workers


def report(figure: str, value: str, budget: str = "") -> None:
    print(f"RESULT | {figure} | {value} | {budget}", flush=True)


def timed(function: Callable[[], object], *, repeat: int = 7) -> tuple[float, int]:
    """Median milliseconds over `repeat` runs (after one warm-up), and the queries of one run."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    function()
    with CaptureQueriesContext(connection) as captured:
        function()
    queries = len(captured.captured_queries)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    reset_queries()
    return statistics.median(samples), queries
