"""A sweep held under way on another connection, for the tests of one-sweep-at-a-time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from portal.sweep_runs import sweep_run_recorded


@contextmanager
def sweep_held_elsewhere(
    *, sweep: str, node: str, inside_run: Callable[[Any], None] | None = None
) -> Iterator[None]:
    """Start `sweep` as `node` in a thread (its own database connection), run `inside_run(run)`
    within it, and hold it there while the block runs; it finishes when the block ends."""
    inside, release = threading.Event(), threading.Event()

    def other_node() -> None:
        try:
            with sweep_run_recorded(sweep=sweep, node=node) as run:
                if inside_run is not None:
                    inside_run(run)
                inside.set()
                release.wait(timeout=60)
        finally:
            inside.set()
            connection.close()

    thread = threading.Thread(target=other_node)
    thread.start()
    assert inside.wait(timeout=60)
    try:
        yield
    finally:
        release.set()
        thread.join(timeout=60)
