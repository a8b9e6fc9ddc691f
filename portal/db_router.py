"""Sends dashboard reads to a read replica when DATABASE_REPLICA_URL is set (design.md §1).

Only code that asks for it (`.using(dashboard_db_alias())`) reads from the replica; every other read
and every write stays on the primary, so nothing reads its own write from a lagging copy.
"""

from django.conf import settings


def dashboard_db_alias() -> str:
    return "replica" if "replica" in settings.DATABASES else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
