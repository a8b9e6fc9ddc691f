"""The service standard per office: the ministry's first screen, the offices API, the monthly
office reports and the public statistics all read these selectors, so they cannot disagree.

Definitions (also on the dashboard page and in README):

- *open*: not finished — received, verified, in progress or waiting for the reporter.
- *past the standard*: open with a target passed and its milestone not reached
  (`complaints.selectors.complaint_past_standard_q`).
- *breached in the period*: complaints with a missed target recorded in the period
  (`complaints.selectors.complaint_breached_between_q`), whatever their status now.
- *compliance*: the share of targets (verification, first response, resolution) falling due in
  the period, up to now, that were met. A target is met when its milestone was reached and no
  breach was recorded; missed when its breach is recorded, or when it passed while the clock ran
  and the milestone is still not reached (the sweep records it within a minute). Targets of
  complaints paused or finished before their target are neither. None when nothing fell due.
- *days to first response / to resolution*: working days (the calendar of
  `complaints.services.sla`: weekdays that are not holidays, 24 hours each, Asia/Jakarta) from
  receipt to the first public response / the resolution, over the complaints whose first
  response / resolution happened in the period; median and 90th percentile with linear
  interpolation (PostgreSQL's percentile_cont).

Figures are grouped by the office holding each complaint now; a post's complaints roll up into
its BP3MI; the ministry's own queue stays apart. On PostgreSQL the whole table is one query
(GROUPING SETS), with working days computed in SQL from the same holiday table the SLA calendar
reads; other databases (SQLite for `make run`) compute the same in Python with that calendar.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable

from complaints.choices import OPEN_STATUSES, Status
from complaints.models import Complaint, Holiday
from complaints.selectors import complaint_breached_between_q, complaint_past_standard_q
from complaints.services import sla
from portal.choices import OfficeKind
from portal.db_router import dashboard_db_alias
from portal.models import Office

# Open: the office still owes the reporter something (paused cases included).
UNFINISHED_STATUSES = (*OPEN_STATUSES, Status.WAITING_REPORTER)
# Backlog by age, in whole working days since receipt: (label, lowest, highest or None).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-5", 0, 5),
    ("6-10", 6, 10),
    ("11-30", 11, 30),
    ("31-60", 31, 60),
    ("> 60", 61, None),
)
# The oldest open complaints listed on the first screen: enough to act on, short on a phone.
OLDEST_LIMIT = 20
SECONDS_PER_DAY = 86_400


# --- the window and the calendar ---------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """[start, end) of the period, and `now` (targets count only once they are due)."""

    start: datetime
    end: datetime
    now: datetime

    @property
    def due_until(self) -> datetime:
        return max(self.start, min(self.end, self.now))


def window_for_days(*, date_from: date, date_to: date, now: datetime) -> Window:
    """The local days date_from..date_to (inclusive) in the SLA time zone."""
    zone = sla.SLA_TIME_ZONE
    return Window(
        start=datetime.combine(date_from, time.min, tzinfo=zone),
        end=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone),
        now=now,
    )


@dataclass(frozen=True)
class Calendar:
    """The SLA calendar with every holiday loaded in one query (the count stays constant)."""

    calendar: sla.WorkingCalendar
    weekday_holidays: list[date]

    def days_between(self, *, start: datetime, end: datetime) -> float:
        return sla.sla_working_days_between(start=start, end=end, calendar=self.calendar)


def calendar_preloaded(*, using: str | None = None) -> Calendar:
    """`complaints.services.sla`'s calendar, filled from the Holiday table it reads itself."""
    days = sorted(
        Holiday.objects.using(using or dashboard_db_alias()).values_list("date", flat=True)
    )
    calendar = sla.calendar_load()
    calendar.holidays = set(days)
    calendar.known_years = {day.year for day in days}
    calendar.missing_years = set()
    # Every year is "loaded": a year without holidays counts weekdays, as the calendar does.
    calendar.from_database = False
    years = range(2000, 2101)
    calendar.loaded_years = set(years)
    calendar.missing_years = set(years) - calendar.known_years
    return Calendar(calendar=calendar, weekday_holidays=[d for d in days if d.weekday() < 5])


# --- per-complaint flags (one definition for both databases) ---------------------------------


def _reached_q(stage: sla.StandardStage) -> Q:
    reached = Q()
    for name in stage.milestones:
        reached |= Q(**{f"{name}__isnull": False})
    return reached


def target_met_q(*, stage: sla.StandardStage, window: Window) -> Q:
    return Q(
        **{
            f"{stage.target}__gte": window.start,
            f"{stage.target}__lt": window.due_until,
            f"{stage.breach}__isnull": True,
        }
    ) & _reached_q(stage)


def target_missed_q(*, stage: sla.StandardStage, window: Window) -> Q:
    recorded = Q(**{f"{stage.breach}__gte": window.start, f"{stage.breach}__lt": window.due_until})
    unrecorded = Q(
        status__in=OPEN_STATUSES,
        paused_at__isnull=True,
        **{
            f"{stage.breach}__isnull": True,
            f"{stage.target}__gte": window.start,
            f"{stage.target}__lt": window.due_until,
        },
        **{f"{name}__isnull": True for name in stage.milestones},
    )
    return recorded | unrecorded


def _flag(q: Q) -> ExpressionWrapper[Q]:
    return ExpressionWrapper(q, output_field=BooleanField())


def _count_of(qs: list[Q]) -> Combinable | None:
    total: Combinable | None = None
    for q in qs:
        term = Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())
        total = term if total is None else total + term
    return total


FLAG_COLUMNS = (
    "office_id",
    "unit",
    "is_open",
    "is_past",
    "is_breached",
    "met",
    "missed",
    "responded_in",
    "resolved_in",
    "created_at",
    "first_response_at",
    "resolved_at",
)


def complaint_standard_flags(
    *, complaints: QuerySet[Complaint], window: Window
) -> QuerySet[Complaint, dict[str, Any]]:
    """Each complaint of the queryset with its flags for the window (values rows)."""
    stages = sla.STANDARD_STAGES
    return (
        complaints.order_by()
        .annotate(
            unit=Case(
                When(
                    office__kind=OfficeKind.POST,
                    office__parent_id__isnull=False,
                    then=F("office__parent_id"),
                ),
                default=F("office_id"),
                output_field=IntegerField(),
            ),
            is_open=_flag(Q(status__in=UNFINISHED_STATUSES)),
            is_past=_flag(
                Q(status__in=UNFINISHED_STATUSES) & complaint_past_standard_q(now=window.now)
            ),
            is_breached=_flag(
                complaint_breached_between_q(start=window.start, end=window.due_until)
            ),
            met=_count_of([target_met_q(stage=stage, window=window) for stage in stages]),
            missed=_count_of([target_missed_q(stage=stage, window=window) for stage in stages]),
            responded_in=_flag(
                Q(first_response_at__gte=window.start, first_response_at__lt=window.end)
            ),
            resolved_in=_flag(Q(resolved_at__gte=window.start, resolved_at__lt=window.end)),
        )
        .values(*FLAG_COLUMNS)
    )


# --- figures -----------------------------------------------------------------------------------


@dataclass
class StandardFigures:
    open: int = 0
    past_standard: int = 0
    breached: int = 0
    targets_met: int = 0
    targets_missed: int = 0
    responded: int = 0
    first_response_median_days: float | None = None
    first_response_p90_days: float | None = None
    resolved: int = 0
    resolution_median_days: float | None = None
    resolution_p90_days: float | None = None

    @property
    def targets_due(self) -> int:
        return self.targets_met + self.targets_missed

    @property
    def compliance(self) -> float | None:
        """Share of the targets due in the period that were met; None when none fell due."""
        return self.targets_met / self.targets_due if self.targets_due else None


def percentile_cont(*, sorted_values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont (linear interpolation), for the Python path."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    return sorted_values[lower] + (position - lower) * (sorted_values[upper] - sorted_values[lower])


@dataclass
class FigureSets:
    by_office: dict[int, StandardFigures] = field(default_factory=dict)
    by_unit: dict[int, StandardFigures] = field(default_factory=dict)
    total: StandardFigures = field(default_factory=StandardFigures)


def _cum_sql(column: str) -> str:
    """Working seconds from a fixed Monday to `column`, in SQL (`h.hol`: sorted weekday
    holidays): whole working days before the local day, plus the part of the day when it is a
    working day. A difference of two of these is the calendar's working_seconds_between."""
    zone = str(sla.SLA_TIME_ZONE)
    local = f"(({column}) AT TIME ZONE '{zone}')"
    day = f"({local})::date"
    since = f"({day} - DATE '1970-01-05')"
    return (
        f"((5 * ({since} / 7) + LEAST(MOD({since}, 7), 5)"
        f" - COALESCE(width_bucket({day} - 1, h.hol), 0))"
        f" * 86400.0::float8 + CASE WHEN date_part('isodow', {day}) < 6"
        f" AND NOT ({day} = ANY(h.hol)) THEN date_part('epoch', {local} - {day}) ELSE 0 END)"
    )


def working_days_sql(*, start: str, end: str) -> str:
    # float8 throughout: numeric arithmetic (EXTRACT's type) costs several times more per row.
    return f"(GREATEST({_cum_sql(end)} - {_cum_sql(start)}, 0) / 86400.0::float8)"


def _holiday_param(calendar: Calendar) -> list[date]:
    # A sentinel first keeps the array non-empty; only differences of counts are used.
    return [date(1900, 1, 1), *calendar.weekday_holidays]


_FIGURE_SQL = """
WITH h AS (SELECT %s::date[] AS hol)
SELECT x.office_id, x.unit, GROUPING(x.office_id), GROUPING(x.unit),
  COUNT(*) FILTER (WHERE x.is_open),
  COUNT(*) FILTER (WHERE x.is_past),
  COUNT(*) FILTER (WHERE x.is_breached),
  COALESCE(SUM(x.met), 0),
  COALESCE(SUM(x.missed), 0),
  COUNT(*) FILTER (WHERE x.responded_in),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY x.response_days) FILTER (WHERE x.responded_in),
  percentile_cont(0.9) WITHIN GROUP (ORDER BY x.response_days) FILTER (WHERE x.responded_in),
  COUNT(*) FILTER (WHERE x.resolved_in),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY x.resolution_days) FILTER (WHERE x.resolved_in),
  percentile_cont(0.9) WITHIN GROUP (ORDER BY x.resolution_days) FILTER (WHERE x.resolved_in)
FROM (
  SELECT c.*,
    CASE WHEN c.responded_in THEN {response} END AS response_days,
    CASE WHEN c.resolved_in THEN {resolution} END AS resolution_days
  FROM ({inner}) c CROSS JOIN h
) x
GROUP BY GROUPING SETS ((x.office_id, x.unit), (x.unit), ())
"""


def _figures_postgresql(
    flags: QuerySet[Complaint, dict[str, Any]], *, calendar: Calendar, alias: str
) -> FigureSets:
    inner, params = flags.query.sql_with_params()
    sql = _FIGURE_SQL.format(
        inner=inner,
        response=working_days_sql(start="c.created_at", end="c.first_response_at"),
        resolution=working_days_sql(start="c.created_at", end="c.resolved_at"),
    )
    result = FigureSets()
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [_holiday_param(calendar), *params])
        for office_id, unit, g_office, g_unit, *values in cursor.fetchall():
            figures = StandardFigures(*values)
            if g_office and g_unit:
                result.total = figures
            elif g_office:
                result.by_unit[unit] = figures
            else:
                result.by_office[office_id] = figures
    return result


def _figures_python(
    flags: QuerySet[Complaint, dict[str, Any]], *, calendar: Calendar
) -> FigureSets:
    # Every row, as the SQL path groups every row (an office whose complaints count nothing
    # still has its row of zeros).
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in flags.iterator(chunk_size=5000):
        groups[("office", row["office_id"])].append(row)
        groups[("unit", row["unit"])].append(row)
        groups[("total", None)].append(row)
    result = FigureSets()
    for (kind, key), rows in groups.items():
        responses = sorted(
            calendar.days_between(start=r["created_at"], end=r["first_response_at"])
            for r in rows
            if r["responded_in"]
        )
        resolutions = sorted(
            calendar.days_between(start=r["created_at"], end=r["resolved_at"])
            for r in rows
            if r["resolved_in"]
        )
        figures = StandardFigures(
            open=sum(1 for r in rows if r["is_open"]),
            past_standard=sum(1 for r in rows if r["is_past"]),
            breached=sum(1 for r in rows if r["is_breached"]),
            targets_met=sum(r["met"] for r in rows),
            targets_missed=sum(r["missed"] for r in rows),
            responded=len(responses),
            first_response_median_days=percentile_cont(sorted_values=responses, fraction=0.5),
            first_response_p90_days=percentile_cont(sorted_values=responses, fraction=0.9),
            resolved=len(resolutions),
            resolution_median_days=percentile_cont(sorted_values=resolutions, fraction=0.5),
            resolution_p90_days=percentile_cont(sorted_values=resolutions, fraction=0.9),
        )
        if kind == "office":
            result.by_office[key] = figures
        elif kind == "unit":
            result.by_unit[key] = figures
        else:
            result.total = figures
    return result


def standard_figures(
    *,
    complaints: QuerySet[Complaint],
    window: Window,
    calendar: Calendar | None = None,
    python: bool = False,
) -> FigureSets:
    """The figures of `complaints` (already scoped and filtered) per office, per BP3MI with its
    posts, and in total. One query on PostgreSQL (plus one for the holidays without
    `calendar`). `python=True` forces the portable path (tests compare both)."""
    alias = complaints.db
    calendar = calendar or calendar_preloaded(using=alias)
    flags = complaint_standard_flags(complaints=complaints, window=window)
    if connections[alias].vendor == "postgresql" and not python:
        return _figures_postgresql(flags, calendar=calendar, alias=alias)
    return _figures_python(flags, calendar=calendar)


# --- the first screen's office table ----------------------------------------------------------


@dataclass
class OfficeRow:
    office_id: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    figures: StandardFigures
    posts: list[OfficeRow] = field(default_factory=list)


@dataclass
class OfficeBoard:
    """BP3MI rows (posts rolled up, worst first), each with its own queue and posts beneath;
    posts whose BP3MI is outside the view; the ministry's own queue apart; the total."""

    rows: list[OfficeRow]
    ministry: list[OfficeRow]
    total: StandardFigures
    window: Window


def worst_first_key(row: OfficeRow) -> tuple[Any, ...]:
    """Most open complaints past the standard first, then the lowest compliance, then the most
    open complaints; offices with nothing due sort after those with a compliance."""
    compliance = row.figures.compliance
    return (
        -row.figures.past_standard,
        compliance is None,
        compliance if compliance is not None else 0,
        -row.figures.open,
        row.name,
    )


def standard_office_board(
    *,
    complaints: QuerySet[Complaint],
    office_ids: list[int] | None,
    filter_office_ids: tuple[int, ...] = (),
    window: Window,
    calendar: Calendar | None = None,
) -> OfficeBoard:
    """Every BP3MI in `office_ids` (None: all, the 23 with zeros included), worst first.

    `complaints` is the caller's scoped, filtered queryset; `filter_office_ids` narrows the
    rows to an office and its posts (the drill-down)."""
    figures = standard_figures(complaints=complaints, window=window, calendar=calendar)
    offices = Office.objects.using(complaints.db).filter(is_active=True)
    if office_ids is not None:
        offices = offices.filter(id__in=office_ids)
    if filter_office_ids:
        offices = offices.filter(id__in=filter_office_ids)
    office_rows: list[dict[str, Any]] = [
        dict(office)
        for office in offices.values("id", "code", "name", "kind", "parent_id", "parent__code")
    ]
    by_id = {office["id"]: office for office in office_rows}

    def row(
        office: dict[str, Any], values: StandardFigures | None, parent_code: str | None
    ) -> OfficeRow:
        return OfficeRow(
            office_id=office["id"],
            code=office["code"],
            name=office["name"],
            kind=office["kind"],
            parent_code=parent_code,
            figures=values or StandardFigures(),
        )

    rows: list[OfficeRow] = []
    ministry: list[OfficeRow] = []
    for office in office_rows:
        if office["kind"] == OfficeKind.BP3MI:
            bp3mi = row(office, figures.by_unit.get(office["id"]), None)
            own = row(office, figures.by_office.get(office["id"]), None)
            posts = [
                row(post, figures.by_office.get(post["id"]), office["code"])
                for post in office_rows
                if post["kind"] == OfficeKind.POST and post["parent_id"] == office["id"]
            ]
            bp3mi.posts = [own, *sorted(posts, key=worst_first_key)]
            rows.append(bp3mi)
        elif office["kind"] == OfficeKind.MINISTRY:
            ministry.append(row(office, figures.by_office.get(office["id"]), None))
        elif office["parent_id"] not in by_id:
            # A post seen without its BP3MI (its head's view): a row of its own.
            rows.append(row(office, figures.by_office.get(office["id"]), office["parent__code"]))
    rows.sort(key=worst_first_key)
    ministry.sort(key=lambda r: r.name)
    return OfficeBoard(rows=rows, ministry=ministry, total=figures.total, window=window)


# --- the rest of the first screen ---------------------------------------------------------------


@dataclass(frozen=True)
class AgeBucket:
    label: str
    open: int
    past_standard: int


def standard_backlog_by_age(
    complaints: QuerySet[Complaint], *, now: datetime, calendar: Calendar
) -> list[AgeBucket]:
    """Open complaints by whole working days since receipt (AGE_BUCKETS). One query.

    A complaint's working age only grows the earlier it was received, so "at least N whole
    working days old" is "received at or before the latest moment N working days before now"
    (WorkingCalendar.latest_start_before). Each bucket is then a range of receipt times: the
    query compares timestamps instead of computing the age of every open complaint (which cost
    seconds at a million)."""
    open_rows = complaints.order_by().filter(status__in=UNFINISHED_STATUSES)
    past = complaint_past_standard_q(now=now)
    counts: dict[str, Count] = {}
    for index, (_label, low, high) in enumerate(AGE_BUCKETS):
        received = Q()
        if low > 0:
            received &= Q(created_at__lte=_age_reached_at(low, now=now, calendar=calendar))
        if high is not None:
            received &= Q(created_at__gt=_age_reached_at(high + 1, now=now, calendar=calendar))
        counts[f"open_{index}"] = Count("pk", filter=received)
        counts[f"past_{index}"] = Count("pk", filter=received & past)
    totals = open_rows.aggregate(**counts)
    return [
        AgeBucket(label, totals[f"open_{index}"], totals[f"past_{index}"])
        for index, (label, _low, _high) in enumerate(AGE_BUCKETS)
    ]


def _age_reached_at(days: int, *, now: datetime, calendar: Calendar) -> datetime:
    """The latest receipt time of a complaint at least `days` whole working days old at `now`."""
    return calendar.calendar.latest_start_before(end=now, seconds=days * SECONDS_PER_DAY)


@dataclass(frozen=True)
class WeekBreaches:
    week: date
    verification: int
    first_response: int
    resolution: int

    @property
    def total(self) -> int:
        return self.verification + self.first_response + self.resolution


def standard_breaches_by_week(
    complaints: QuerySet[Complaint], *, window: Window
) -> list[WeekBreaches]:
    """Missed targets recorded in the period, per week (Monday, Asia/Jakarta) and stage; a
    complaint missing two targets counts twice. One query (one scan on PostgreSQL)."""
    stages = sla.STANDARD_STAGES
    weeks: dict[date, dict[str, int]] = defaultdict(dict)
    any_breach = Q()
    for stage in stages:
        any_breach |= Q(
            **{f"{stage.breach}__gte": window.start, f"{stage.breach}__lt": window.due_until}
        )
    rows = complaints.order_by().filter(any_breach).values(*[stage.breach for stage in stages])
    if connections[complaints.db].vendor == "postgresql":
        inner, params = rows.query.sql_with_params()
        zone = str(sla.SLA_TIME_ZONE)
        values = ", ".join(
            f"({index}, c.{connections[complaints.db].ops.quote_name(stage.breach)})"
            for index, stage in enumerate(stages)
        )
        sql = (
            f"SELECT date_trunc('week', b.moment AT TIME ZONE '{zone}')::date, b.stage, "  # noqa: S608
            f"COUNT(*) FROM ({inner}) c CROSS JOIN LATERAL (VALUES {values}) b(stage, moment) "
            "WHERE b.moment >= %s AND b.moment < %s GROUP BY 1, 2"
        )
        with connections[complaints.db].cursor() as cursor:
            cursor.execute(sql, [*params, window.start, window.due_until])
            for week, index, count in cursor.fetchall():
                weeks[week][stages[index].stage] = count
    else:
        for row in rows.iterator(chunk_size=5000):
            for stage in stages:
                moment = row[stage.breach]
                if moment is not None and window.start <= moment < window.due_until:
                    day = moment.astimezone(sla.SLA_TIME_ZONE).date()
                    week = weeks[day - timedelta(days=day.weekday())]
                    week[stage.stage] = week.get(stage.stage, 0) + 1
    stage_names = [stage.stage for stage in stages]
    return [
        WeekBreaches(week, *[weeks[week].get(name, 0) for name in stage_names])
        for week in sorted(weeks)
    ]


@dataclass(frozen=True)
class OldOpen:
    pk: int
    reference: str
    office_name: str
    category_name: str
    status: str
    created_at: datetime
    age_days: float
    past_standard: bool


def standard_oldest_open(
    complaints: QuerySet[Complaint], *, now: datetime, calendar: Calendar, limit: int = OLDEST_LIMIT
) -> list[OldOpen]:
    """The open complaints received longest ago, with their age in working days. One query."""
    rows = (
        complaints.filter(status__in=UNFINISHED_STATUSES)
        .annotate(is_past=_flag(complaint_past_standard_q(now=now)))
        .select_related("office", "category")
        .only(
            "reference",
            "status",
            "created_at",
            "office__name",
            "category__name_id",
            "category__name_en",
        )
        .order_by("created_at", "pk")[:limit]
    )
    return [
        OldOpen(
            pk=c.pk,
            reference=c.reference,
            office_name=c.office.name,
            category_name=c.category.name,
            status=c.get_status_display(),
            created_at=c.created_at,
            age_days=calendar.days_between(start=c.created_at, end=now),
            past_standard=bool(c.is_past),
        )
        for c in rows
    ]


@dataclass(frozen=True)
class LevelRow:
    level: int
    open: int
    past_standard: int


def standard_open_by_level(complaints: QuerySet[Complaint], *, now: datetime) -> list[LevelRow]:
    """Open complaints and those past the standard per escalation level, live. One query; the
    level chart and its table both read it."""
    rows = (
        complaints.order_by()
        .filter(status__in=UNFINISHED_STATUSES)
        .values("escalation_level")
        .annotate(
            open=Count("pk"),
            past=Count("pk", filter=complaint_past_standard_q(now=now)),
        )
        .order_by("escalation_level")
    )
    return [LevelRow(r["escalation_level"], r["open"], r["past"]) for r in rows]
