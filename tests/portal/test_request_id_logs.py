"""JSON log lines carry the request id, which follows the request into the Celery tasks it
starts; personal data stays masked."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.conf import settings
from kombu import Connection

from portal.celery import app
from portal.logging import ScrubPersonalDataFilter
from portal.request_id import RequestIdLogFilter, current_request_id


def json_handler(stream: io.StringIO) -> logging.Handler:
    """The console handler as settings.LOGGING builds it with LOG_FORMAT=json."""
    from pythonjsonlogger.json import JsonFormatter

    options = dict(settings.LOGGING["formatters"]["json"])
    options.pop("()")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(RequestIdLogFilter())
    handler.addFilter(ScrubPersonalDataFilter())
    return handler


@pytest.mark.django_db
def test_a_request_id_sent_by_nginx_is_answered_and_a_missing_one_is_made(client):
    # when
    given = client.get("/healthz", headers={"X-Request-ID": "a1b2c3d4e5f6a7b8"})
    made = client.get("/healthz")
    hostile = client.get("/healthz", headers={"X-Request-ID": "<script>x</script>"})
    # then
    assert given["X-Request-ID"] == "a1b2c3d4e5f6a7b8"
    assert len(made["X-Request-ID"]) == 32
    assert hostile["X-Request-ID"] != "<script>x</script>"


def test_json_log_line_has_the_request_id_and_no_phone_number():
    # given
    stream = io.StringIO()
    logger = logging.getLogger("tests.request_id")
    logger.addHandler(json_handler(stream))
    token = current_request_id.set("req-1234567890")
    # when
    try:
        logger.warning("reporter %s called", "+6281234567890")
    finally:
        current_request_id.reset(token)
        logger.handlers.clear()
    # then
    line = json.loads(stream.getvalue().strip())
    assert line["request_id"] == "req-1234567890"
    assert line["level"] == "WARNING"
    assert "6281234567890" not in line["message"]
    assert "[number]" in line["message"]


def test_a_task_published_in_a_request_carries_its_id_into_the_worker():
    # given: a request in progress
    token = current_request_id.set("req-abcdef123456")
    # when: it publishes a task (to an in-memory broker)
    try:
        with Connection("memory://") as broker:
            app.send_task("complaints.requeue_due_notifications", connection=broker)
            message = broker.SimpleQueue("celery").get(timeout=5)
    finally:
        current_request_id.reset(token)
    # then: the message carries the id
    assert message.headers["request_id"] == "req-abcdef123456"
    # and the worker side takes it for the task's log lines
    from portal.celery import _request_id_from_headers

    class Request:
        headers = {"request_id": message.headers["request_id"]}

    class Task:
        request = Request()

    _request_id_from_headers(task=Task())
    assert current_request_id.get() == "req-abcdef123456"
    current_request_id.set("")
