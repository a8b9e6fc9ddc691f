"""gunicorn configuration: the production recipe, and what `make prod` runs.

    gunicorn -c deploy/gunicorn.conf.py portal.wsgi:application

Environment: WEB_CONCURRENCY (workers, default 2 per core is too many on a shared 2-core box:
default 2), GUNICORN_BIND (default 127.0.0.1:8001; nginx is the only client),
PROMETHEUS_MULTIPROC_DIR (default var/prometheus; emptied at start).
"""

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The portal's own gunicorn module removes the `Server: gunicorn` header from every answer, and
# loads the application once in the master so that the workers share its memory (preload_app,
# pre_fork: gc.freeze() and the URLconf, catalogues and Redis client loaded before each fork).
sys.path.insert(0, str(ROOT))
from portal.gunicorn_conf import pre_fork, preload_app  # noqa: E402, F401

DATA_DIR = Path(os.environ.get("PORTAL_DATA_DIR", ROOT / "var"))

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# nginx gives up after 60 s (proxy_read_timeout); a worker stuck longer is recycled.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 30
# Recycle workers now and then: a slow leak never grows past a few thousand requests.
max_requests = 2000
max_requests_jitter = 200
# Only nginx on this host speaks to gunicorn; X-Forwarded-* are read by Django
# (SECURE_PROXY_SSL_HEADER, TRUSTED_PROXY_COUNT), not rewritten here.
forwarded_allow_ips = "127.0.0.1"
proc_name = "portal-web"
# gunicorn 27's control socket lives at one path per user ($HOME/.gunicorn/gunicorn.ctl): a second
# instance on the same host (make prod --web 2, or a test's stack) would take it over. Unused here.
control_socket_disable = True
wsgi_app = "portal.wsgi:application"
# nginx writes the access log (no client addresses); gunicorn logs errors only.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Prometheus multiprocess mode: each worker writes its counters to files in this folder and
# /metrics adds them up. Set before the workers import the application.
_metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(DATA_DIR / "prometheus")))


def on_starting(server):
    # Figures of a previous run would be added to this one's.
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
