"""The service standard: targets from receipt, never reset by escalation; breaches recorded once.

Every expected instant comes from tests/complaints/standard_oracle.py (its own working-day walk
over the holiday list written below, its own policy choice over the rows these tests create).
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.choices import Priority, Status
from complaints.models import Complaint, Holiday, SlaPolicy
from complaints.selectors import (
    complaint_breached_between_q,
    complaint_past_standard_q,
    complaint_standard_state,
)
from complaints.services.escalation import complaint_escalate_overdue
from complaints.services.intake import complaint_submit
from complaints.services.sla import (
    complaint_standard_backfill,
    complaint_standard_breaches_record_due,
    holiday_cache_clear,
    sla_targets_for,
    sla_working_days_between,
)
from complaints.services.triage import complaint_change_status, complaint_reply
from tests.complaints.factories import (
    CategoryFactory,
    complaint_input,
)
from tests.complaints.standard_oracle import (
    DAY,
    OracleComplaint,
    Policy,
    add_working_seconds,
    jakarta,
    policy_of,
    working_seconds,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db]

# Written by hand for these tests (not lokal-id's list): a long weekend, a mid-week holiday and
# a block of collective leave.
HOLIDAYS = {
    date(2027, 3, 10),  # Wednesday
    date(2027, 3, 26),  # Friday
    date(2027, 3, 29),  # Monday
    date(2027, 4, 6),
    date(2027, 4, 7),
    date(2027, 4, 8),
    date(2027, 5, 13),
}
# The policy rows these tests create: a default row, one for high priority, one per category.
DEFAULT = Policy(verify=2, first_response=4, resolve=9, urgent_hours=6)
HIGH = Policy(verify=1, first_response=3, resolve=7, urgent_hours=6)
OWN = Policy(verify=4, first_response=6, resolve=20, urgent_hours=2)


def _holidays_install(days: set[date]) -> None:
    Holiday.objects.all().delete()
    for day in sorted(days):
        Holiday.objects.create(date=day, name="Libur uji", kind="national")
    holiday_cache_clear()


@pytest.fixture
def standard(offices):
    """Own holidays, own policies, three categories: plain, field work, with its own policy."""
    _holidays_install(HOLIDAYS)
    SlaPolicy.objects.all().delete()
    SlaPolicy.objects.create(
        priority="",
        verify_working_days=DEFAULT.verify,
        first_response_working_days=DEFAULT.first_response,
        resolve_working_days=DEFAULT.resolve,
        urgent_first_response_hours=DEFAULT.urgent_hours,
    )
    SlaPolicy.objects.create(
        priority=Priority.HIGH,
        verify_working_days=HIGH.verify,
        first_response_working_days=HIGH.first_response,
        resolve_working_days=HIGH.resolve,
        urgent_first_response_hours=HIGH.urgent_hours,
    )
    plain = CategoryFactory(slug="std-plain")
    field = CategoryFactory(slug="std-field", needs_field_work=True)
    own = CategoryFactory(slug="std-own", default_priority=Priority.HIGH)
    SlaPolicy.objects.create(
        category=own,
        verify_working_days=OWN.verify,
        first_response_working_days=OWN.first_response,
        resolve_working_days=OWN.resolve,
        urgent_first_response_hours=OWN.urgent_hours,
    )
    yield {"plain": plain, "field": field, "own": own}
    holiday_cache_clear()


def _policy(slug: str, priority: str) -> Policy:
    return policy_of(
        category_slug=slug,
        priority=priority,
        field_work=slug == "std-field",
        by_category={"std-own": OWN},
        by_priority={"": DEFAULT, Priority.HIGH: HIGH},
    )


@pytest.fixture
def minister():
    return UserFactory(is_staff=True, is_superuser=True)


def _submit(slug: str, at, **fields) -> Complaint:
    with time_machine.travel(at, tick=False):
        return complaint_submit(data=complaint_input(category=slug, **fields)).complaint


def _at(moment, action, *args, **kwargs):
    with time_machine.travel(moment, tick=False):
        return action(*args, **kwargs)


# --- targets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "received"),
    [
        ("std-plain", jakarta(2027, 3, 9, 15, 30)),  # Tuesday, a holiday on Wednesday
        ("std-plain", jakarta(2027, 3, 25, 10)),  # Thursday before a long weekend
        ("std-field", jakarta(2027, 3, 27, 11)),  # Saturday of the long weekend
        ("std-own", jakarta(2027, 4, 5, 23, 59)),  # Monday night before collective leave
    ],
)
def test_submit_counts_each_target_in_working_days_from_receipt(standard, slug, received):
    # given the policy of the category, from the rows the fixture created
    policy = _policy(slug, Priority.HIGH if slug == "std-own" else Priority.NORMAL)

    # when a complaint is received
    complaint = _submit(slug, received)

    # then each target is its number of working days after receipt, on the hand-written calendar
    def days(n):
        return add_working_seconds(received, n * DAY, HOLIDAYS)

    assert complaint.standard_verify_due_at == days(policy.verify)
    assert complaint.standard_first_response_due_at == days(policy.first_response)
    assert complaint.standard_resolve_due_at == days(policy.resolve)
    assert complaint.due_at == complaint.standard_verify_due_at  # the first office's deadline


def test_field_work_category_without_own_policy_has_sixty_working_days_to_resolve(standard):
    received = jakarta(2027, 3, 1, 9)
    complaint = _submit("std-field", received)
    assert complaint.standard_resolve_due_at == add_working_seconds(received, 60 * DAY, HOLIDAYS)


def test_in_danger_skips_verification_and_answers_in_plain_hours_over_a_holiday(standard):
    # given a Friday holiday evening
    received = jakarta(2027, 3, 26, 20)
    # when the reporter says they are in danger now
    complaint = _submit("std-plain", received, in_danger=True)
    # then no verification stage; the first response is due six hours later, at night
    assert complaint.standard_verify_due_at is None
    assert complaint.standard_first_response_due_at == received + timedelta(hours=6)
    resolve_days = _policy("std-plain", Priority.URGENT).resolve
    assert complaint.standard_resolve_due_at == add_working_seconds(
        received, resolve_days * DAY, HOLIDAYS
    )


def test_sla_targets_for_and_working_days_agree_with_the_oracle(standard):
    received = jakarta(2027, 4, 2, 16)
    targets = sla_targets_for(
        category=standard["plain"], priority=Priority.NORMAL, is_urgent=False, received_at=received
    )
    assert targets["resolution"] == add_working_seconds(received, DEFAULT.resolve * DAY, HOLIDAYS)
    end = jakarta(2027, 5, 20, 8)
    assert sla_working_days_between(start=received, end=end) == pytest.approx(
        working_seconds(received, end, HOLIDAYS) / DAY
    )
    assert sla_working_days_between(start=end, end=received) == 0


# --- escalation never moves the standard; the sweep records breaches once -----------------------


def test_escalation_moves_the_office_but_never_the_targets_and_records_the_miss(standard):
    # given a complaint at a post whose verification target passed unmet
    received = jakarta(2027, 3, 1, 9)
    complaint = _submit("std-plain", received)
    targets = (
        complaint.standard_verify_due_at,
        complaint.standard_first_response_due_at,
        complaint.standard_resolve_due_at,
    )
    sweep_at = complaint.standard_verify_due_at + timedelta(hours=1)

    # when the sweep runs twice
    first = complaint_escalate_overdue(now=sweep_at)
    second = complaint_escalate_overdue(now=sweep_at + timedelta(minutes=1))

    # then it climbed one level, the targets stayed, the miss is the target itself, once
    complaint.refresh_from_db()
    assert complaint.office.code == "bp3mi-jatim"
    assert (
        complaint.standard_verify_due_at,
        complaint.standard_first_response_due_at,
        complaint.standard_resolve_due_at,
    ) == targets
    assert complaint.verify_breached_at == targets[0]
    assert complaint.first_response_breached_at is None
    assert first.breached["verification"] == 1
    assert second.as_dict()["breached"] == 0


def test_a_breach_stays_after_the_complaint_is_verified_and_resolved(standard, minister):
    # given a complaint whose verification was missed
    received = jakarta(2027, 3, 1, 9)
    complaint = _submit("std-plain", received)
    missed = complaint.standard_verify_due_at
    complaint_escalate_overdue(now=missed + timedelta(minutes=5))

    # when it is verified, taken up and resolved afterwards
    later = missed + timedelta(hours=2)
    for offset, status in enumerate([Status.VERIFIED, Status.IN_PROGRESS, Status.RESOLVED]):
        _at(
            later + timedelta(minutes=offset),
            complaint_change_status,
            complaint=complaint,
            actor=minister,
            status=status,
        )

    # then the miss is still recorded, the rest met, and it is no longer past the standard
    complaint.refresh_from_db()
    assert complaint.verify_breached_at == missed
    assert (complaint.first_response_breached_at, complaint.resolve_breached_at) == (None, None)
    now = later + timedelta(days=30)
    assert not Complaint.objects.filter(complaint_past_standard_q(now=now), pk=complaint.pk)
    assert Complaint.objects.filter(
        complaint_breached_between_q(start=missed, end=missed + timedelta(seconds=1)),
        pk=complaint.pk,
    ).exists()


def test_a_late_first_answer_records_its_breach_without_waiting_for_the_sweep(standard, minister):
    # given a complaint whose first response target passes unanswered (no sweep runs)
    complaint = _submit("std-plain", jakarta(2027, 3, 1, 9))
    target = complaint.standard_first_response_due_at
    # when staff reply a day later
    _at(
        target + timedelta(days=1),
        complaint_reply,
        complaint=complaint,
        actor=minister,
        body="Kami sedang memeriksa.",
    )
    # then the reply recorded the misses of verification and first response, at their targets
    complaint.refresh_from_db()
    assert complaint.first_response_breached_at == target
    assert complaint.verify_breached_at == complaint.standard_verify_due_at


def test_waiting_for_the_reporter_moves_unmet_targets_by_the_working_time_waited(
    standard, minister
):
    # given a complaint received Monday 1 March, paused Thursday, resumed after the long weekend
    received = jakarta(2027, 3, 1, 9)
    complaint = _submit("std-plain", received)
    oracle = OracleComplaint(received=received, policy=DEFAULT, urgent=False, holidays=HOLIDAYS)
    paused, resumed = jakarta(2027, 3, 2, 12), jakarta(2027, 3, 30, 8)

    # when
    _at(
        paused,
        complaint_change_status,
        complaint=complaint,
        actor=minister,
        status="waiting_reporter",
    )
    oracle.pause(paused)
    _at(resumed, complaint_change_status, complaint=complaint, actor=minister, status="verified")
    oracle.reach("verified", resumed, resumes=True)

    # then verification is met; the later targets moved by the working time waited
    complaint.refresh_from_db()
    assert complaint.verify_breached_at is None
    assert complaint.standard_first_response_due_at == oracle.targets["first_response"]
    assert complaint.standard_resolve_due_at == oracle.targets["resolve"]
    state = complaint_standard_state(complaint=complaint, now=resumed)
    assert state["stage"] == "first_response"
    assert state["working_days_left"] == pytest.approx(
        working_seconds(resumed, oracle.targets["first_response"], HOLIDAYS) / DAY, abs=0.01
    )


def test_nothing_passed_means_the_sweep_records_nothing(standard):
    complaint = _submit("std-plain", jakarta(2027, 3, 1, 9))
    result = complaint_escalate_overdue(now=jakarta(2027, 3, 1, 10))
    complaint.refresh_from_db()
    assert result.as_dict()["breached"] == 0
    assert complaint.verify_breached_at is None


# --- existing rows ------------------------------------------------------------------------------


def test_backfill_fills_targets_and_breaches_from_history(standard):
    # given stored complaints without targets (as before the migration)
    received = jakarta(2027, 3, 1, 9)
    on_time = _submit("std-plain", received)
    late = _submit("std-own", received)
    still_open = _submit("std-field", received)
    verified_on_time = received + timedelta(hours=5)
    Complaint.objects.filter(pk=on_time.pk).update(
        status=Status.IN_PROGRESS, verified_at=verified_on_time, first_response_at=verified_on_time
    )
    Complaint.objects.filter(pk=late.pk).update(
        status=Status.RESOLVED, resolved_at=jakarta(2027, 6, 1, 9)
    )
    Complaint.objects.all().update(
        standard_verify_due_at=None,
        standard_first_response_due_at=None,
        standard_resolve_due_at=None,
    )
    now = jakarta(2027, 5, 1, 9)

    # when
    filled = complaint_standard_backfill(now=now)

    # then
    assert filled == 3
    rows = {c.pk: c for c in Complaint.objects.all()}

    def days(slug, priority, stage):
        policy = _policy(slug, priority)
        return add_working_seconds(received, getattr(policy, stage) * DAY, HOLIDAYS)

    assert rows[on_time.pk].verify_breached_at is None
    assert rows[on_time.pk].resolve_breached_at == days("std-plain", "normal", "resolve")
    assert rows[late.pk].verify_breached_at == days("std-own", "high", "verify")
    assert rows[late.pk].resolve_breached_at == days("std-own", "high", "resolve")
    assert rows[still_open.pk].resolve_breached_at is None  # 60 working days not yet passed
    assert rows[still_open.pk].verify_breached_at == days("std-field", "normal", "verify")


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_recorders_at_once_record_each_breach_once(offices, postgres):
    # given 300 complaints whose verification target passed (committed, seen by two connections)
    from tests.complaints.sla_support import holidays_ensure, overdue_complaints

    holidays_ensure()
    now = jakarta(2027, 3, 1, 9)
    rows = overdue_complaints(office=offices["bp3mi-jatim"], count=300, now=now)
    Complaint.objects.filter(pk__in=[r.pk for r in rows]).update(
        due_at=now + timedelta(days=30), standard_verify_due_at=now - timedelta(hours=1)
    )
    counts: list[dict] = []

    def record():
        try:
            counts.append(complaint_standard_breaches_record_due(now=now, batch_size=50))
        finally:
            connection.close()

    # when two sweeps record at the same time
    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then every breach was recorded exactly once between them
    assert sum(count["verification"] for count in counts) == 300
    assert Complaint.objects.filter(verify_breached_at=now - timedelta(hours=1)).count() == 300


# --- property: whatever happens, breaches and the past-standard count equal the oracle ---------


ACTIONS = ("sweep", "pause", "verify", "progress", "reply", "resolve", "reject")
PRIORITIES = (Priority.NORMAL, Priority.HIGH)


@st.composite
def lives(draw):
    count = draw(st.integers(min_value=1, max_value=4))
    complaints = []
    for _ in range(count):
        complaints.append(
            {
                "slug": draw(st.sampled_from(["std-plain", "std-field", "std-own"])),
                "in_danger": draw(st.booleans()),
                "received_hours": draw(st.integers(min_value=0, max_value=24 * 20)),
                "steps": draw(
                    st.lists(
                        st.tuples(
                            st.sampled_from(ACTIONS), st.integers(min_value=1, max_value=24 * 8)
                        ),
                        max_size=6,
                    )
                ),
            }
        )
    extra_holidays = draw(
        st.sets(
            st.integers(min_value=0, max_value=90).map(
                lambda n: date(2027, 3, 1) + timedelta(days=n)
            ),
            max_size=6,
        )
    )
    horizon = draw(st.integers(min_value=0, max_value=24 * 60))
    return complaints, extra_holidays, horizon


_ALLOWED = {
    "pause": {Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS},
    "verify": {Status.RECEIVED, Status.WAITING_REPORTER},
    "progress": {Status.VERIFIED, Status.WAITING_REPORTER},
    "reply": {Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS, Status.WAITING_REPORTER},
    "resolve": {Status.IN_PROGRESS},
    "reject": {Status.RECEIVED, Status.VERIFIED, Status.WAITING_REPORTER},
}
_TARGET_STATUS = {
    "pause": Status.WAITING_REPORTER,
    "verify": Status.VERIFIED,
    "progress": Status.IN_PROGRESS,
    "resolve": Status.RESOLVED,
    "reject": Status.REJECTED,
}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=lives())
def test_recorded_breaches_and_past_standard_count_equal_the_oracle(standard, minister, case):
    complaints, extra_holidays, horizon = case
    holidays = HOLIDAYS | extra_holidays
    start = jakarta(2027, 3, 1, 8)
    with transaction.atomic():
        _holidays_install(holidays)
        pairs = []
        for spec in complaints:
            received = start + timedelta(hours=spec["received_hours"])
            complaint = _submit(spec["slug"], received, in_danger=spec["in_danger"])
            priority = complaint.priority
            oracle = OracleComplaint(
                received=received,
                policy=_policy(spec["slug"], priority),
                urgent=spec["in_danger"],
                holidays=holidays,
            )
            moment = received
            for action, hours in spec["steps"]:
                moment += timedelta(hours=hours)
                complaint.refresh_from_db()
                if action == "sweep":
                    complaint_escalate_overdue(now=moment)
                    oracle.look(moment)
                    continue
                if complaint.status not in _ALLOWED[action]:
                    continue
                if action == "reply":
                    _at(moment, complaint_reply, complaint=complaint, actor=minister, body="Ok.")
                    oracle.reach("first_response", moment)
                    continue
                _at(
                    moment,
                    complaint_change_status,
                    complaint=complaint,
                    actor=minister,
                    status=_TARGET_STATUS[action],
                )
                if action == "pause":
                    oracle.pause(moment)
                elif action in ("verify", "progress"):
                    oracle.reach("verified", moment, resumes=True)
                elif action == "resolve":
                    oracle.finish(moment, resolved=True)
                else:
                    oracle.finish(moment, resolved=False)
            pairs.append((complaint, oracle, moment))
        end = max(moment for _c, _o, moment in pairs) + timedelta(hours=horizon)

        # when the sweep runs at the end
        complaint_escalate_overdue(now=end)

        # then each complaint's recorded misses and the past-standard count equal the oracle
        for complaint, oracle, _moment in pairs:
            oracle.look(end)
            complaint.refresh_from_db()
            assert (
                complaint.verify_breached_at,
                complaint.first_response_breached_at,
                complaint.resolve_breached_at,
            ) == (
                oracle.missed["verify"],
                oracle.missed["first_response"],
                oracle.missed["resolve"],
            ), (complaint.status, oracle.targets)
        ids = [complaint.pk for complaint, _o, _m in pairs]
        past = Complaint.objects.filter(complaint_past_standard_q(now=end), pk__in=ids).count()
        assert past == sum(oracle.past_standard(end) for _c, oracle, _m in pairs)
        transaction.set_rollback(True)
    holiday_cache_clear()
