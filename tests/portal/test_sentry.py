"""Error reports to Sentry (SENTRY_DSN) carry no personal data: checked on what the SDK would
send, caught by a fake transport."""

from __future__ import annotations

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from portal.sentry import scrub_event, sentry_init


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def sentry():
    transport = CapturingTransport()
    sentry_init(
        dsn="https://public@sentry.invalid/1",
        environment="test",
        traces_sample_rate=0.0,
        transport=transport,
    )
    yield transport
    sentry_sdk.init()  # no DSN: the client is off again


def sent_text(transport: CapturingTransport) -> str:
    sentry_sdk.flush()
    parts = []
    for envelope in transport.envelopes:
        for item in envelope.items:
            parts.append(item.payload.get_bytes().decode())
    return "\n".join(parts)


def test_exception_report_masks_phone_email_and_passport(sentry):
    # when
    try:
        raise ValueError("reporter +62 812-3456-7890 siti@example.com passport C1234567")
    except ValueError as error:
        sentry_sdk.capture_exception(error)
    # then
    text = sent_text(sentry)
    assert "ValueError" in text
    assert "812-3456-7890" not in text
    assert "siti@example.com" not in text
    assert "C1234567" not in text


def test_request_body_cookies_headers_and_query_are_dropped():
    # given: an event as the Django integration builds it
    event = {
        "request": {
            "method": "POST",
            "url": "https://portal.example/pengaduan/lacak/?reference=PMI-2222-3333",
            "data": {"access_key": "secret-key", "phone": "081234567890"},
            "cookies": {"sessionid": "abc"},
            "headers": {"X-Forwarded-For": "203.0.113.9"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
            "query_string": "reference=PMI-2222-3333",
        },
        "user": {"ip_address": "203.0.113.9"},
        "message": "failed for siti@example.com",
    }
    # when
    cleaned = scrub_event(event)
    # then
    assert cleaned["request"] == {
        "method": "POST",
        "url": "https://portal.example/pengaduan/lacak/",
    }
    assert "user" not in cleaned
    text = json.dumps(cleaned)
    assert "203.0.113.9" not in text
    assert "secret-key" not in text
    assert "siti@example.com" not in text
