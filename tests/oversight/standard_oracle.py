"""The service standard written down again, for tests: a plain working-day walk over the holidays
a test inserted, targets from the policy rows it created, and every first-screen figure from
its definition (README, "The ministry's first screen"). Nothing here imports the code under test.
"""

from __future__ import annotations

import math
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
DAY = 86_400
UNFINISHED = {"received", "verified", "in_progress", "waiting_reporter"}
RUNNING = {"received", "verified", "in_progress"}
STAGES = ("verify", "first_response", "resolve")
# Which milestones end each stage (a later milestone ends an earlier stage too).
MILESTONES = {
    "verify": ("verified_at", "first_response_at", "resolved_at"),
    "first_response": ("first_response_at", "resolved_at"),
    "resolve": ("resolved_at",),
}


def is_working(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def working_seconds(start: datetime, end: datetime, holidays: set[date]) -> float:
    """Seconds of working days between two instants, day by day in Asia/Jakarta."""
    if end <= start:
        return 0.0
    start, end = start.astimezone(JAKARTA), end.astimezone(JAKARTA)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if is_working(day, holidays):
            lower = max(start, datetime.combine(day, time(), JAKARTA))
            upper = min(end, datetime.combine(day + timedelta(days=1), time(), JAKARTA))
            total += max(0.0, (upper - lower).total_seconds())
        day += timedelta(days=1)
    return total


def working_days(start: datetime, end: datetime, holidays: set[date]) -> float:
    return working_seconds(start, end, holidays) / DAY


def add_working_seconds(start: datetime, seconds: float, holidays: set[date]) -> datetime:
    """The instant `seconds` of working time after `start` (a weekend start waits for Monday)."""
    moment = start.astimezone(JAKARTA)
    left = seconds
    while True:
        day = moment.date()
        day_end = datetime.combine(day + timedelta(days=1), time(), JAKARTA)
        if is_working(day, holidays):
            available = (day_end - moment).total_seconds()
            if left <= available:
                return moment + timedelta(seconds=left)
            left -= available
        moment = day_end


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    position = fraction * (len(values) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (position - lower) * (values[upper] - values[lower])


@dataclass
class Case:
    """One generated complaint, with its targets and breaches decided by the rule."""

    office: str
    received_at: datetime
    status: str
    urgent: bool
    escalation_level: int = 0
    verified_at: datetime | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    paused_at: datetime | None = None
    targets: dict[str, datetime | None] = field(default_factory=dict)
    breaches: dict[str, datetime | None] = field(default_factory=dict)

    def milestone(self, stage: str) -> datetime | None:
        reached = [getattr(self, name) for name in MILESTONES[stage]]
        reached = [moment for moment in reached if moment is not None]
        return min(reached) if reached else None


def decide(
    case: Case,
    *,
    policy: dict,
    holidays: set[date],
    paused_before: tuple[datetime, datetime] | None,
    now: datetime,
) -> None:
    """Targets from receipt (plain hours for an urgent first response, working days otherwise),
    later by the working time of a past pause; a breach at the target when the target passed
    while the clock ran and the stage's milestone was not reached by then."""
    shift = working_seconds(*paused_before, holidays) if paused_before else 0.0
    received = case.received_at
    targets: dict[str, datetime | None] = {}
    if case.urgent:
        targets["verify"] = None
        targets["first_response"] = received + timedelta(hours=policy["urgent_hours"])
    else:
        targets["verify"] = add_working_seconds(received, policy["verify"] * DAY + shift, holidays)
        targets["first_response"] = add_working_seconds(
            received, policy["first_response"] * DAY + shift, holidays
        )
    targets["resolve"] = add_working_seconds(received, policy["resolve"] * DAY + shift, holidays)
    case.targets = targets
    # The clock ran until now, the pause or the end of the case, whichever came first.
    stops = [now]
    if case.paused_at:
        stops.append(case.paused_at)
    if case.closed_at and case.status not in UNFINISHED:
        stops.append(case.closed_at)
    clock_end = min(stops)
    case.breaches = {}
    for stage in STAGES:
        target = targets[stage]
        reached = case.milestone(stage)
        missed = target is not None and (
            (reached is not None and reached > target) or (reached is None and target <= clock_end)
        )
        case.breaches[stage] = target if missed else None


@dataclass
class Figures:
    open: int = 0
    past_standard: int = 0
    breached: int = 0
    met: int = 0
    missed: int = 0
    responses: list[float] = field(default_factory=list)
    resolutions: list[float] = field(default_factory=list)

    @property
    def compliance(self) -> float | None:
        due = self.met + self.missed
        return self.met / due if due else None


def figures(
    cases: list[Case], *, start: datetime, end: datetime, now: datetime, holidays: set[date]
) -> Figures:
    result = Figures()
    stop = max(start, min(end, now))
    for case in cases:
        unfinished = case.status in UNFINISHED
        if unfinished:
            result.open += 1
            past = False
            for stage in STAGES:
                if case.milestone(stage) is not None or case.targets[stage] is None:
                    continue
                if case.breaches[stage] is not None or (
                    case.status in RUNNING and case.paused_at is None and case.targets[stage] <= now
                ):
                    past = True
            result.past_standard += past
        if any(b is not None and start <= b < stop for b in case.breaches.values()):
            result.breached += 1
        for stage in STAGES:
            target, breach = case.targets[stage], case.breaches[stage]
            if breach is not None and start <= breach < stop:
                result.missed += 1
            elif (
                target is not None
                and breach is None
                and start <= target < stop
                and case.milestone(stage) is not None
            ):
                result.met += 1
        if case.first_response_at and start <= case.first_response_at < end:
            result.responses.append(
                working_days(case.received_at, case.first_response_at, holidays)
            )
        if case.resolved_at and start <= case.resolved_at < end:
            result.resolutions.append(working_days(case.received_at, case.resolved_at, holidays))
    return result


def age_bucket(age_days: float) -> str:
    whole = math.floor(age_days)
    if whole <= 5:
        return "0-5"
    if whole <= 10:
        return "6-10"
    if whole <= 30:
        return "11-30"
    if whole <= 60:
        return "31-60"
    return "> 60"


def week_monday(moment: datetime) -> date:
    day = moment.astimezone(JAKARTA).date()
    return day - timedelta(days=day.weekday())
