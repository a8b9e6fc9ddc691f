"""An oracle for the service standard, written from the rule's definition (design.md §4.4,
README "Service standard"), not from complaints.services.sla:

- a working day is a weekday that is not in the holiday list; every second of it counts, in
  Asia/Jakarta (UTC+7, no summer time); nothing of a weekend or holiday counts;
- N working days after an instant is the instant when N times 24 working hours have elapsed;
- targets count from receipt with the complaint's policy: the category's row, else the priority's,
  else the default row, else 3/5/14 working days and 4 hours; a field-work category without a row
  of its own gets 60 working days to resolve; urgent (in danger, urgent category or priority)
  means no verification stage and a first response due in plain hours;
- pausing for the reporter moves the unmet, unmissed targets later by the working time paused
  (plain time for the hours target);
- a target is missed when it passes while the clock runs and its milestone (or a later one) has
  not been reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7))
DAY = 86_400


def jakarta(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def is_working(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_seconds(start: datetime, seconds: float, holidays: set[date]) -> datetime:
    """Walk day by day, spending working seconds on working days only."""
    local = start.astimezone(WIB)
    day = local.date()
    midnight = datetime(day.year, day.month, day.day, tzinfo=WIB)
    spent_today = (local - midnight).total_seconds()
    left = seconds
    while True:
        if is_working(day, holidays):
            room = DAY - spent_today
            if left <= room:
                return max(midnight + timedelta(seconds=spent_today + left), start)
            left -= room
        day += timedelta(days=1)
        midnight = datetime(day.year, day.month, day.day, tzinfo=WIB)
        spent_today = 0.0


def working_seconds(start: datetime, end: datetime, holidays: set[date]) -> float:
    """Count second by day: the overlap of [start, end) with each working day."""
    total = 0.0
    if end <= start:
        return 0.0
    day = start.astimezone(WIB).date()
    while True:
        midnight = datetime(day.year, day.month, day.day, tzinfo=WIB)
        if midnight >= end:
            return total
        if is_working(day, holidays):
            low = max(midnight, start)
            high = min(midnight + timedelta(days=1), end)
            total += max(0.0, (high - low).total_seconds())
        day += timedelta(days=1)


@dataclass
class Policy:
    verify: int = 3
    first_response: int = 5
    resolve: int = 14
    urgent_hours: int = 4


def policy_of(
    *,
    category_slug: str,
    priority: str,
    field_work: bool,
    by_category: dict[str, Policy],
    by_priority: dict[str, Policy],
) -> Policy:
    if category_slug in by_category:
        return by_category[category_slug]
    chosen = by_priority.get(priority) or by_priority.get("") or Policy()
    if field_work and chosen.resolve < 60:
        chosen = Policy(chosen.verify, chosen.first_response, 60, chosen.urgent_hours)
    return chosen


STAGES = ("verify", "first_response", "resolve")
# Reaching any of these ends the stage.
ENDS = {
    "verify": ("verified", "first_response", "resolved"),
    "first_response": ("first_response", "resolved"),
    "resolve": ("resolved",),
}


@dataclass
class OracleComplaint:
    """Replays a complaint's life and says which targets were missed."""

    received: datetime
    policy: Policy
    urgent: bool
    holidays: set[date]
    targets: dict[str, datetime | None] = field(default_factory=dict)
    missed: dict[str, datetime | None] = field(default_factory=dict)
    reached: dict[str, datetime] = field(default_factory=dict)
    paused_since: datetime | None = None
    finished: bool = False

    def __post_init__(self) -> None:
        days = lambda n: add_working_seconds(self.received, n * DAY, self.holidays)  # noqa: E731
        self.targets = {
            "verify": None if self.urgent else days(self.policy.verify),
            "first_response": (
                self.received + timedelta(hours=self.policy.urgent_hours)
                if self.urgent
                else days(self.policy.first_response)
            ),
            "resolve": days(self.policy.resolve),
        }
        self.missed = dict.fromkeys(STAGES)

    def _done(self, stage: str) -> bool:
        return any(name in self.reached for name in ENDS[stage])

    def look(self, now: datetime) -> None:
        """What a clock running until `now` has missed."""
        if self.finished or self.paused_since is not None:
            return
        for stage in STAGES:
            target = self.targets[stage]
            if (
                target is not None
                and target <= now
                and not self._done(stage)
                and self.missed[stage] is None
            ):
                self.missed[stage] = target

    def pause(self, now: datetime) -> None:
        self.look(now)
        self.paused_since = now

    def resume(self, now: datetime) -> None:
        since, self.paused_since = self.paused_since, None
        waited = working_seconds(since, now, self.holidays)
        for stage in STAGES:
            target = self.targets[stage]
            if target is None or self.missed[stage] is not None or self._done(stage):
                continue
            if stage == "first_response" and self.urgent:
                self.targets[stage] = target + (now - since)
            else:
                self.targets[stage] = add_working_seconds(target, waited, self.holidays)

    def reach(self, milestone: str, now: datetime, *, resumes: bool = False) -> None:
        """A milestone at `now`; a status change out of waiting also restarts the clock."""
        self.look(now)
        if resumes and self.paused_since is not None:
            self.resume(now)
        self.reached.setdefault(milestone, now)

    def finish(self, now: datetime, *, resolved: bool) -> None:
        self.look(now)
        if resolved:
            self.reached.setdefault("resolved", now)
        self.finished = True

    def past_standard(self, now: datetime) -> bool:
        if self.finished:
            return False
        for stage in STAGES:
            if self._done(stage) or self.targets[stage] is None:
                continue
            if self.missed[stage] is not None:
                return True
            if self.paused_since is None and self.targets[stage] <= now:
                return True
        return False


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
