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


# On a standby: whether it is one, and how many seconds of the primary's writes it has received
# but not applied yet (0 when it has applied all it received; an idle primary is not lag).
REPLICA_STATE_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
       END
"""


def replica_state() -> dict | None:
    """None without DATABASE_REPLICA_URL; else whether the read replica answers, and its replay
    lag in seconds (None when the standby cannot tell). The dashboards fall back to the primary
    while it does not answer (portal/db_router.py), so this never decides /healthz's status."""
    from portal.db_router import REPLICA_ALIAS

    if REPLICA_ALIAS not in settings.DATABASES:
        return None
    connection = connections[REPLICA_ALIAS]
    try:
        connection.close_if_health_check_failed()
        with connection.cursor() as cursor:
            cursor.execute(REPLICA_STATE_SQL)
            standby, lag = cursor.fetchone()
    except DatabaseError as error:
        connection.close()
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "standby": standby, "lag_seconds": None if lag is None else float(lag)}


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
