"""Health of the services the portal depends on, for /healthz and `make run`."""

from __future__ import annotations

import hmac
import ipaddress
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections

from portal.client_address import UNKNOWN, client_address


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


def detail_allowed(request) -> bool:
    """Callers on loopback, and `Authorization: Bearer <HEALTHZ_TOKEN>` (when that setting is not
    empty). "On loopback" is decided on the client address as the rate limits see it
    (portal/client_address.py): behind TRUSTED_PROXY_COUNT proxies, the address the outermost one
    forwarded, so a public caller coming through nginx on the same host is not loopback, and an
    X-Forwarded-For the caller wrote itself changes nothing."""
    token = settings.HEALTHZ_TOKEN
    if token:
        scheme, _space, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
            return True
    address = client_address(request)
    if address == UNKNOWN:
        return False
    return ipaddress.ip_address(address).is_loopback
