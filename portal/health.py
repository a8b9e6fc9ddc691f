"""Health of the services the portal depends on, for /healthz and `make run`."""

from __future__ import annotations

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
