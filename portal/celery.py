"""The Celery app. Tasks live in each app's tasks.py; the one beat schedule is in portal/beat.py."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_missing_settings(**kwargs) -> None:
    from portal.startup import require_production_settings

    require_production_settings()
