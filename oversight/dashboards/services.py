"""Dashboard summary workflow: the per-complaint contributions (the ledger), the monthly
marginals and filter marginals added up from them, plus durations, the duration snapshot and the
working-day calendar.

This module is the one writer of these tables, in three ways:
- `dashboard_summary_fold` (Celery task `portal.fold_dashboard_summary`, every minute): the
  complaints changed since the last fold (their ids logged by triggers on the complaints table,
  PostgreSQL) and those whose service-standard target passed since then move their contribution
  from the old rows to the new ones; its cost grows with the changes, not the history.
- `dashboard_summary_refresh` (`manage.py refresh_dashboard_summary`): the full rebuild, set-based
  — the initial state after the migration, and the upkeep on SQLite (no triggers there).
- `dashboard_summary_check` (`manage.py check_dashboard_summary`, nightly): fold, rebuild into
  temporary tables, and count the rows that differ ("drift", 0 expected).
Each runs in one transaction: readers keep seeing the previous tables until it commits (MVCC).

SLA outcomes are the service standard of complaints.services.sla, read from the complaint's own
fields (targets from receipt, breaches recorded by the sweep): on time = the stage's milestone
reached with no breach; late = a breach recorded. "Overdue" is past the standard
(complaints.selectors.complaint_past_standard_q) at the instant of the last fold. The
`WorkingDay` table is the SLA module's calendar written out for SQL; this module knows no day
counts and no holidays of its own.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from complaints.choices import Status
from complaints.models import Complaint
from complaints.selectors import complaint_past_standard_q, complaint_q_as_sql
from complaints.services.sla import (
    STANDARD_STAGES,
    WorkingCalendar,
    calendar_load,
    standard_breach_pending_q,
)
from oversight.dashboards.models import (
    FILTER_DIMENSIONS,
    TOTAL_DIMENSION,
    ChannelDurationSnapshot,
    ComplaintChange,
    ComplaintDuration,
    ComplaintFilterMarginal,
    ComplaintMarginal,
    ComplaintSummaryFact,
    DashboardRefresh,
    OfficeDurationSnapshot,
    Period,
    WorkingDay,
    filter_breakdown_stored,
)
from oversight.dashboards.selectors import SLA_COLUMNS, dashboard_channel_duration_snapshot

logger = logging.getLogger(__name__)

# Rejected and duplicate complaints never go through the later stages: they are not measured.
UNMEASURED_STATUSES = (Status.REJECTED, Status.DUPLICATE)


@dataclass(frozen=True)
class RefreshResult:
    summary_rows: int  # rows of the marginals and filter marginals
    calendar_days: int
    duration_ms: int


def local_today() -> date:
    return timezone.localdate()


def working_day_ordinals(
    *, start: date, end: date, calendar: WorkingCalendar | None = None
) -> list[WorkingDay]:
    """Rows of the SLA module's calendar from start to end (complaints.services.sla decides what
    a working day is; years without holidays count weekdays only, and it warns about them)."""
    calendar = calendar or calendar_load()
    rows = []
    ordinal = 0
    day = start
    while day <= end:
        is_working = calendar.is_working_day(day)
        ordinal += is_working
        rows.append(WorkingDay(date=day, ordinal=ordinal, is_working_day=is_working))
        day += timedelta(days=1)
    return rows


def _local_date_sql(column: str) -> tuple[str, list]:
    """SQL for the local (settings.TIME_ZONE) calendar date of a timestamp column."""
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE %s)::date", [settings.TIME_ZONE]
    # SQLite stores UTC text; Asia/Jakarta has had a fixed offset since 1964, so an offset is exact.
    offset = ZoneInfo(settings.TIME_ZONE).utcoffset(datetime(2000, 1, 1))  # noqa: DTZ001 - asks the zone itself
    hours = int(offset.total_seconds() // 3600) if offset else 0
    return f"date({column}, '{hours:+d} hours')", []


# The ledger and the durations are written ordered by day, province, country and category, so
# that the rows of one day and province (and country) share pages: a filtered dashboard view then
# reads a few thousand pages through the (province/country/category, day) indexes instead of
# nearly every page (one row per complaint: the rows of one filter value would otherwise lie on
# every page). Measured on 1,000,000 complaints: the one grouping query of a province + country
# view went from 400 ms to 100 ms.
SUMMARY_ORDER = "day, province_code, destination_country, category_id"

# The ledger's key columns and their expression over a complaint `c` joined to the calendar
# `cd`. A new dimension is one entry here (plus its column on ComplaintSummaryFact, and on the
# marginals' MARGINAL_DIMENSIONS if a page breaks down by it); the contributions, the rebuild,
# the fold and the check all follow.
SUMMARY_KEYS = {
    "day": "cd.date",
    "office_id": "c.office_id",
    "category_id": "c.category_id",
    "kind": "c.kind",
    "destination_country": "c.destination_country",
    "province_code": "SUBSTR(c.origin_region_id, 1, 2)",
    "status": "c.status",
    "placement_agency_id": "c.placement_agency_id",
    "escalation_level": "c.escalation_level",
    "channel": "c.channel",
}
# The complaints count, then the flags: urgent, overdue and each SLA stage met or late.
MEASURES = ("complaints", "urgent", "overdue", *SLA_COLUMNS[1:])
# A complaint's 0/1 per measure ("complaints" is 1 for every complaint).
FLAGS = MEASURES[1:]


def _contribution_sql(*, now: datetime, where: str = "") -> tuple[str, list]:
    """SELECT complaint_id, SUMMARY_KEYS…, complaints (1), FLAGS… of each complaint (optionally
    narrowed by `where` over `c`): what it adds up to, with "overdue" evaluated at `now`."""
    complaint = Complaint._meta.db_table
    calendar = WorkingDay._meta.db_table
    created, created_params = _local_date_sql("c.created_at")
    past, past_params = complaint_q_as_sql(q=complaint_past_standard_q(now=now), alias="c")

    def stage(standard) -> list[str]:
        # on time: the stage's milestone (or a later one) reached and no breach recorded;
        # late: a breach recorded (the sweep sets it when the target passes unmet). Column
        # names come from the SLA module; nothing here is user input.
        reached = " OR ".join(f"c.{name} IS NOT NULL" for name in standard.milestones)
        return [
            f"CASE WHEN c.{standard.target} IS NOT NULL AND c.{standard.breach} IS NULL "
            f"AND ({reached}) THEN 1 ELSE 0 END",
            f"CASE WHEN c.{standard.breach} IS NOT NULL THEN 1 ELSE 0 END",
        ]

    keys = ", ".join(f"{expression} AS {name}" for name, expression in SUMMARY_KEYS.items())
    expressions = [
        "CASE WHEN c.is_urgent THEN 1 ELSE 0 END",
        f"CASE WHEN {past} THEN 1 ELSE 0 END",
        *(part for standard in STANDARD_STAGES for part in stage(standard)),
    ]
    flags = ", ".join(
        f"{expression} AS {name}" for expression, name in zip(expressions, FLAGS, strict=True)
    )
    sql = f"""
        SELECT c.id AS complaint_id, {keys}, 1 AS complaints, {flags}
        FROM {complaint} c
        JOIN {calendar} cd ON cd.date = {created}
        {f"WHERE {where}" if where else ""}
    """  # noqa: S608 - identifiers only, see above; values are parameters
    return sql, [*past_params, *created_params]


FACT_COLUMNS = ("complaint_id", *SUMMARY_KEYS, *MEASURES)


def _facts_insert_sql(*, now: datetime, target: str) -> tuple[str, list]:
    select, params = _contribution_sql(now=now)
    columns = ", ".join(FACT_COLUMNS)
    return f"INSERT INTO {target} ({columns}) {select} ORDER BY {SUMMARY_ORDER}", params


def _delta_from_facts_sql(*, source: str) -> str:
    """Summary-shaped rows (per key, the complaints and each measure) of signed contributions:
    the source has a `sign` column (+1 new, -1 old contribution); the rows that add up to
    nothing are left out."""
    keys = ", ".join(SUMMARY_KEYS)
    sums = ", ".join(
        ["SUM(sign) AS complaints", *(f"SUM(sign * {flag}) AS {flag}" for flag in FLAGS)]
    )
    nonzero = " OR ".join(["SUM(sign) <> 0", *(f"SUM(sign * {flag}) <> 0" for flag in FLAGS)])
    return f"SELECT {keys}, {sums} FROM {source} GROUP BY {keys} HAVING {nonzero}"  # noqa: S608


def _duration_sql(*, target: str, where: str = "") -> tuple[str, list]:
    """One row per complaint responded to or resolved: its hours to each, and filter columns."""
    complaint = Complaint._meta.db_table
    created, created_params = _local_date_sql("c.created_at")
    responded = "COALESCE(c.first_response_at, c.resolved_at)"
    if connection.vendor == "postgresql":
        # The same expression the live percentiles used, so the figures stay identical.
        response = f"EXTRACT(EPOCH FROM ({responded} - c.created_at)) / 3600.0"
        resolution = "EXTRACT(EPOCH FROM (c.resolved_at - c.created_at)) / 3600.0"
    else:
        # SQLite: julianday keeps milliseconds, far below the 0.1 hour the dashboard shows.
        response = f"(julianday({responded}) - julianday(c.created_at)) * 24.0"
        resolution = "(julianday(c.resolved_at) - julianday(c.created_at)) * 24.0"
    sql = f"""
        INSERT INTO {target} (
            complaint_id, day, office_id, category_id, destination_country, province_code,
            channel, response_hours, resolution_hours)
        SELECT c.id, {created}, c.office_id, c.category_id, c.destination_country,
            SUBSTR(c.origin_region_id, 1, 2), c.channel, {response}, {resolution}
        FROM {complaint} c
        WHERE {responded} IS NOT NULL {f"AND {where}" if where else ""}
        ORDER BY 2, c.origin_region_id, c.destination_country, c.category_id
    """  # noqa: S608 - identifiers only
    return sql, created_params


def _period_start_sql(period: str, column: str = "day") -> str:
    """SQL for the first day of the month, or the Monday of the week, of a date column."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('{period}', {column}) AS DATE)"
    if period == Period.MONTH:
        return f"date({column}, 'start of month')"
    # The coming Sunday (the day itself on a Sunday), back six days: the Monday of its week.
    return f"date({column}, 'weekday 0', '-6 days')"


# Dimension name → ledger column, for the marginals (one row per month and value).
MARGINAL_DIMENSIONS = {
    "category": "category_id",
    "kind": "kind",
    "status": "status",
    "province": "province_code",
    "country": "destination_country",
    "office": "office_id",
    "agency": "placement_agency_id",
    "channel": "channel",
}


def _marginal_sets() -> list[tuple[str, str, str | None]]:
    """(period, dimension, ledger column) of every marginal row kind: each dimension per month;
    the total (column None) per month and per week (the weekly volume needs nothing else)."""
    return [
        *((Period.MONTH.value, name, column) for name, column in MARGINAL_DIMENSIONS.items()),
        (Period.MONTH.value, TOTAL_DIMENSION, None),
        (Period.WEEK.value, TOTAL_DIMENSION, None),
    ]


def _marginal_select(
    *, source: str, sums: str, period: str, name: str, column: str | None, fixed: dict, group: list
) -> str:
    """One marginal row kind of summary-shaped rows: `fixed` output column → SQL expression (the
    office or the filter), `group` their grouping columns."""
    start = _period_start_sql(period)
    value = f"CAST({column} AS VARCHAR(20))" if column else "''"
    grouped = ", ".join([start, *group, *([column] if column else [])])
    fixed_columns = "".join(f"{expression} AS {alias}, " for alias, expression in fixed.items())
    # Identifiers from the constants of this module only.
    return (
        f"SELECT '{period}' AS period, {start} AS period_start, {fixed_columns}"  # noqa: S608
        f"'{name}' AS dimension, {value} AS value, {sums} FROM {source} "
        f"{f'WHERE {column} IS NOT NULL ' if column else ''}GROUP BY {grouped}"
    )


MARGINAL_KEYS = ("period", "period_start", "office_id", "dimension", "value")


def _marginal_sql(*, source: str) -> str:
    """All offices together (office_id NULL), then per office: one row per period and value, of
    summary-shaped rows."""
    sums = ", ".join(f"SUM({m}) AS {m}" for m in MEASURES)
    selects = [
        _marginal_select(
            source=source,
            sums=sums,
            period=period,
            name=name,
            column=column,
            fixed={"office_id": office},
            group=group,
        )
        for office, group in (("CAST(NULL AS BIGINT)", []), ("office_id", ["office_id"]))
        for period, name, column in _marginal_sets()
    ]
    return " UNION ALL ".join(selects)


# The same measures without "overdue", which the filter marginals do not keep.
FILTER_MEASURES = tuple(measure for measure in MEASURES if measure != "overdue")
FILTER_MARGINAL_KEYS = (
    "period",
    "period_start",
    "filter_dimension",
    "filter_value",
    "dimension",
    "value",
)


def _filter_marginal_sql(*, source: str) -> str:
    """National rows per period, filter value and breakdown value of summary-shaped rows;
    ordered by filter value and period so that one filter value's rows share pages."""
    sums = ", ".join(f"SUM({m}) AS {m}" for m in FILTER_MEASURES)
    selects = [
        _marginal_select(
            source=source,
            sums=sums,
            period=period,
            name=name,
            column=column,
            fixed={
                "filter_dimension": f"'{filter_name}'",
                "filter_value": f"CAST({MARGINAL_DIMENSIONS[filter_name]} AS VARCHAR(20))",
            },
            group=[MARGINAL_DIMENSIONS[filter_name]],
        )
        for filter_name in FILTER_DIMENSIONS
        for period, name, column in _marginal_sets()
        if filter_breakdown_stored(filter_dimension=filter_name, dimension=name)
    ]
    return (
        "SELECT * FROM ("  # noqa: S608
        + " UNION ALL ".join(selects)
        + ") AS filtered ORDER BY filter_dimension, filter_value, period, period_start"
    )


@dataclass(frozen=True)
class DerivedTable:
    """A table derived from the ledger: its key and measure columns and its SELECT over any
    summary-shaped source (the ledger itself, or a fold's delta)."""

    model: type[Model]
    keys: tuple[str, ...]
    measures: tuple[str, ...]
    select: Callable[..., str]

    @property
    def table(self) -> str:
        return self.model._meta.db_table


DERIVED_TABLES = (
    DerivedTable(ComplaintMarginal, MARGINAL_KEYS, MEASURES, _marginal_sql),
    DerivedTable(
        ComplaintFilterMarginal, FILTER_MARGINAL_KEYS, FILTER_MEASURES, _filter_marginal_sql
    ),
)


def _tables_build(*, now: datetime, facts: str, derived: dict, durations: str) -> int:
    """Every table from the complaints, set-based (a few INSERT ... SELECT, no row loop): the
    contributions (the ledger), the tables added up from them, the durations. Targets are table
    names: the real tables (rebuild) or temporary copies (the check). Returns the rows of the
    derived tables."""
    rows = 0
    with connection.cursor() as cursor:
        sql, params = _facts_insert_sql(now=now, target=facts)
        cursor.execute(sql, params)
        for spec in DERIVED_TABLES:
            columns = ", ".join([*spec.keys, *spec.measures])
            cursor.execute(
                f"INSERT INTO {derived[spec.table]} ({columns}) "  # noqa: S608
                f"SELECT {columns} FROM ({spec.select(source=facts)}) AS derived"
            )
            rows += max(cursor.rowcount, 0)
        sql, params = _duration_sql(target=durations)
        cursor.execute(sql, params)
    return rows


def _duration_snapshot(today: date) -> list[OfficeDurationSnapshot]:
    from oversight.dashboards.filters import DashboardFilters
    from oversight.dashboards.selectors import DashboardScope, dashboard_durations_by_office

    filters = DashboardFilters.default(today)
    scope = DashboardScope(office_ids=None, complaints=Complaint.objects.all())
    window = {"date_from": filters.date_from, "date_to": filters.date_to}
    every_channel = dashboard_durations_by_office(scope=scope, filters=filters, live=True)
    per_channel = dashboard_durations_by_office(
        scope=scope, filters=filters, live=True, per_channel=True
    )
    return [
        *(
            OfficeDurationSnapshot(office_id=office_id, channel="", **window, **values)
            for office_id, values in every_channel.items()
        ),
        *(
            OfficeDurationSnapshot(office_id=office_id, channel=channel, **window, **values)
            for (office_id, channel), values in per_channel.items()
        ),
    ]


# Folds, rebuilds and checks take this lock (PostgreSQL advisory lock) so they never interleave:
# a fold must never apply a contribution a concurrent rebuild already counted.
UPKEEP_LOCK = 0x0DA5_4B0A


@contextmanager
def _upkeep_lock() -> Iterator[None]:
    """Serialise the writers of the dashboard tables. Outside a transaction a session lock is
    taken BEFORE the transaction starts, so a waiting run's snapshot (the check's repeatable
    read) begins after the run it waited for committed; inside one (tests) a transaction lock."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [UPKEEP_LOCK])
            yield
            return
        cursor.execute("SELECT pg_advisory_lock(%s)", [UPKEEP_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [UPKEEP_LOCK])


def _calendar_write(today: date) -> int:
    first_created = Complaint.objects.order_by("created_at").values_list("created_at", flat=True)
    first = first_created.first()
    start = min(timezone.localtime(first).date(), today) if first else today
    # Stamps can lie after today (clock skew between hosts): cover a month ahead.
    end = today + timedelta(days=31)
    calendar = working_day_ordinals(start=start - timedelta(days=1), end=end)
    WorkingDay.objects.all().delete()
    WorkingDay.objects.bulk_create(calendar, batch_size=2000)
    return len(calendar)


def _snapshot_write(today: date) -> None:
    # The snapshots read the durations just written (same transaction).
    OfficeDurationSnapshot.objects.all().delete()
    OfficeDurationSnapshot.objects.bulk_create(_duration_snapshot(today))
    ChannelDurationSnapshot.objects.all().delete()
    ChannelDurationSnapshot.objects.bulk_create(dashboard_channel_duration_snapshot(today=today))


def _state_save(state: DashboardRefresh | None, values: dict) -> None:
    if state is None:
        DashboardRefresh.objects.update_or_create(pk=1, defaults=values)
    else:
        DashboardRefresh.objects.filter(pk=1).update(**values)


def _rebuild(*, today: date, now: datetime, state: DashboardRefresh | None) -> RefreshResult:
    started = time.monotonic()
    # The change log up to here is covered by this rebuild. A change committed after this
    # statement stays logged and is folded again later: folding a complaint recomputes its
    # contribution, so counting it in the rebuild and folding it again is harmless.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            _log_capture(cursor)
    calendar_days = _calendar_write(today)
    for model in (
        ComplaintSummaryFact,
        ComplaintMarginal,
        ComplaintFilterMarginal,
        ComplaintDuration,
    ):
        model.objects.all().delete()
    rows = _tables_build(
        now=now,
        facts=ComplaintSummaryFact._meta.db_table,
        derived={spec.table: spec.table for spec in DERIVED_TABLES},
        durations=ComplaintDuration._meta.db_table,
    )
    _snapshot_write(today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            _log_consume(cursor)
    duration_ms = int((time.monotonic() - started) * 1000)
    _state_save(
        state,
        {
            "refreshed_at": timezone.now(),
            "as_of_date": today,
            "summary_rows": max(rows, 0),
            "duration_ms": duration_ms,
            "folded_at": now,
            "duration_snapshot_at": now,
        },
    )
    return RefreshResult(
        summary_rows=max(rows, 0), calendar_days=calendar_days, duration_ms=duration_ms
    )


def dashboard_summary_refresh(
    *, today: date | None = None, now: datetime | None = None
) -> RefreshResult:
    """Rebuild the working-day calendar, the ledger and every table derived from it from
    the complaints table, in one transaction: readers keep seeing the previous tables until it
    commits (MVCC). The initial state of the incremental upkeep, and the upkeep itself on SQLite."""
    with _upkeep_lock(), transaction.atomic():
        # Two rebuilds at once (SQLite has no advisory lock) wait for each other here.
        state = DashboardRefresh.objects.select_for_update().filter(pk=1).first()
        return _rebuild(today=today or local_today(), now=now or timezone.now(), state=state)


@dataclass(frozen=True)
class FoldResult:
    complaints: int  # complaints folded in (changed, or a target passed)
    changes: int  # change-log rows consumed
    duration_ms: int
    rebuilt: bool  # no state to fold into, or SQLite: a full rebuild ran instead


def _temp_table(cursor, name: str, select: str, params: list | None = None) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS {select}", params or [])
    # Temporary tables have no statistics: without them the planner guesses a size and may
    # scan a whole summary table instead of looking each key up.
    cursor.execute(f"ANALYZE {name}")


def _log_capture(cursor) -> None:
    """The change-log rows this run consumes: the ones visible now. Rows committed later (even
    with a smaller id) stay for the next fold."""
    log = ComplaintChange._meta.db_table
    _temp_table(cursor, "dash_consumed", f"SELECT id, complaint_id FROM {log}")  # noqa: S608


def _log_consume(cursor) -> None:
    log = ComplaintChange._meta.db_table
    cursor.execute(f"DELETE FROM {log} WHERE id IN (SELECT id FROM dash_consumed)")  # noqa: S608


def _delta_apply(
    cursor,
    *,
    model: type[Model],
    delta: str,
    keys: tuple[str, ...] | list[str],
    measures: tuple[str, ...],
) -> None:
    """Add a delta (unique keys, signed measures) to a table: update the rows that exist, insert
    the others, delete the rows whose first measure (the count) fell to zero.

    Rows are matched key by key with plain equalities an index can serve. A nullable key column
    (IS NOT DISTINCT FROM would defeat the index, e.g. the all-offices marginal rows) is taken in
    two passes: the delta rows where it is NULL against `t.key IS NULL`, then the others."""
    table = model._meta.db_table
    nullable = [
        field.column
        for field in model._meta.concrete_fields
        if field.null and field.column in set(keys)
    ]
    count = measures[0]
    assign = ", ".join(f"{m} = t.{m} + d.{m}" for m in measures)
    columns = ", ".join([*keys, *measures])
    picked = ", ".join(f"d.{c}" for c in [*keys, *measures])
    for nulls in itertools.product((True, False), repeat=len(nullable)):
        is_null = dict(zip(nullable, nulls, strict=True))
        match = " AND ".join(
            (f"t.{key} IS NULL AND d.{key} IS NULL" if is_null[key] else f"t.{key} = d.{key}")
            if key in is_null
            else f"t.{key} = d.{key}"
            for key in keys
        )
        # The delta rows of this pass (for the insert, whose NOT EXISTS sees no `d` filter).
        part = (
            " AND ".join(
                [f"d.{key} IS {'' if null else 'NOT '}NULL" for key, null in is_null.items()]
            )
            or "TRUE"
        )
        # Identifiers from the constants of this module only.
        cursor.execute(f"UPDATE {table} t SET {assign} FROM {delta} d WHERE {match}")  # noqa: S608
        # A key not in the table had no complaint before: its count can only have grown.
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {picked} FROM {delta} d "  # noqa: S608
            f"WHERE {part} AND d.{count} > 0 "
            f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE {match})"
        )
        # Only a count that went down can have reached zero.
        cursor.execute(
            f"DELETE FROM {table} t USING {delta} d "  # noqa: S608
            f"WHERE {match} AND d.{count} < 0 AND t.{count} = 0"
        )


def _passed_targets_sql(*, since: datetime, now: datetime) -> tuple[str, list]:
    """Ids of the unfinished complaints whose "overdue" turned on in (since, now] without their
    row changing: a target passed while the clock ran (the sweep then records the breach, a
    change of its own). Each stage's query reads its partial index `complaint_unmet_*`."""
    parts, params = [], []
    for stage in STANDARD_STAGES:
        q = standard_breach_pending_q(stage=stage, now=now) & Q(**{f"{stage.target}__gt": since})
        sql, stage_params = complaint_q_as_sql(q=q, alias="c")
        parts.append(f"SELECT c.id FROM {Complaint._meta.db_table} c WHERE {sql}")  # noqa: S608
        params += stage_params
    return " UNION ".join(parts), params


def _fold(*, now: datetime, today: date, state: DashboardRefresh) -> FoldResult:
    """Fold the logged changes (and the targets passed since the last fold) into the tables.
    Runs inside the caller's transaction and lock; PostgreSQL only."""
    started = time.monotonic()
    assert state.folded_at is not None  # noqa: S101 - the caller rebuilds first otherwise
    # "overdue" never goes back in time: a clock stepping back keeps the last instant.
    now = max(now, state.folded_at)
    if not WorkingDay.objects.filter(date=today + timedelta(days=31)).exists():
        _calendar_write(today)  # once a day: the calendar covers a month ahead
    facts = ComplaintSummaryFact._meta.db_table
    key_columns = ", ".join(SUMMARY_KEYS)
    flag_columns = ", ".join(FLAGS)
    with connection.cursor() as cursor:
        _log_capture(cursor)
        passed, passed_params = _passed_targets_sql(since=state.folded_at, now=now)
        _temp_table(
            cursor,
            "dash_ids",
            f"SELECT complaint_id FROM dash_consumed UNION {passed}",  # noqa: S608
            passed_params,
        )
        cursor.execute(
            "SELECT (SELECT count(*) FROM dash_ids), (SELECT count(*) FROM dash_consumed)"
        )
        folded, consumed = cursor.fetchone()
        if folded:
            # Every join below pairs a small delta with a large table: look each key up through
            # the index. A hash join would read the whole table (the million-row ledger, tens of
            # thousands of marginal rows) to match a thousand keys.
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")
            where = "c.id IN (SELECT complaint_id FROM dash_ids)"
            select, params = _contribution_sql(now=now, where=where)
            _temp_table(cursor, "dash_new", select, params)
            _temp_table(
                cursor,
                "dash_delta",
                _delta_from_facts_sql(
                    source=(
                        f"(SELECT {key_columns}, {flag_columns}, 1 AS sign FROM dash_new "  # noqa: S608
                        f"UNION ALL SELECT {key_columns}, {flag_columns}, -1 AS sign "
                        f"FROM {facts} WHERE complaint_id IN (SELECT complaint_id FROM dash_ids)"
                        ") AS contributions"
                    ),
                ),
            )
            for spec in DERIVED_TABLES:
                nonzero = " OR ".join(f"{m} <> 0" for m in spec.measures)
                _temp_table(
                    cursor,
                    f"dash_delta_{spec.model._meta.model_name}",
                    f"SELECT * FROM ({spec.select(source='dash_delta')}) AS derived "  # noqa: S608
                    f"WHERE {nonzero}",
                )
                _delta_apply(
                    cursor,
                    model=spec.model,
                    delta=f"dash_delta_{spec.model._meta.model_name}",
                    keys=spec.keys,
                    measures=spec.measures,
                )
            cursor.execute(
                f"DELETE FROM {facts} WHERE complaint_id IN (SELECT complaint_id FROM dash_ids)"  # noqa: S608
            )
            columns = ", ".join(FACT_COLUMNS)
            cursor.execute(f"INSERT INTO {facts} ({columns}) SELECT {columns} FROM dash_new")  # noqa: S608
            durations = ComplaintDuration._meta.db_table
            cursor.execute(
                f"DELETE FROM {durations} WHERE complaint_id IN (SELECT complaint_id FROM dash_ids)"  # noqa: S608
            )
            sql, params = _duration_sql(target=durations, where=where)
            cursor.execute(sql, params)
            # Back to the session's planner (the check rebuilds in full next, same transaction).
            cursor.execute("RESET enable_hashjoin")
            cursor.execute("RESET enable_mergejoin")
        _log_consume(cursor)
    duration_ms = int((time.monotonic() - started) * 1000)
    DashboardRefresh.objects.filter(pk=1).update(
        refreshed_at=timezone.now(),
        as_of_date=today,
        folded_at=now,
        fold_complaints=folded,
        fold_ms=duration_ms,
    )
    return FoldResult(complaints=folded, changes=consumed, duration_ms=duration_ms, rebuilt=False)


def dashboard_summary_fold(*, today: date | None = None, now: datetime | None = None) -> FoldResult:
    """Bring the dashboard tables up to date with the complaints changed since the last fold
    (Celery task `portal.fold_dashboard_summary`, every minute): the work grows with the
    changes, not with the history. Without a built state (first run after the migration), or on
    SQLite (no change log), a full rebuild runs instead."""
    today = today or local_today()
    now = now or timezone.now()
    with _upkeep_lock(), transaction.atomic():
        state = DashboardRefresh.objects.select_for_update().filter(pk=1).first()
        if connection.vendor != "postgresql" or state is None or state.folded_at is None:
            result = _rebuild(today=today, now=now, state=state)
            return FoldResult(complaints=0, changes=0, duration_ms=result.duration_ms, rebuilt=True)
        return _fold(now=now, today=today, state=state)


def dashboard_duration_snapshot_refresh(*, today: date | None = None) -> int:
    """Retake the median/p90 snapshot of the default window from the durations (Celery task
    `oversight.refresh_duration_snapshot`, every 5 minutes, as the full rebuild used to). Not
    part of the fold: percentiles cannot be updated by a delta, and sorting a year of durations
    costs the same whatever changed. Returns the offices written."""
    today = today or local_today()
    now = timezone.now()
    with _upkeep_lock(), transaction.atomic():
        _snapshot_write(today)
        DashboardRefresh.objects.filter(pk=1).update(duration_snapshot_at=now)
    return OfficeDurationSnapshot.objects.count()


# What the check compares: each table's columns (everything but the surrogate id).
def _checked_tables() -> list[tuple[type[Model], list[str]]]:
    return [
        (model, [f.column for f in model._meta.concrete_fields if f.column != "id"])
        for model in (
            ComplaintSummaryFact,
            ComplaintMarginal,
            ComplaintFilterMarginal,
            ComplaintDuration,
        )
    ]


@dataclass(frozen=True)
class CheckResult:
    drift_rows: int
    # table → rows that differ (missing from one side or the other); only tables with drift
    drift_by_table: dict[str, int]
    folded: FoldResult
    duration_ms: int
    repaired: bool


def dashboard_summary_check(
    *, today: date | None = None, now: datetime | None = None, repair: bool = False
) -> CheckResult:
    """Fold, then rebuild every table from the complaints into temporary tables and compare,
    row for row, in one repeatable-read snapshot: the rows that differ are drift (0 expected;
    logged as an error otherwise). `repair`: then replace the tables with the rebuild.
    PostgreSQL only (SQLite rebuilds in full every time: nothing can drift)."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("the incremental upkeep and its check need PostgreSQL")
    started = time.monotonic()
    today = today or local_today()
    now = now or timezone.now()
    with _upkeep_lock(), transaction.atomic():
        if len(connection.atomic_blocks) == 1:
            # Folded tables and the rebuild must see the same complaints.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        state = DashboardRefresh.objects.select_for_update().filter(pk=1).first()
        if state is None or state.folded_at is None:
            folded = FoldResult(complaints=0, changes=0, duration_ms=0, rebuilt=True)
            _rebuild(today=today, now=now, state=state)
            state = DashboardRefresh.objects.get(pk=1)
        else:
            folded = _fold(now=now, today=today, state=state)
            state.refresh_from_db()
        as_of = state.folded_at
        assert as_of is not None  # noqa: S101 - set by the fold or rebuild above
        tables = _checked_tables()
        copies = {
            model._meta.db_table: f"dash_check_{model._meta.model_name}" for model, _c in tables
        }
        drift: dict[str, int] = {}
        with connection.cursor() as cursor:
            for model, columns in tables:
                _temp_table(
                    cursor,
                    copies[model._meta.db_table],
                    f"SELECT {', '.join(columns)} FROM {model._meta.db_table} LIMIT 0",  # noqa: S608
                )
            _tables_build(
                now=as_of,
                facts=copies[ComplaintSummaryFact._meta.db_table],
                derived={spec.table: copies[spec.table] for spec in DERIVED_TABLES},
                durations=copies[ComplaintDuration._meta.db_table],
            )
            for model, columns in tables:
                listed = ", ".join(columns)
                table, copy = model._meta.db_table, copies[model._meta.db_table]
                cursor.execute(
                    f"SELECT count(*) FROM ("  # noqa: S608 - identifiers only
                    f"(SELECT {listed} FROM {table} EXCEPT ALL SELECT {listed} FROM {copy}) "
                    f"UNION ALL "
                    f"(SELECT {listed} FROM {copy} EXCEPT ALL SELECT {listed} FROM {table})"
                    f") AS differing"
                )
                (differing,) = cursor.fetchone()
                if differing:
                    drift[table] = differing
        total = sum(drift.values())
        if total:
            logger.error("dashboard summary drift %s rows: %s", total, drift)
        else:
            logger.info("dashboard summary drift 0 rows")
        repaired = bool(total and repair)
        if repaired:
            _rebuild(today=today, now=as_of, state=state)
        duration_ms = int((time.monotonic() - started) * 1000)
        DashboardRefresh.objects.filter(pk=1).update(checked_at=timezone.now(), drift_rows=total)
    return CheckResult(
        drift_rows=total,
        drift_by_table=drift,
        folded=folded,
        duration_ms=duration_ms,
        repaired=repaired,
    )
