"""Project package and cross-cutting app: regions, offices, memberships, dashboards, health."""

from portal.celery import app as celery_app

__all__ = ["celery_app"]
