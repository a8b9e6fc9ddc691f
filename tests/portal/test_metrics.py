"""GET /metrics: who may read it, and the portal's gauges against figures computed here."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from complaints.models import Notification
from complaints.services.escalation import escalation_sweep_finished_record
from tests.complaints.factories import ComplaintFactory
from tests.complaints.triage_support import category_ensure

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 7, 14, 3, 0, tzinfo=UTC)


@pytest.fixture
def django_cache():
    from django.core.cache import cache

    cache.clear()
    return cache


def gauge(text: str, name: str) -> float:
    match = re.search(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE)
    assert match, f"{name} missing from /metrics"
    return float(match.group(1))


def notification(*, status: str, created_at: datetime, n: int) -> Notification:
    row = Notification.objects.create(
        channel="email",
        recipient="kantor@example.invalid",
        template="test",
        dedupe_key=f"metrics-test-{n}",
        status=status,
    )
    Notification.objects.filter(pk=row.pk).update(created_at=created_at)
    return row


@pytest.fixture
def outbox_and_complaints(offices):
    category_ensure()
    notification(status="pending", created_at=NOW - timedelta(minutes=45), n=1)
    notification(status="pending", created_at=NOW - timedelta(minutes=5), n=2)
    notification(status="failed", created_at=NOW - timedelta(days=1), n=3)
    notification(status="sent", created_at=NOW - timedelta(days=2), n=4)
    office = offices["bp3mi-jatim"]
    # the service standard's targets (not the office deadline `due_at`) decide "past"
    ComplaintFactory(
        office=office, status="received", standard_verify_due_at=NOW - timedelta(hours=2)
    )
    ComplaintFactory(
        office=office,
        status="in_progress",
        verified_at=NOW - timedelta(days=9),
        first_response_at=NOW - timedelta(days=8),
        standard_resolve_due_at=NOW - timedelta(minutes=1),
    )
    ComplaintFactory(
        office=office, status="received", standard_verify_due_at=NOW + timedelta(days=3)
    )
    ComplaintFactory(
        office=office,
        status="resolved",
        resolved_at=NOW - timedelta(days=4),
        standard_resolve_due_at=NOW - timedelta(days=3),
    )


def test_gauges_show_the_outbox_the_backlog_and_the_sweep(
    client, outbox_and_complaints, django_cache
):
    # given: the last sweep finished 90 seconds ago
    escalation_sweep_finished_record(at=(NOW - timedelta(seconds=90)).timestamp())
    # when: Prometheus scrapes from loopback
    with time_machine.travel(NOW, tick=False):
        response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert gauge(text, "portal_notifications_pending") == 2
    assert gauge(text, "portal_notifications_failed") == 1
    assert gauge(text, "portal_notification_oldest_pending_seconds") == 45 * 60
    # unfinished and past a target: the received one 2 h late and the one in progress 1 min late
    assert gauge(text, "portal_complaints_past_standard") == 2
    assert gauge(text, "portal_escalation_last_sweep_age_seconds") == 90
    assert gauge(text, "portal_metrics_provider_errors") == 0


def test_sweep_age_is_infinite_when_no_sweep_was_ever_recorded(client, offices, django_cache):
    # given: nothing recorded (the cache was just cleared)
    # when
    with time_machine.travel(NOW, tick=False):
        text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    # then: unknown is as bad as stale, so the alert fires
    assert gauge(text, "portal_escalation_last_sweep_age_seconds") == float("inf")


def test_requests_are_counted_per_view_name_never_per_path(client, offices):
    # given
    before = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    pattern = r'portal_http_requests_total{{method="GET",status="200",view="{}"}} (\S+)'
    count_before = float((re.search(pattern.format("healthz"), before) or [0, 0])[1])
    # when
    client.get("/healthz")
    client.get("/healthz")
    # then
    after = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert float(re.search(pattern.format("healthz"), after)[1]) == count_before + 2
    assert "portal_http_request_duration_seconds_bucket" in after
    assert "portal_db_query_duration_seconds_count" in after


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "authorization", "status"),
    [
        ("127.0.0.1", "", "", 200),  # Prometheus on the same host, directly
        ("127.0.0.1", "127.0.0.1", "", 200),  # ... or through nginx on loopback
        ("::1", "", "", 200),
        ("203.0.113.7", "", "", 403),  # anyone else
        ("127.0.0.1", "203.0.113.7", "", 403),  # through nginx from outside
        ("203.0.113.7", "", "Bearer s3cret-metrics-token", 200),  # with the token
        ("203.0.113.7", "", "Bearer wrong", 403),
        ("127.0.0.1", "203.0.113.7", "Bearer wrong", 403),
    ],
)
def test_metrics_answer_loopback_or_the_token_only(
    client, settings, offices, remote_addr, forwarded_for, authorization, status
):
    # given
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    headers = {}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    if authorization:
        headers["Authorization"] = authorization
    # when
    response = client.get("/metrics", REMOTE_ADDR=remote_addr, headers=headers)
    # then
    assert response.status_code == status
    assert (b"portal_notifications_pending" in response.content) == (status == 200)
