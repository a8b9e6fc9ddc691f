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
