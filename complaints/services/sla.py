"""SLA clocks: working-day deadlines, pauses, and the deadline in force on each complaint.

Workflow: intake calls `complaint_initial_deadline` to start the clock; triage calls
`complaint_sla_on_status_change` on every status change (pause while waiting for the reporter,
resume when they answer, a new clock per stage); the escalation sweep only compares the stored
`due_at` with now, so it never computes a calendar per row.

Time model. A working day is a weekday that is not a national holiday or collective leave day in
the `Holiday` table (seeded from lokal-id, extended by admins). Clocks count *working seconds*:
every second of a working day counts, nothing of a weekend or holiday does, all in Asia/Jakarta.
So "3 working days" from Friday 10:00 ends Wednesday 10:00, and from Saturday 10:00 it ends at the
end of Wednesday: a deadline extends over non-working days and never shortens. Urgent first
responses are counted in plain hours, day and night, because a worker in danger does not wait for
Monday. A pause stores the working seconds left and gives them back on resume.
"""

from __future__ import annotations

import logging
import time as time_module
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from complaints.choices import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    HolidayKind,
    Priority,
    SlaStage,
    Status,
    WaitingReason,
)
from complaints.models import Category, Complaint, Holiday, SlaPolicy

logger = logging.getLogger(__name__)

# Indonesia's civil service works in Western Indonesia Time; offices in WITA/WIT follow the
# ministry's national calendar, so one zone keeps every office's deadline comparable.
SLA_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Jakarta")
SECONDS_PER_DAY = 86_400
# Categories that need field work (a visit abroad, a shelter check) get this many working days
# to resolve unless an admin set a category policy: Perban BP2MI 6/2024 allows 60.
FIELD_WORK_RESOLVE_WORKING_DAYS = 60
# Waiting for documents pauses the clock like waiting for the reporter; the reason decides the
# closure rule (see closure.py).
PAUSED_STATUSES = (Status.WAITING_REPORTER,)
# Walking a calendar further than this is a bug (e.g. a year of holidays entered by mistake).
MAX_CALENDAR_WALK_DAYS = 3 * 366

_STAGE_ORDER = {SlaStage.VERIFICATION: 0, SlaStage.FIRST_RESPONSE: 1, SlaStage.RESOLUTION: 2}
_STATUS_STAGE = {
    Status.RECEIVED: SlaStage.VERIFICATION,
    Status.VERIFIED: SlaStage.FIRST_RESPONSE,
    Status.IN_PROGRESS: SlaStage.RESOLUTION,
}


# --- the calendar ------------------------------------------------------------------------------


@dataclass
class WorkingCalendar:
    """Holidays of the years it has loaded; counts working seconds in Asia/Jakarta."""

    holidays: set[date] = field(default_factory=set)
    known_years: set[int] = field(default_factory=set)
    loaded_years: set[int] = field(default_factory=set)
    missing_years: set[int] = field(default_factory=set)
    from_database: bool = True

    def _ensure_year(self, year: int) -> None:
        if year in self.loaded_years:
            return
        self.loaded_years.add(year)
        if self.from_database:
            days = _holidays_of_year(year)
            self.holidays.update(days)
            if days:
                self.known_years.add(year)
        if year not in self.known_years and year not in self.missing_years:
            self.missing_years.add(year)
            logger.warning(
                "No holiday calendar for %s: SLA deadlines in that year count weekdays only. "
                "Add the year's holidays in the admin (SLA → Holidays).",
                year,
            )

    def is_working_day(self, day: date) -> bool:
        self._ensure_year(day.year)
        return day.weekday() < 5 and day not in self.holidays

    def add_working_seconds(self, start: datetime, seconds: int) -> datetime:
        """The moment `seconds` of working time after `start` (aware); never before `start`."""
        local = start.astimezone(SLA_TIME_ZONE)
        day = local.date()
        offset = (local - datetime.combine(day, time(), SLA_TIME_ZONE)).total_seconds()
        remaining = float(max(0, seconds))
        for _step in range(MAX_CALENDAR_WALK_DAYS):
            if self.is_working_day(day):
                available = SECONDS_PER_DAY - offset
                if remaining <= available:
                    moment = datetime.combine(day, time(), SLA_TIME_ZONE) + timedelta(
                        seconds=offset + remaining
                    )
                    return max(moment, start)
                remaining -= available
            day += timedelta(days=1)
            offset = 0.0
        raise ValueError("the working calendar has no working day within three years")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        return self.add_working_seconds(start, days * SECONDS_PER_DAY)

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        """Working seconds from `start` to `end`; 0 when `end` is not after `start`."""
        if end <= start:
            return 0
        local_start = start.astimezone(SLA_TIME_ZONE)
        local_end = end.astimezone(SLA_TIME_ZONE)
        total = 0.0
        day = local_start.date()
        for _step in range(MAX_CALENDAR_WALK_DAYS):
            if day > local_end.date():
                break
            day_start = datetime.combine(day, time(), SLA_TIME_ZONE)
            day_end = day_start + timedelta(days=1)
            if self.is_working_day(day):
                lower = max(day_start, local_start)
                upper = min(day_end, local_end)
                total += max(0.0, (upper - lower).total_seconds())
            day += timedelta(days=1)
        return round(total)

    def next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


# Holidays change a few times a year; reading them once per process per five minutes keeps the
# submit path's query count constant. Edits in this process apply at once (signals below), in
# other processes within this time.
HOLIDAY_CACHE_SECONDS = 300
_holiday_cache: dict[int, tuple[float, frozenset[date]]] = {}


def _holidays_of_year(year: int) -> frozenset[date]:
    cached = _holiday_cache.get(year)
    if cached is not None and cached[0] > time_module.monotonic():
        return cached[1]
    days = frozenset(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
    _holiday_cache[year] = (time_module.monotonic() + HOLIDAY_CACHE_SECONDS, days)
    return days


@receiver([post_save, post_delete], sender=Holiday)
def holiday_cache_clear(**_kwargs) -> None:
    _holiday_cache.clear()


def calendar_load() -> WorkingCalendar:
    """A calendar backed by the Holiday table; years are loaded on first use (one query each)."""
    return WorkingCalendar()


def holiday_calendar_missing_years(*, now: datetime | None = None) -> list[int]:
    """This year and next, when they have no holidays: what the admin warns about."""
    today = (now or timezone.now()).astimezone(SLA_TIME_ZONE).date()
    wanted = {today.year, today.year + 1}
    present = set(
        Holiday.objects.filter(date__year__in=wanted)
        .values_list("date__year", flat=True)
        .distinct()
    )
    return sorted(wanted - present)


def sla_local_today(now: datetime) -> date:
    return now.astimezone(SLA_TIME_ZONE).date()


@transaction.atomic
def holiday_seed_from_lokal() -> dict[str, int]:
    """Copy lokal-id's national holidays and collective leave (2026-2027) into the Holiday table.

    Idempotent; dates admins already entered keep their name and kind.
    """
    from lokal.holidays import HOLIDAY_YEARS, get_holidays

    kinds = {"libur_nasional": HolidayKind.NATIONAL, "cuti_bersama": HolidayKind.COLLECTIVE_LEAVE}
    rows = []
    for year in HOLIDAY_YEARS:
        for holiday in get_holidays(year).holidays:
            rows.append(
                Holiday(
                    date=date.fromisoformat(holiday.date),
                    name=holiday.name[:160],
                    kind=kinds.get(holiday.type, HolidayKind.NATIONAL),
                )
            )
    before = Holiday.objects.count()
    Holiday.objects.bulk_create(rows, ignore_conflicts=True)
    holiday_cache_clear()
    return {"created": Holiday.objects.count() - before, "total": Holiday.objects.count()}


# --- policies ----------------------------------------------------------------------------------


def sla_policy_for(*, category: Category, priority: str = "") -> SlaPolicy:
    """The category's active policy, else the priority's, else the default row, else defaults.

    One query whatever the number of policies.
    """
    policies = list(
        SlaPolicy.objects.filter(is_active=True).filter(
            Q(category=category) | Q(category__isnull=True, priority__in=[priority or "", ""])
        )
    )
    for wanted in (
        lambda p: p.category_id == category.pk,
        lambda p: p.category_id is None and priority and p.priority == priority,
        lambda p: p.category_id is None and p.priority == "",
    ):
        for policy in policies:
            if wanted(policy):
                return policy
    policy = SlaPolicy()
    if category.needs_field_work:
        policy.resolve_working_days = FIELD_WORK_RESOLVE_WORKING_DAYS
    return policy


def _uses_hours(*, is_urgent: bool, stage: str) -> bool:
    # Urgent cases count plain hours until someone has answered; resolving them is casework.
    return is_urgent and stage != SlaStage.RESOLUTION


def _stage_deadline(
    *,
    policy: SlaPolicy,
    stage: str,
    is_urgent: bool,
    start: datetime,
    calendar: WorkingCalendar,
) -> datetime:
    if _uses_hours(is_urgent=is_urgent, stage=stage):
        return start + timedelta(hours=policy.urgent_first_response_hours)
    days = {
        SlaStage.VERIFICATION: policy.verify_working_days,
        SlaStage.FIRST_RESPONSE: policy.first_response_working_days,
        SlaStage.RESOLUTION: policy.resolve_working_days,
    }[SlaStage(stage)]
    return calendar.add_working_days(start, days)


# --- the clock on a complaint --------------------------------------------------------------------


def complaint_initial_deadline(
    *, category: Category, is_urgent: bool, now: datetime, priority: str = ""
) -> tuple[str, datetime]:
    """The first SLA stage and deadline of a new complaint: (sla_stage, due_at).

    Normal complaints start with verification (3 working days by default, as SP4N-LAPOR!).
    Urgent ones (the reporter is in danger, or the category is critical) skip to the first
    response, due in hours (4 by default), counted day and night.
    """
    urgent = is_urgent or category.is_urgent or priority == Priority.URGENT
    policy = sla_policy_for(category=category, priority=priority or category.default_priority)
    stage = SlaStage.FIRST_RESPONSE if urgent else SlaStage.VERIFICATION
    due_at = _stage_deadline(
        policy=policy, stage=stage, is_urgent=urgent, start=now, calendar=calendar_load()
    )
    return stage.value, due_at


def complaint_sla_on_status_change(
    complaint: Complaint, new_status: str, now: datetime
) -> list[str]:
    """Move the complaint's SLA clock for a status change; return the fields it changed.

    Call it from the one status-change service *before* saving, with the old status still on
    `complaint.status`, and save with `update_fields` including the returned names. It does not
    save and does not change `status` itself. The rules:

    - to waiting_reporter: the clock pauses; the working seconds left are kept, `due_at` cleared.
    - from waiting_reporter back to an open status: the clock resumes with the time left (a
      later stage, e.g. verified → in_progress, starts its own full clock instead).
    - to verified / in_progress: a new clock for first response / resolution starts now, unless
      the complaint is already at that stage or a later one (escalation keeps its deadline).
    - to resolved / closed / rejected / duplicate: the clock stops (`due_at` cleared).
    """
    old_status = complaint.status
    changed: set[str] = set()
    calendar = calendar_load()
    urgent = complaint.is_urgent or complaint.category.is_urgent

    if new_status in PAUSED_STATUSES:
        return sorted(complaint_clock_pause(complaint, now))

    if new_status in TERMINAL_STATUSES or new_status == Status.RESOLVED:
        complaint.due_at = None
        complaint.paused_at = None
        complaint.paused_remaining_seconds = None
        complaint.waiting_reason = ""
        complaint.closure_proposed_at = None
        return sorted(
            {
                "closure_proposed_at",
                "due_at",
                "paused_at",
                "paused_remaining_seconds",
                "waiting_reason",
            }
        )

    if new_status not in OPEN_STATUSES:
        return []

    target_stage = _STATUS_STAGE[Status(new_status)]
    current_stage = SlaStage(complaint.sla_stage or SlaStage.VERIFICATION)
    later_stage = _STAGE_ORDER[target_stage] > _STAGE_ORDER[current_stage]
    resuming = old_status in PAUSED_STATUSES or complaint.paused_at is not None
    reopening = old_status == Status.RESOLVED or old_status in TERMINAL_STATUSES

    if later_stage or reopening or (complaint.due_at is None and not resuming):
        policy = sla_policy_for(category=complaint.category, priority=complaint.priority)
        stage = target_stage if later_stage or reopening else current_stage
        complaint.sla_stage = stage
        complaint.due_at = _stage_deadline(
            policy=policy, stage=stage, is_urgent=urgent, start=now, calendar=calendar
        )
        changed |= {"sla_stage", "due_at"}
    elif resuming:
        changed |= set(complaint_clock_resume(complaint, now))
    if complaint.paused_at is not None or complaint.paused_remaining_seconds is not None:
        complaint.paused_at = None
        complaint.paused_remaining_seconds = None
        changed |= {"paused_at", "paused_remaining_seconds"}
    if complaint.waiting_reason or complaint.closure_proposed_at:
        complaint.waiting_reason = ""
        complaint.closure_proposed_at = None
        changed |= {"waiting_reason", "closure_proposed_at"}
    if changed & {"due_at"}:
        # A new deadline: the top of the ladder may notify again once it lapses.
        complaint.overdue_notified_on = None
        changed.add("overdue_notified_on")
    return sorted(changed)


def _remaining_seconds(*, complaint: Complaint, now: datetime, calendar: WorkingCalendar) -> int:
    if complaint.due_at is None or complaint.due_at <= now:
        return 0
    urgent = complaint.is_urgent or complaint.category.is_urgent
    if _uses_hours(is_urgent=urgent, stage=complaint.sla_stage):
        return int((complaint.due_at - now).total_seconds())
    return calendar.working_seconds_between(now, complaint.due_at)


def escalation_next_deadline(
    *, grace_working_days: int, now: datetime, calendar: WorkingCalendar
) -> datetime:
    """The deadline an office gets when a complaint lands on it by escalation."""
    return calendar.add_working_days(now, grace_working_days)


def complaint_due_at_for_stage(*, complaint: Complaint, start: datetime) -> datetime:
    """The deadline of the complaint's current `sla_stage` when its clock starts at `start`."""
    policy = sla_policy_for(category=complaint.category, priority=complaint.priority)
    urgent = complaint.is_urgent or complaint.category.is_urgent
    return _stage_deadline(
        policy=policy,
        stage=complaint.sla_stage or SlaStage.VERIFICATION,
        is_urgent=urgent,
        start=start,
        calendar=calendar_load(),
    )


def complaint_clock_pause(
    complaint: Complaint, now: datetime, reason: str = WaitingReason.REPORTER
) -> list[str]:
    """Pause the clock (waiting for the reporter or for documents); keep the working time left.

    `reason` decides the closure rule (60 days for the reporter, 30 for documents). Does not
    save; returns the changed fields. Pausing a paused clock changes nothing.
    """
    if complaint.paused_at is not None:
        return []
    complaint.waiting_reason = reason
    if complaint.due_at is None:
        complaint.paused_at = now
        complaint.paused_remaining_seconds = 0
        return ["paused_at", "paused_remaining_seconds", "waiting_reason"]
    complaint.paused_remaining_seconds = _remaining_seconds(
        complaint=complaint, now=now, calendar=calendar_load()
    )
    complaint.paused_at = now
    complaint.due_at = None
    return ["due_at", "paused_at", "paused_remaining_seconds", "waiting_reason"]


def complaint_clock_resume(complaint: Complaint, now: datetime) -> list[str]:
    """Resume a paused clock with the working time it had left. Does not save."""
    if complaint.paused_at is None:
        return []
    remaining = complaint.paused_remaining_seconds or 0
    urgent = complaint.is_urgent or complaint.category.is_urgent
    if _uses_hours(is_urgent=urgent, stage=complaint.sla_stage):
        complaint.due_at = now + timedelta(seconds=remaining)
    else:
        complaint.due_at = calendar_load().add_working_seconds(now, remaining)
    complaint.paused_at = None
    complaint.paused_remaining_seconds = None
    complaint.overdue_notified_on = None
    # The reporter answered: a pending closure proposal no longer applies.
    complaint.waiting_reason = ""
    complaint.closure_proposed_at = None
    return [
        "closure_proposed_at",
        "due_at",
        "overdue_notified_on",
        "paused_at",
        "paused_remaining_seconds",
        "waiting_reason",
    ]
