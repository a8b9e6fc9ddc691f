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

import copy
import logging
import time as time_module
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.db import transaction
from django.db.models import F, Q, QuerySet
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
    _prefix: dict[date, int] = field(default_factory=dict, repr=False)
    _prefix_bounds: list[date] = field(default_factory=list, repr=False)
    _fast: dict[tuple[object, ...], tuple[str, Any]] = field(default_factory=dict, repr=False)

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

    def add_working_seconds(self, *, start: datetime, seconds: int) -> datetime:
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

    def latest_start_before(self, *, end: datetime, seconds: int) -> datetime:
        """The latest moment from which at least `seconds` (> 0) of working time pass before
        `end`: working_seconds_between(start=m, end=end) >= seconds exactly for m <= it. So
        the working age at `end` is below a bound exactly for moments after it, which lets a
        query compare timestamps instead of computing every row's age."""
        if seconds <= 0:
            raise ValueError("seconds must be positive")
        local = end.astimezone(SLA_TIME_ZONE)
        day = local.date()
        available = (local - datetime.combine(day, time(), SLA_TIME_ZONE)).total_seconds()
        remaining = float(seconds)
        for _step in range(MAX_CALENDAR_WALK_DAYS):
            if self.is_working_day(day):
                if remaining <= available:
                    start_of_day = datetime.combine(day, time(), SLA_TIME_ZONE)
                    return start_of_day + timedelta(seconds=available - remaining)
                remaining -= available
            day -= timedelta(days=1)
            available = float(SECONDS_PER_DAY)
        raise ValueError("the working calendar has no working day within three years")

    def add_working_days(self, *, start: datetime, days: int) -> datetime:
        return self.add_working_seconds(start=start, seconds=days * SECONDS_PER_DAY)

    def working_seconds_between(self, *, start: datetime, end: datetime) -> int:
        """Working seconds from `start` to `end`; 0 when `end` is not after `start`."""
        if end <= start:
            return 0
        local_start = start.astimezone(SLA_TIME_ZONE)
        local_end = end.astimezone(SLA_TIME_ZONE)
        first, last = local_start.date(), local_end.date()
        if first == last:
            return (
                round((local_end - local_start).total_seconds())
                if self.is_working_day(first)
                else 0
            )
        total = 0.0
        if self.is_working_day(first):
            next_midnight = datetime.combine(first + timedelta(days=1), time(), SLA_TIME_ZONE)
            total += (next_midnight - local_start).total_seconds()
        if self.is_working_day(last):
            total += (local_end - datetime.combine(last, time(), SLA_TIME_ZONE)).total_seconds()
        total += SECONDS_PER_DAY * (
            self._working_days_before(last) - self._working_days_before(first + timedelta(days=1))
        )
        return round(total)

    def _working_days_before(self, day: date) -> int:
        """Working days from the first day this calendar counted up to `day` (exclusive): a
        running count, so spans of a year cost one dictionary read, not a walk (oversight
        computes medians over a million complaints with it)."""
        prefix = self._prefix
        if day in prefix:
            return prefix[day]
        if not prefix:
            prefix[day] = 0
            self._prefix_bounds = [day, day]
            return 0
        low, high = self._prefix_bounds
        if day > high:
            count, cursor = prefix[high], high
            while cursor < day:
                count += self.is_working_day(cursor)
                cursor += timedelta(days=1)
                prefix[cursor] = count
            self._prefix_bounds[1] = day
            return count
        count, cursor = prefix[low], low
        while cursor > day:
            cursor -= timedelta(days=1)
            count -= self.is_working_day(cursor)
            prefix[cursor] = count
        self._prefix_bounds[0] = day
        return count

    def add_working_days_fast(self, *, start: datetime, days: int) -> datetime:
        """`add_working_days` with a memory per (local day, days): bulk fills compute a million
        targets from a few hundred distinct days. The result moves with `start` within a
        working day (same time of day, days later; Asia/Jakarta has no summer time) and is a
        fixed instant from a non-working day or midnight, so both cases are cached exactly."""
        local = start.astimezone(SLA_TIME_ZONE)
        day = local.date()
        at_midnight = local.time() == time() and local.utcoffset() is not None
        key = (day, at_midnight, days)
        cached: tuple[str, Any] | None = self._fast.get(key)
        if cached is None:
            result: datetime = self.add_working_days(start=start, days=days)
            if self.is_working_day(day) and not at_midnight:
                cached = ("shift", result - start)
            else:
                cached = ("fixed", result)
            self._fast[key] = cached
        kind, value = cached
        if kind == "shift":
            return start + cast(timedelta, value)
        return cast(datetime, value)

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
def holiday_cache_clear(**_kwargs: object) -> None:
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


def sla_local_today(*, now: datetime) -> date:
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
    return _policy_choose(policies, category=category, priority=priority)


def _policy_choose(policies: list[SlaPolicy], *, category: Category, priority: str) -> SlaPolicy:
    """The category's policy, else the priority's, else the default row, else the defaults.
    Field work (a visit abroad) gets 60 working days to resolve unless the category has a
    policy of its own."""
    chosen: SlaPolicy | None = None
    wanted: Callable[[SlaPolicy], object]
    for wanted in (
        lambda p: p.category_id == category.pk,
        lambda p: p.category_id is None and priority and p.priority == priority,
        lambda p: p.category_id is None and p.priority == "",
    ):
        chosen = next((policy for policy in policies if wanted(policy)), None)
        if chosen is not None:
            break
    if chosen is not None and chosen.category_id is not None:
        return chosen
    if chosen is None:
        chosen = SlaPolicy()
    if category.needs_field_work and chosen.resolve_working_days < (
        FIELD_WORK_RESOLVE_WORKING_DAYS
    ):
        chosen = copy.copy(chosen)
        chosen.resolve_working_days = FIELD_WORK_RESOLVE_WORKING_DAYS
    return chosen


class SlaPolicyBook:
    """Every active policy, read once: the policy of many complaints without a query each
    (the sweep, the backfill, the demo load)."""

    def __init__(self, policies: list[SlaPolicy] | None = None) -> None:
        if policies is None:
            policies = list(SlaPolicy.objects.filter(is_active=True))
        self.policies = policies
        self._chosen: dict[tuple[int, str], SlaPolicy] = {}

    def policy_for(self, *, category: Category, priority: str) -> SlaPolicy:
        key = (category.pk, priority or "")
        if key not in self._chosen:
            self._chosen[key] = _policy_choose(
                self.policies, category=category, priority=priority or category.default_priority
            )
        return self._chosen[key]


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
    return calendar.add_working_days(start=start, days=days)


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
    stage = SlaStage.FIRST_RESPONSE if urgent else SlaStage.VERIFICATION
    # The first office's deadline is the standard's first target: both count from receipt.
    targets = sla_targets_for(
        category=category,
        priority=priority or category.default_priority,
        is_urgent=urgent,
        received_at=now,
    )
    due_at = targets[stage.value]
    if due_at is None:  # every stage has a target from receipt; None only for finished stages
        raise ValueError("a new complaint's first stage has no target")
    return stage.value, due_at


def complaint_sla_on_status_change(
    *, complaint: Complaint, new_status: str, now: datetime
) -> list[str]:
    """Move the complaint's clocks for a status change; return the fields it changed.

    Both clocks: the service standard (targets from receipt, breaches; see below) and the
    office's action deadline `due_at` (`_office_clock_on_status_change`). Same contract as
    before: call before saving, with the old status still on the complaint.
    """
    standard = _standard_on_status_change(complaint, new_status, now, calendar_load())
    office = _office_clock_on_status_change(complaint, new_status, now)
    return sorted({*standard, *office})


def _office_clock_on_status_change(
    complaint: Complaint, new_status: str, now: datetime
) -> list[str]:
    """Move the office's action deadline for a status change; return the fields it changed.

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
        return sorted(complaint_clock_pause(complaint=complaint, now=now))

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
        changed |= set(complaint_clock_resume(complaint=complaint, now=now))
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
    return calendar.working_seconds_between(start=now, end=complaint.due_at)


def escalation_next_deadline(
    *, grace_working_days: int, now: datetime, calendar: WorkingCalendar
) -> datetime:
    """The deadline an office gets when a complaint lands on it by escalation."""
    return calendar.add_working_days(start=now, days=grace_working_days)


def complaint_clock_pause(
    *, complaint: Complaint, now: datetime, reason: str = WaitingReason.REPORTER
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


def complaint_clock_resume(*, complaint: Complaint, now: datetime) -> list[str]:
    """Resume a paused clock with the working time it had left. Does not save."""
    if complaint.paused_at is None:
        return []
    remaining = complaint.paused_remaining_seconds or 0
    urgent = complaint.is_urgent or complaint.category.is_urgent
    if _uses_hours(is_urgent=urgent, stage=complaint.sla_stage):
        complaint.due_at = now + timedelta(seconds=remaining)
    else:
        complaint.due_at = calendar_load().add_working_seconds(start=now, seconds=remaining)
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


# --- the service standard ------------------------------------------------------------------------
#
# Three targets per complaint, counted from receipt with the policy of its category/priority:
# verification, first response, resolution. They belong to the complaint, not to the office that
# holds it: escalation, forwarding and reassignment never touch them (the office's action
# deadline is `due_at`, above). A target moves only
#   - later by the working time spent waiting for the reporter (pause → resume), and
#   - later by the working time a finished complaint stayed finished, when it is reopened;
# and stops when its milestone (or a later one) is reached or the complaint is finished.
# A target that passes while the clock runs and its milestone is not reached is *missed*: its
# `*_breached_at` is set once, to the target itself, by the sweep (set-based, below) or by the
# status change/reply that reaches the milestone late. Breaches are never cleared.


@dataclass(frozen=True)
class StandardStage:
    stage: str
    target: str  # field of the target
    breach: str  # field of the breach
    milestones: tuple[str, ...]  # any of these reached means the stage is done


STANDARD_STAGES: tuple[StandardStage, ...] = (
    StandardStage(
        SlaStage.VERIFICATION.value,
        "standard_verify_due_at",
        "verify_breached_at",
        # A first response or a resolution also ends verification (the dashboards always
        # counted it so): an answered complaint was looked at.
        ("verified_at", "first_response_at", "resolved_at"),
    ),
    StandardStage(
        SlaStage.FIRST_RESPONSE.value,
        "standard_first_response_due_at",
        "first_response_breached_at",
        ("first_response_at", "resolved_at"),
    ),
    StandardStage(
        SlaStage.RESOLUTION.value,
        "standard_resolve_due_at",
        "resolve_breached_at",
        ("resolved_at",),
    ),
)
STANDARD_TARGET_FIELDS = tuple(stage.target for stage in STANDARD_STAGES)
STANDARD_BREACH_FIELDS = tuple(stage.breach for stage in STANDARD_STAGES)
# Statuses in which the standard's clock runs (waiting for the reporter pauses it).
STANDARD_RUNNING_STATUSES = OPEN_STATUSES
# Not finished: what "open" means for counting complaints past the standard.
STANDARD_UNFINISHED_STATUSES = (*OPEN_STATUSES, *PAUSED_STATUSES)


def _standard_urgent(*, category: Category, priority: str, is_urgent: bool) -> bool:
    return bool(is_urgent or category.is_urgent or priority == Priority.URGENT)


def _standard_targets(
    *, policy: SlaPolicy, urgent: bool, received_at: datetime, calendar: WorkingCalendar
) -> dict[str, datetime | None]:
    # Urgent complaints skip verification and get their first response in plain hours (day and
    # night); resolution is casework in working days for everyone.
    if urgent:
        verify = None
        first_response = received_at + timedelta(hours=policy.urgent_first_response_hours)
    else:
        verify = calendar.add_working_days_fast(start=received_at, days=policy.verify_working_days)
        first_response = calendar.add_working_days_fast(
            start=received_at, days=policy.first_response_working_days
        )
    return {
        SlaStage.VERIFICATION.value: verify,
        SlaStage.FIRST_RESPONSE.value: first_response,
        SlaStage.RESOLUTION.value: calendar.add_working_days_fast(
            start=received_at, days=policy.resolve_working_days
        ),
    }


def sla_targets_for(
    *,
    category: Category,
    priority: str,
    is_urgent: bool,
    received_at: datetime,
    calendar: WorkingCalendar | None = None,
    policy_book: SlaPolicyBook | None = None,
) -> dict[str, datetime | None]:
    """The service-standard targets of a complaint received at `received_at`: {stage: instant}.

    Stages are `SlaStage` values; verification is None for urgent complaints (they go straight
    to a first response, due in hours). One query for the policy unless `policy_book` is given.
    """
    calendar = calendar or calendar_load()
    if policy_book is not None:
        policy = policy_book.policy_for(category=category, priority=priority)
    else:
        policy = sla_policy_for(category=category, priority=priority or category.default_priority)
    return _standard_targets(
        policy=policy,
        urgent=_standard_urgent(category=category, priority=priority, is_urgent=is_urgent),
        received_at=received_at,
        calendar=calendar,
    )


def sla_working_days_between(
    *, start: datetime, end: datetime, calendar: WorkingCalendar | None = None
) -> float:
    """Working days elapsed from `start` to `end` (0 when `end` is not after `start`), on the
    calendar of the deadlines: a working day is 24 working hours of a weekday that is not a
    holiday, in Asia/Jakarta. Pass one `calendar` for many calls (ages, medians)."""
    calendar = calendar or calendar_load()
    return calendar.working_seconds_between(start=start, end=end) / SECONDS_PER_DAY


def sla_working_days_signed(
    *, start: datetime, end: datetime, calendar: WorkingCalendar | None = None
) -> float:
    """Like `sla_working_days_between`, negative when `end` is before `start`."""
    if end >= start:
        return sla_working_days_between(start=start, end=end, calendar=calendar)
    return -sla_working_days_between(start=end, end=start, calendar=calendar)


def _stage_done(complaint: Complaint, stage: StandardStage) -> bool:
    return any(getattr(complaint, name) is not None for name in stage.milestones)


def _stage_in_hours(complaint: Complaint, stage: StandardStage) -> bool:
    urgent = _standard_urgent(
        category=complaint.category, priority=complaint.priority, is_urgent=complaint.is_urgent
    )
    return _uses_hours(is_urgent=urgent, stage=stage.stage)


def complaint_standard_record_breaches(*, complaint: Complaint, now: datetime) -> list[str]:
    """Record every target the running clock has passed without its milestone. Does not save.

    The clock of a paused complaint stopped at `paused_at`; a finished complaint's targets have
    stopped. Idempotent: a breach, once set, is kept.
    """
    due = standard_breaches_due(get=lambda name: getattr(complaint, name), now=now)
    for name, target in due.items():
        setattr(complaint, name, target)
    return list(due)


# What a row must carry for `standard_breaches_due` (the sweep reads it with its batch).
STANDARD_ROW_FIELDS = (
    "status",
    "paused_at",
    *STANDARD_TARGET_FIELDS,
    *STANDARD_BREACH_FIELDS,
    "verified_at",
    "first_response_at",
    "resolved_at",
)


def standard_breaches_due(*, get: Callable[[str], Any], now: datetime) -> dict[str, datetime]:
    """{breach field: its target} for each target passed (while the clock ran) with neither
    its milestone reached nor a breach recorded. `get(field)` reads the complaint or a row;
    `complaint_standard_breaches_record_due` is the same rule in SQL."""
    if get("status") not in STANDARD_UNFINISHED_STATUSES:
        return {}
    running_until = get("paused_at") or now
    due = {}
    for stage in STANDARD_STAGES:
        target = get(stage.target)
        if (
            target is not None
            and target <= running_until
            and get(stage.breach) is None
            and all(get(name) is None for name in stage.milestones)
        ):
            due[stage.breach] = target
    return due


# 5,000 rows per statement: the rows left after the escalation batches (which record the breaches
# of the complaints they move in the same UPDATE) are few; a backlog (a sweep that did not run
# for a day) is taken in short transactions that hold their row locks briefly.
STANDARD_BREACH_BATCH_SIZE = 5000


def standard_breach_pending_q(*, stage: StandardStage, now: datetime) -> Q:
    """Open, running complaints whose `stage` target passed, unmet and not yet recorded: the
    condition of the partial index `complaint_unmet_*` plus the target and the pause."""
    return Q(
        status__in=STANDARD_RUNNING_STATUSES,
        paused_at__isnull=True,
        **{f"{stage.breach}__isnull": True, f"{stage.target}__lte": now},
        **{f"{name}__isnull": True for name in stage.milestones},
    )


def standard_breach_probes(*, now: datetime) -> list[QuerySet[Complaint, Any]]:
    """One `(id, stage)` query per stage, at most one row each: is anything due? The sweep
    unions them with its own probe, so an idle sweep stays one query."""
    from django.db.models import CharField, Value

    return [
        Complaint.objects.filter(standard_breach_pending_q(stage=stage, now=now))
        .order_by(stage.target)
        .annotate(probe=Value(stage.stage, output_field=CharField()))
        .values_list("id", "probe")[:1]
        for stage in STANDARD_STAGES
    ]


def probes_found(probes: list[QuerySet[Complaint, Any]]) -> set[str]:
    """The probe names of the `(id, probe)` queries that found a row: one UNION ALL query where
    the database allows LIMIT inside it (PostgreSQL), one query each elsewhere (SQLite)."""
    from django.db import connection

    if connection.features.supports_slicing_ordering_in_compound:
        first, *others = probes
        return {probe for _id, probe in first.union(*others, all=True)}
    return {probe for query in probes for _id, probe in query}


def complaint_standard_breaches_record_due(
    *,
    now: datetime,
    batch_size: int = STANDARD_BREACH_BATCH_SIZE,
    stages: set[str] | None = None,
) -> dict[str, int]:
    """The sweep's set-based recording: `SET <breach> = <target>` on every running complaint
    whose target passed unmet. Guarded (the WHERE repeats the condition, so a row changed or
    recorded meanwhile is left) and claimed with SKIP LOCKED on PostgreSQL, so two sweeps at once
    record each breach once. With nothing due: one statement per stage on a partial index.
    Returns {stage: breaches recorded}."""
    from django.db import connection

    counts = {stage.stage: 0 for stage in STANDARD_STAGES}
    if stages is None:
        stages = probes_found(standard_breach_probes(now=now))
    for stage in STANDARD_STAGES:
        if stages is not None and stage.stage not in stages:
            continue
        pending = Complaint.objects.filter(standard_breach_pending_q(stage=stage, now=now))
        recorded = 0
        if connection.vendor != "postgresql":
            # SQLite (make run): its writes are serialised; the guard is the WHERE itself.
            recorded = pending.update(**{stage.breach: F(stage.target)})
        else:
            while True:
                with transaction.atomic():
                    claim = (
                        pending.order_by(stage.target)
                        .select_for_update(skip_locked=True)
                        .values("id")[:batch_size]
                    )
                    # The claim locks its rows and re-checks the condition on the latest
                    # version of each (READ COMMITTED), so it is the guard as well.
                    claim_sql, claim_params = claim.query.sql_with_params()
                    table = Complaint._meta.db_table
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f'UPDATE "{table}" SET "{stage.breach}" = "{stage.target}" '  # noqa: S608 (our names)
                            f"WHERE id IN ({claim_sql})",
                            claim_params,
                        )
                        batch = cursor.rowcount
                recorded += batch
                if batch < batch_size:
                    break
        counts[stage.stage] = recorded
    return counts


def _standard_shift(
    complaint: Complaint, *, since: datetime, until: datetime, calendar: WorkingCalendar
) -> list[str]:
    """Move the unmet, unmissed targets later by the working time from `since` to `until`."""
    if until <= since:
        return []
    working = calendar.working_seconds_between(start=since, end=until)
    changed = []
    for stage in STANDARD_STAGES:
        target = getattr(complaint, stage.target)
        if target is None or getattr(complaint, stage.breach) is not None:
            continue
        if _stage_done(complaint, stage):
            continue
        if _stage_in_hours(complaint, stage):
            moved = target + (until - since)
        else:
            moved = calendar.add_working_seconds(start=target, seconds=working)
        setattr(complaint, stage.target, moved)
        changed.append(stage.target)
    return changed


def _standard_on_status_change(
    complaint: Complaint, new_status: str, now: datetime, calendar: WorkingCalendar
) -> list[str]:
    """The standard's part of a status change (old status still on the complaint)."""
    old_status = complaint.status
    changed = complaint_standard_record_breaches(complaint=complaint, now=now)
    finished_before = old_status not in STANDARD_UNFINISHED_STATUSES
    running_after = new_status in STANDARD_RUNNING_STATUSES
    if running_after and old_status in PAUSED_STATUSES and complaint.paused_at is not None:
        # The reporter answered: the time spent waiting for them does not count.
        changed += _standard_shift(
            complaint, since=complaint.paused_at, until=now, calendar=calendar
        )
    elif running_after and finished_before:
        # Reopened: the time it stood finished does not count either.
        finished_at = complaint.resolved_at or complaint.closed_at or complaint.updated_at or now
        changed += _standard_shift(complaint, since=finished_at, until=now, calendar=calendar)
    if new_status in (Status.VERIFIED, Status.IN_PROGRESS, Status.RESOLVED) and (
        complaint.verified_at is None
    ):
        # Taking a complaint up (or resolving it) is the verification milestone.
        complaint.verified_at = now
        changed.append("verified_at")
    return changed


def complaint_standard_on_first_response(*, complaint: Complaint, now: datetime) -> list[str]:
    """A first public answer at `now`: record a late one's breach. Call it before setting
    `first_response_at` (it is set here), save with the returned fields."""
    changed = complaint_standard_record_breaches(complaint=complaint, now=now)
    if complaint.first_response_at is None:
        complaint.first_response_at = now
        changed.append("first_response_at")
    return changed


def complaint_standard_state(
    *, complaint: Complaint, now: datetime, working_days: bool = True
) -> dict[str, Any]:
    """Where a complaint stands against the service standard, for pages and the API.

    `stage`: the earliest unmet stage (None when every stage is done or the complaint is
    finished); `target`: its target; `past_standard`: an unmet target passed (or missed);
    `working_days_left` / `working_days_over`: working days to / past that target (as of the
    pause when paused; None with `working_days=False`, which reads no calendar: lists);
    `paused`; `breaches`: {stage: missed at} of every recorded miss.
    """
    breaches = {
        stage.stage: getattr(complaint, stage.breach)
        for stage in STANDARD_STAGES
        if getattr(complaint, stage.breach) is not None
    }
    state: dict[str, Any] = {
        "stage": None,
        "target": None,
        "past_standard": False,
        "working_days_left": None,
        "working_days_over": None,
        "paused": complaint.paused_at is not None,
        "breaches": breaches,
    }
    if complaint.status not in STANDARD_UNFINISHED_STATUSES:
        return state
    unmet = [
        stage
        for stage in STANDARD_STAGES
        if getattr(complaint, stage.target) is not None and not _stage_done(complaint, stage)
    ]
    if not unmet:
        return state
    running_until = complaint.paused_at or now
    past = [
        stage
        for stage in unmet
        if getattr(complaint, stage.breach) is not None
        or getattr(complaint, stage.target) <= running_until
    ]
    current = past[0] if past else min(unmet, key=lambda s: getattr(complaint, s.target))
    target = getattr(complaint, current.target)
    state.update(stage=current.stage, target=target, past_standard=bool(past))
    if working_days:
        days = sla_working_days_signed(start=running_until, end=target)
        state.update(
            working_days_left=round(max(days, 0.0), 2),
            working_days_over=round(max(-days, 0.0), 2),
        )
    return state


# --- filling the standard of stored complaints (backfill migration, demo load) -----------------


def standard_row_fill(
    *,
    row: dict[str, Any],
    category: Category,
    calendar: WorkingCalendar,
    policy_book: SlaPolicyBook,
    now: datetime,
) -> None:
    """Set the targets and breaches of a stored complaint's `row` (a dict of its fields) from its
    history: received (`created_at`), milestones, finish time, pause.

    Assumption, since no history of pauses is stored: past pauses for the reporter are not
    known, so targets count as if the complaint never waited (except the pause in progress,
    `paused_at`); a target counts as missed when the milestone came at or after it, or, with no
    milestone, when it passed before the complaint finished (`closed_at`, else `updated_at`)
    or, for an unfinished complaint, before now."""
    policy = policy_book.policy_for(category=category, priority=row["priority"])
    urgent = _standard_urgent(
        category=category, priority=row["priority"], is_urgent=row["is_urgent"]
    )
    targets = _standard_targets(
        policy=policy, urgent=urgent, received_at=row["created_at"], calendar=calendar
    )
    unfinished = row["status"] in STANDARD_UNFINISHED_STATUSES
    for stage in STANDARD_STAGES:
        target = targets[stage.stage]
        row[stage.target] = target
        reached: list[datetime] = [
            row[name] for name in stage.milestones if row.get(name) is not None
        ]
        if target is None:
            missed = False
        elif reached:
            missed = target <= min(reached)
        elif unfinished:
            missed = target <= (row.get("paused_at") or now)
        else:
            missed = target <= (row.get("closed_at") or row.get("updated_at") or now)
        row[stage.breach] = target if missed else None


_BACKFILL_FIELDS = (
    "id",
    "created_at",
    "category_id",
    "priority",
    "is_urgent",
    "status",
    "verified_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "updated_at",
    "paused_at",
)
# 10,000 rows per transaction: one read, one UPDATE ... FROM unnest per batch; a million rows
# take about a minute and no lock is held for long.
BACKFILL_BATCH_SIZE = 10_000


def complaint_standard_backfill(
    *,
    now: datetime | None = None,
    batch_size: int = BACKFILL_BATCH_SIZE,
    models: dict[str, Any] | None = None,
) -> int:
    """Fill targets and breaches of complaints that have no targets yet; returns how many.

    Run by migration 0008 (with its historical `models`: complaint, category, policy, holiday)
    and safe to run again. See `standard_row_fill` for what history can and cannot tell."""
    from django.db import connection

    models = models or {
        "complaint": Complaint,
        "category": Category,
        "policy": SlaPolicy,
        "holiday": Holiday,
    }
    complaint_model = models["complaint"]
    now = now or timezone.now()
    holidays = set(models["holiday"].objects.values_list("date", flat=True))
    calendar = WorkingCalendar(
        holidays=holidays, known_years={day.year for day in holidays}, from_database=False
    )
    book = SlaPolicyBook(policies=list(models["policy"].objects.filter(is_active=True)))
    categories = {category.pk: category for category in models["category"].objects.all()}
    pending = complaint_model.objects.filter(
        standard_verify_due_at__isnull=True,
        standard_first_response_due_at__isnull=True,
        standard_resolve_due_at__isnull=True,
    )
    filled, last_id = 0, 0
    while True:
        rows = [
            dict(zip(_BACKFILL_FIELDS, values, strict=True))
            for values in pending.filter(id__gt=last_id)
            .order_by("id")
            .values_list(*_BACKFILL_FIELDS)[:batch_size]
        ]
        if not rows:
            return filled
        last_id = rows[-1]["id"]
        for row in rows:
            standard_row_fill(
                row=row,
                category=categories[row["category_id"]],
                calendar=calendar,
                policy_book=book,
                now=now,
            )
        columns = ("id", *STANDARD_TARGET_FIELDS, *STANDARD_BREACH_FIELDS)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                table = complaint_model._meta.db_table
                assignments = ", ".join(f'"{name}" = v."{name}"' for name in columns[1:])
                arrays = ", ".join(["%s::bigint[]"] + ["%s::timestamptz[]"] * (len(columns) - 1))
                with connection.cursor() as cursor:
                    cursor.execute(
                        f'UPDATE "{table}" AS c SET {assignments} '  # noqa: S608 (our names)
                        f"FROM unnest({arrays}) AS v({', '.join(columns)}) WHERE c.id = v.id",
                        [_array_literal([row[name] for row in rows]) for name in columns],
                    )
            else:
                complaint_model.objects.bulk_update(
                    [complaint_model(**{name: row[name] for name in columns}) for row in rows],
                    list(columns[1:]),
                    batch_size=500,
                )
        filled += len(rows)


def _array_literal(values: list[Any]) -> str:
    """A PostgreSQL array literal cast in SQL: psycopg2 would send a list as ARRAY[...] with
    one expression per element, slow to parse for 10,000 values."""
    return (
        "{"
        + ",".join(
            "NULL" if v is None else str(v.isoformat() if hasattr(v, "isoformat") else v)
            for v in values
        )
        + "}"
    )
