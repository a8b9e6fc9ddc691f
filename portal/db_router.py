"""Sends dashboard reads to a read replica when DATABASE_REPLICA_URL is set.

Only code that asks for it (`.using(dashboard_db_alias())`: the ministry and office dashboards,
the public statistics) reads from the replica; every other read and every write stays on the
primary, so nothing reads its own write from a lagging copy: a reporter who has just filed a
complaint tracks it on the primary, and a form that saves and shows again reads what it saved.

A replica that does not answer is skipped: dashboards read the primary until the replica answers
again, so a stopped or lost standby costs the dashboards some load, never an error page.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA_ALIAS = "replica"
# After a failed connection to the replica the primary serves dashboard reads for this long
# before the replica is tried again: a dead standby whose host does not answer would otherwise
# cost every dashboard request a connection timeout.
REPLICA_RETRY_SECONDS = 30

logger = logging.getLogger(__name__)

# Per process (each gunicorn worker decides for itself): until when the replica is skipped.
_replica_skipped_until = 0.0


def replica_available() -> bool:
    """Whether the replica answers now (a connection is open or can be opened)."""
    global _replica_skipped_until
    if REPLICA_ALIAS not in settings.DATABASES:
        return False
    if time.monotonic() < _replica_skipped_until:
        return False
    connection = connections[REPLICA_ALIAS]
    try:
        # A connection kept from an earlier request may point at a standby that has since
        # stopped: the health check (CONN_HEALTH_CHECKS) finds out and drops it.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        connection.close()
        _replica_skipped_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(
            "read replica unavailable (%s); dashboards read the primary for %s s",
            error.__class__.__name__,
            REPLICA_RETRY_SECONDS,
        )
        return False
    return True


def dashboard_db_alias() -> str:
    return REPLICA_ALIAS if replica_available() else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
