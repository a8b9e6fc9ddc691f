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


# The request id of the web request (or task) that publishes a task travels in a message header,
# so the task's log lines carry the same id (portal/request_id.py).
@signals.before_task_publish.connect
def _request_id_to_headers(headers=None, **kwargs) -> None:
    from portal.request_id import current_request_id

    request_id = current_request_id.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@signals.task_prerun.connect
def _request_id_from_headers(task=None, **kwargs) -> None:
    from portal.request_id import current_request_id

    request = getattr(task, "request", None)
    request_id = getattr(request, "request_id", None) or (
        (getattr(request, "headers", None) or {}).get("request_id")
    )
    current_request_id.set(request_id or "")


@signals.task_postrun.connect
def _request_id_clear(**kwargs) -> None:
    from portal.request_id import current_request_id

    current_request_id.set("")
