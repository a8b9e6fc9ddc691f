"""Loaded before Django is set up (`-p tests.parallel` in pyproject's addopts).

Under pytest-xdist (`make test` runs two workers, one per core) each worker has its own test
database (pytest-django adds `_gw0`, `_gw1` to its name) but would share the Redis database of
REDIS_URL: a Celery worker started by one test process would then take tasks published by the
other, and queue lengths would mix. Each xdist worker therefore gets the next Redis databases
after the one configured (REDIS_URL=…/0 → gw0 uses /1, gw1 uses /2). Without xdist nothing changes.
"""

import os
from urllib.parse import urlsplit, urlunsplit

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    _parts = urlsplit(os.environ["REDIS_URL"])
    _base = int(_parts.path.strip("/") or 0)
    os.environ["REDIS_URL"] = urlunsplit(
        _parts._replace(path=f"/{_base + 1 + int(_worker.removeprefix('gw'))}")
    )
