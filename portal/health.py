"""Health of the services the portal depends on, for /healthz and `make run`."""

from __future__ import annotations

import hmac
import ipaddress
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections


def database_state() -> dict:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "vendor": connections["default"].vendor}


def broker_state() -> dict:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return {"ok": folder.is_dir(), "transport": "filesystem"}
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as error:
        return {"ok": False, "transport": "redis", "error": error.__class__.__name__}
    return {"ok": True, "transport": "redis"}


# Headers a reverse proxy adds: a request that carries one came from elsewhere, even when the
# connection is from loopback (nginx on the same host).
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def detail_allowed(request) -> bool:
    """Loopback callers that did not come through a proxy, and `Authorization: Bearer
    <HEALTHZ_TOKEN>` (when that setting is not empty)."""
    token = settings.HEALTHZ_TOKEN
    if token:
        scheme, _space, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
            return True
    if any(request.META.get(header) for header in _PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
