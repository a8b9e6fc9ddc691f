"""The escalation sweep: one level up per lapsed deadline, grouped notifications, replay-safe."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from complaints.choices import EventKind, Status
from complaints.models import Complaint, ComplaintEvent, Notification
from complaints.selectors import complaint_overdue_count
from complaints.services.escalation import (
    DIGEST_TEMPLATE,
    complaint_escalate_overdue,
)
from complaints.services.sla import SLA_TIME_ZONE, holiday_cache_clear
from tests.complaints.sla_support import holidays_ensure, overdue_complaints

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _holidays(db):
    holidays_ensure()
    yield
    holiday_cache_clear()


# Wednesday 2 December 2026, 10:00 in Jakarta: a working day.
NOW = datetime(2026, 12, 2, 10, tzinfo=SLA_TIME_ZONE)


def digests():
    return {row.office.code: row for row in Notification.objects.filter(template=DIGEST_TEMPLATE)}


def test_overdue_post_complaint_moves_to_its_bp3mi(offices, make_staff):
    # given a lapsed complaint at a post and a head at the BP3MI above it
    head = make_staff("bp3mi-jatim", "head", email="kepala@example.invalid")
    (complaint,) = overdue_complaints(office=offices["p4mi-tulungagung"], count=1, now=NOW)

    # when
    result = complaint_escalate_overdue(now=NOW)

    # then the complaint climbed one level with the policy's grace (2 working days)
    complaint.refresh_from_db()
    assert result.escalated == 1
    assert complaint.office == offices["bp3mi-jatim"]
    assert complaint.escalation_level == 1
    assert complaint.due_at == datetime(2026, 12, 4, 10, tzinfo=SLA_TIME_ZONE)
    assert complaint.last_escalated_at == NOW
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.ESCALATION)
    assert event.level == 1
    assert event.public_body == "Diteruskan ke BP3MI Jawa Timur untuk ditindaklanjuti."
    assert "tingkat 1" in event.body
    assert event.data["to_office"] == offices["bp3mi-jatim"].pk
    # and both offices got one digest listing it; the new office's head is copied
    sent = digests()
    assert set(sent) == {"p4mi-tulungagung", "bp3mi-jatim"}
    assert sent["bp3mi-jatim"].context["items"][0]["reference"] == complaint.reference
    assert sent["bp3mi-jatim"].context["items"][0]["direction"] == "in"
    assert sent["p4mi-tulungagung"].context["items"][0]["direction"] == "out"
    assert head.email in sent["bp3mi-jatim"].context["cc"]
    assert sent["bp3mi-jatim"].recipient == offices["bp3mi-jatim"].notification_email


def test_three_hundred_lapsed_cases_make_one_message_per_office(offices):
    # given 300 lapsed complaints at one BP3MI, swept in batches of 50
    overdue_complaints(office=offices["bp3mi-jabar"], count=300, now=NOW)

    # when
    result = complaint_escalate_overdue(now=NOW, batch_size=50)

    # then one message to the old office and one to the ministry, each counting all 300
    assert result.escalated == 300
    assert result.batches == 6
    sent = digests()
    assert set(sent) == {"bp3mi-jabar", "kemenp2mi"}
    assert sent["bp3mi-jabar"].context["counts"]["out"] == 300
    assert sent["kemenp2mi"].context["counts"]["in"] == 300
    assert len({item["reference"] for item in sent["kemenp2mi"].context["items"]}) == 300
    assert all(row.next_attempt_at <= NOW + timedelta(minutes=5) for row in sent.values())


def test_sweep_twice_changes_nothing_the_second_time(offices):
    # given
    overdue_complaints(office=offices["p4mi-tulungagung"], count=20, now=NOW)
    complaint_escalate_overdue(now=NOW)
    snapshot = list(Complaint.objects.order_by("id").values("office_id", "escalation_level"))
    counts = (ComplaintEvent.objects.count(), Notification.objects.count())

    # when the same sweep runs again
    result = complaint_escalate_overdue(now=NOW)

    # then
    assert (result.escalated, result.renotified) == (0, 0)
    assert list(Complaint.objects.order_by("id").values("office_id", "escalation_level")) == (
        snapshot
    )
    assert (ComplaintEvent.objects.count(), Notification.objects.count()) == counts


def test_climbs_the_whole_ladder_one_level_per_lapse(offices):
    # given
    (complaint,) = overdue_complaints(office=offices["p4mi-tulungagung"], count=1, now=NOW)

    # when the sweep runs now and again after each grace period lapsed
    complaint_escalate_overdue(now=NOW)
    complaint_escalate_overdue(now=NOW + timedelta(days=3))

    # then post → BP3MI → ministry, one event per level
    complaint.refresh_from_db()
    assert complaint.office == offices["kemenp2mi"]
    assert complaint.escalation_level == 2
    assert list(
        ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.ESCALATION)
        .order_by("level")
        .values_list("level", flat=True)
    ) == [1, 2]


def test_top_of_ladder_renotifies_once_per_working_day(offices):
    # given a lapsed complaint already at the ministry
    (complaint,) = overdue_complaints(
        office=offices["kemenp2mi"], count=1, now=NOW, escalation_level=2
    )

    # when swept twice on Wednesday, then on Saturday, then on Monday
    wednesday = complaint_escalate_overdue(now=NOW)
    wednesday_again = complaint_escalate_overdue(now=NOW + timedelta(hours=2))
    saturday = complaint_escalate_overdue(now=NOW + timedelta(days=3))
    monday = complaint_escalate_overdue(now=NOW + timedelta(days=5))

    # then it stays overdue at the ministry, notified on each working day only
    assert [r.renotified for r in (wednesday, wednesday_again, saturday, monday)] == [1, 0, 0, 1]
    complaint.refresh_from_db()
    assert complaint.office == offices["kemenp2mi"]
    assert complaint.escalation_level == 2
    assert complaint.due_at < NOW
    assert Notification.objects.filter(office=offices["kemenp2mi"]).count() == 2
    assert not ComplaintEvent.objects.filter(complaint=complaint).exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.WAITING_REPORTER},
        {"status": Status.RESOLVED},
        {"status": Status.CLOSED},
        {"status": Status.REJECTED},
    ],
    ids=["paused", "resolved", "closed", "rejected"],
)
def test_paused_and_finished_complaints_are_left_alone(offices, fields):
    # given
    overdue_complaints(office=offices["p4mi-tulungagung"], count=3, now=NOW, **fields)

    # when
    result = complaint_escalate_overdue(now=NOW)

    # then
    assert result.escalated == 0
    assert not Notification.objects.exists()


def test_the_backlog_count_is_exactly_what_the_sweep_moves(offices):
    # given lapsed complaints with the clock running, lapsed ones whose clock is paused, ones not
    # due yet and finished ones, in two offices
    post, bp3mi = offices["p4mi-tulungagung"], offices["bp3mi-jatim"]
    rows = [
        *overdue_complaints(office=post, count=3, now=NOW),
        *overdue_complaints(office=bp3mi, count=2, now=NOW),
        *overdue_complaints(office=post, count=2, now=NOW, paused_at=NOW - timedelta(hours=2)),
        *overdue_complaints(office=bp3mi, count=2, now=NOW + timedelta(days=3)),
        *overdue_complaints(office=post, count=1, now=NOW, status=Status.RESOLVED),
    ]
    # the rule, from its definition: open, the office deadline passed, the clock not paused
    expected = sum(
        1
        for row in rows
        if row.status in (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS)
        and row.due_at <= NOW
        and row.paused_at is None
    )
    assert expected == 5

    # when the backlog is counted, then swept
    backlog = complaint_overdue_count(now=NOW)
    result = complaint_escalate_overdue(now=NOW)

    # then the count promised exactly what the sweep moved
    assert backlog == expected
    assert result.escalated == expected
    assert complaint_overdue_count(now=NOW) == 0


def test_nothing_overdue_costs_one_query(offices, django_assert_num_queries):
    # given complaints that are not due yet
    overdue_complaints(office=offices["bp3mi-jatim"], count=5, now=NOW - timedelta(days=1))

    # when / then
    with django_assert_num_queries(1):
        result = complaint_escalate_overdue(now=NOW - timedelta(days=2))
    assert result.escalated == 0


def test_queries_grow_with_batches_not_rows(offices, django_assert_max_num_queries):
    # given 200 lapsed complaints across two offices
    overdue_complaints(office=offices["p4mi-tulungagung"], count=100, now=NOW)
    overdue_complaints(office=offices["bp3mi-jabar"], count=100, now=NOW)

    # when swept in 4 batches of 50
    with django_assert_max_num_queries(40):
        result = complaint_escalate_overdue(now=NOW, batch_size=50)

    # then
    assert result.escalated == 200
    assert result.batches == 4


def test_management_command_prints_how_many_escalated(offices, capsys):
    # given two lapsed complaints (deadline an hour ago, relative to the real clock)
    from django.utils import timezone

    overdue_complaints(office=offices["bp3mi-jatim"], count=2, now=timezone.now())

    # when
    call_command("escalate_overdue")

    # then
    assert "Escalated 2 complaint(s)" in capsys.readouterr().out
