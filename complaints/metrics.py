"""The complaints app's gauges for /metrics (registered in ComplaintsConfig.ready())."""

from __future__ import annotations

from portal.metrics import Gauge


def complaint_gauges(*, now) -> list[Gauge]:
    from complaints.selectors import complaint_past_standard_count, notification_outbox_state
    from complaints.services.escalation import escalation_last_sweep_finished

    outbox = notification_outbox_state(now=now)
    finished = escalation_last_sweep_finished()
    # Unknown (never ran, or the cache lost it) counts as infinitely old: the alert fires.
    sweep_age = max(0.0, now.timestamp() - finished) if finished else float("inf")
    return [
        Gauge("portal_notifications_pending", "Outbox rows waiting to be sent", outbox["pending"]),
        Gauge("portal_notifications_failed", "Outbox rows that failed for good", outbox["failed"]),
        Gauge(
            "portal_notification_oldest_pending_seconds",
            "Age of the oldest pending outbox row (0 when none)",
            outbox["oldest_pending_seconds"],
        ),
        Gauge(
            "portal_complaints_past_standard",
            "Open complaints past their current deadline",
            complaint_past_standard_count(now=now),
        ),
        Gauge(
            "portal_escalation_last_sweep_age_seconds",
            "Seconds since the last escalation sweep finished (+Inf when unknown)",
            sweep_age,
        ),
    ]
