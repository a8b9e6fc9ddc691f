"""Prometheus metrics at `GET /metrics`: loopback, or `Authorization: Bearer <METRICS_TOKEN>`.

- Requests per view, method and status, and their latency per view; database query time per
  database alias (counters and histograms, kept per gunicorn worker in PROMETHEUS_MULTIPROC_DIR
  and added up at scrape time: prometheus-client's multiprocess mode).
- The portal's own gauges, computed when scraped with a few cheap queries: each app registers a
  provider (`gauge_provider_register`) in its AppConfig.ready(), so this module, on the ground
  floor, imports no app above it.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import REGISTRY, GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests by view, method and status",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time from the first middleware to the response, by view",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DB_QUERY = Histogram(
    "portal_db_query_duration_seconds",
    "Database query time, by database alias",
    ["alias"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0),
)


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    value: float
    labels: dict[str, str] = field(default_factory=dict)


_PROVIDERS: list[Callable[..., Iterable[Gauge]]] = []


def gauge_provider_register(provider: Callable[..., Iterable[Gauge]]) -> None:
    """provider(now=datetime) -> Gauges; called at every scrape, so keep it to cheap queries."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def portal_gauges(*, now=None) -> list[Gauge]:
    now = now or timezone.now()
    gauges: list[Gauge] = []
    failed = 0
    for provider in _PROVIDERS:
        try:
            gauges.extend(provider(now=now))
        except Exception:
            # One broken provider must not hide the others (nor the request metrics).
            failed += 1
            logger.exception("metrics provider %s failed", getattr(provider, "__name__", "?"))
    gauges.append(
        Gauge("portal_metrics_provider_errors", "Gauge providers that failed this scrape", failed)
    )
    return gauges


class PortalCollector:
    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        for gauge in portal_gauges():
            family = families.get(gauge.name)
            if family is None:
                family = GaugeMetricFamily(
                    gauge.name, gauge.documentation, labels=sorted(gauge.labels)
                )
                families[gauge.name] = family
            family.add_metric([gauge.labels[key] for key in sorted(gauge.labels)], gauge.value)
        yield from families.values()


def metrics_text() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    portal = CollectorRegistry()
    portal.register(PortalCollector())
    return generate_latest(requests) + generate_latest(portal)


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip()).is_loopback
    except ValueError:
        return False


def metrics_access_allowed(request: HttpRequest) -> bool:
    """Loopback only (the peer and every address a proxy forwarded), or the bearer token.
    Behind nginx the peer is always 127.0.0.1, so the forwarded address decides."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[len("Bearer ") :].encode(), token.encode())
    forwarded = [a for a in request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
    return _is_loopback(request.META.get("REMOTE_ADDR", "")) and all(
        _is_loopback(address) for address in forwarded
    )


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_access_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


class _QueryTimer:
    def __init__(self, alias: str) -> None:
        self.alias = alias

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            DB_QUERY.labels(self.alias).observe(time.perf_counter() - started)


class RequestMetricsMiddleware:
    """Counts and times every request by its URL name (never by path: paths hold references)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        wrappers = []
        for alias in connections:
            wrapper = connections[alias].execute_wrapper(_QueryTimer(alias))
            wrapper.__enter__()
            wrappers.append(wrapper)
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "<unresolved>"
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


BACKUP_FINISHED_CACHE_KEY = "backup:last-success"


def backup_success_record(*, at: float | None = None) -> None:
    """Note a finished backup for the `portal_backup_last_success_timestamp_seconds` gauge."""
    from django.core.cache import cache

    try:
        cache.set(BACKUP_FINISHED_CACHE_KEY, at if at is not None else time.time(), None)
    except Exception as error:
        logger.warning("could not record the backup time: %s", type(error).__name__)


def _celery_queue_length() -> float:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return float("nan")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return float(client.llen("celery"))  # Celery's default queue: a Redis list
    finally:
        client.close()


def _dashboard_refreshed_at():
    from django.apps import apps

    for label in ("oversight", "portal"):  # the dashboards move to oversight/
        try:
            model = apps.get_model(label, "DashboardRefresh")
        except LookupError:
            continue
        return model.objects.values_list("refreshed_at", flat=True).first()
    return None


def _replica_gauges() -> list[Gauge]:
    from portal.health import replica_state

    replica = replica_state()
    if replica is None:  # none configured: nothing to alert on
        up = lag = float("nan")
    else:
        up = 1.0 if replica["ok"] else 0.0
        known = replica["ok"] and replica["lag_seconds"] is not None
        lag = replica["lag_seconds"] if known else float("nan")
    return [
        Gauge(
            "portal_replica_up",
            "1 when the read replica answers, 0 when the dashboards read the primary instead "
            "(NaN: no replica configured)",
            up,
        ),
        Gauge(
            "portal_replica_lag_seconds",
            "Seconds of the primary's writes the replica has received but not applied",
            lag,
        ),
    ]


def portal_gauges_ground(*, now) -> list[Gauge]:
    from django.core.cache import cache

    refreshed = _dashboard_refreshed_at()
    try:
        backup = cache.get(BACKUP_FINISHED_CACHE_KEY) or 0.0
    except Exception:
        backup = 0.0
    try:
        queue = _celery_queue_length()
    except Exception:
        queue = float("nan")
    return [
        Gauge("portal_celery_queue_length", "Tasks waiting in the Celery queue", queue),
        Gauge(
            "portal_dashboard_summary_age_seconds",
            "Seconds since the dashboard summary was rebuilt (+Inf when never)",
            (now - refreshed).total_seconds() if refreshed else float("inf"),
        ),
        Gauge(
            "portal_backup_last_success_timestamp_seconds",
            "Unix time of the last successful `manage.py backup` (0 when unknown)",
            float(backup),
        ),
        *_replica_gauges(),
    ]
