"""Celery wiring of the SLA issue: stable task names, one beat schedule in code, thin tasks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import tasks
from complaints.models import Notification
from portal.beat import beat_schedule
from portal.celery import app

TASK_NAMES = {
    "complaints.escalate_overdue",
    "complaints.deliver_notification",
    "complaints.requeue_due_notifications",
    "complaints.propose_closures",
    "complaints.purge_retention",
}


def test_tasks_have_their_stable_names():
    app.loader.import_default_modules()
    assert set(app.tasks) >= TASK_NAMES
    assert tasks.notification_deliver.name == "complaints.deliver_notification"


def test_every_beat_entry_runs_a_registered_task_and_the_interval_is_configurable():
    # given
    app.loader.import_default_modules()

    # when
    schedule = beat_schedule(escalation_interval_seconds=30, requeue_interval_seconds=15)

    # then
    assert {entry["task"] for entry in schedule.values()} - set(app.tasks) == set()
    assert schedule["escalate-overdue"]["schedule"] == 30.0
    assert schedule["requeue-due-notifications"]["schedule"] == 15.0
    assert app.conf.beat_scheduler == "celery.beat:PersistentScheduler"
    assert "escalate-overdue" in app.conf.beat_schedule


@pytest.mark.django_db
def test_requeue_publishes_only_due_pending_rows(monkeypatch):
    # given one due row, one not yet due, one sent
    published = []
    monkeypatch.setattr(
        "complaints.services.notifications.notification_publish",
        lambda *, notification_id: published.append(notification_id),
    )
    now = timezone.now()
    due = Notification.objects.create(
        channel="email", recipient="a@x.id", template="t", dedupe_key="d1", next_attempt_at=now
    )
    Notification.objects.create(
        channel="email",
        recipient="a@x.id",
        template="t",
        dedupe_key="d2",
        next_attempt_at=now + timedelta(hours=1),
    )
    Notification.objects.create(
        channel="email", recipient="a@x.id", template="t", dedupe_key="d3", status="sent"
    )

    # when
    count = tasks.requeue_due_notifications()

    # then
    assert (count, published) == (1, [due.pk])
