"""Optional error reporting through sentry-sdk (SENTRY_DSN). Nothing personal leaves the server:
no request bodies, cookies, headers, query strings or user details; every remaining string
(messages, exception values, breadcrumbs, local variables) is masked by portal.logging.scrub."""

from __future__ import annotations

from typing import Any

from portal.logging import scrub

# Request keys kept: enough to find the page, nothing a reporter typed or sent.
_REQUEST_KEEP = {"method", "url"}


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _scrub_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    request = event.get("request")
    if isinstance(request, dict):
        kept = {key: request[key] for key in _REQUEST_KEEP if key in request}
        if "url" in kept:
            kept["url"] = kept["url"].split("?", 1)[0]
        event["request"] = kept
    event.pop("user", None)
    event.pop("server_name", None)
    for key in ("message", "logentry", "exception", "breadcrumbs", "extra", "contexts", "tags"):
        if key in event:
            event[key] = _scrub_value(event[key])
    return event


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    return _scrub_value(crumb)


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float, **options) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No personal data leaves: the SDK's default sends none (its `send_default_pii` option,
        # off by default, is deprecated), the request body is never attached, local variables
        # are not captured, and scrub_event cleans what remains.
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=traces_sample_rate,
        **options,
    )
