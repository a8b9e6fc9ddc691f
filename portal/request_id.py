"""A request id that follows a request through nginx, gunicorn and the Celery tasks it starts.

nginx sends `X-Request-ID` ($request_id); a client's own id is honoured when it looks like one
(letters, digits, dashes, at most 64), else a new one is made. It is returned in the response,
added to every log line (`RequestIdLogFilter`) and carried into tasks in a message header
(portal/celery.py).
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")


def request_id_from(value: str | None) -> str:
    if value and _VALID.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id.get() or "-"
        return True
