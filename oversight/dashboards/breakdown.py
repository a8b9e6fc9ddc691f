"""Every summary figure of one dashboard view at once: totals, complaints per dimension and per
period, and the SLA columns per office.

A view filtered by province, category, country or channel cannot use the one-dimension
marginals. Asking the full daily summary (about one row per complaint) once per chart scanned the
same rows a dozen times (1.9 to 3.9 s with 1,000,000 complaints). Now:
- a national view filtered by exactly one of them reads the filter marginals (two small queries);
- any other such view: on PostgreSQL one GROUP BY GROUPING SETS query adds the full summary's
  rows up for every chart in one pass; on SQLite each figure keeps its own plain query;
- views the one-dimension marginals serve (dates and offices only) read them in two queries.
Every way gives the same figures (tests/portal/test_dashboard_selectors.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections
from django.db.models import Sum

from oversight.dashboards import selectors
from oversight.dashboards.filters import DashboardFilters
from oversight.dashboards.models import ComplaintDailyFilterMarginal, ComplaintDailyMarginal
from oversight.dashboards.selectors import SLA_COLUMNS, DashboardScope
from portal.db_router import dashboard_db_alias

# The breakdowns every view shows; "office" comes from the SLA rows (complaints per office).
COUNT_DIMENSIONS = ("category", "kind", "status", "province", "country", "agency", "channel")
PERIODS = ("month", "week")
# Grouping-set name → summary column (constants only: no input reaches the SQL text). Weeks and
# months are added up from the days in Python: one grouping set (at most 366 rows) instead of two.
GROUPING_COLUMNS = {
    **{name: selectors.DIMENSIONS[name] for name in COUNT_DIMENSIONS},
    "office": "office_id",
    "day": "day",
}


@dataclass(frozen=True)
class SummaryBreakdown:
    totals: dict[str, int]
    # dimension → [(value, complaints)], largest first, then by value
    counts: dict[str, list[tuple]]
    # "month" / "week" → [(first day, complaints)], oldest first
    periods: dict[str, list[tuple[date, int]]]
    # per office: {"office_id", *SLA_COLUMNS}, by office id
    sla_rows: list[dict]


def _largest_first(items: list[tuple]) -> list[tuple]:
    # As the per-figure queries order them: count descending, then value (NULL last).
    return sorted(
        items, key=lambda item: (-item[1], item[0] is None, "" if item[0] is None else item[0])
    )


def _office_counts(sla_rows: list[dict]) -> list[tuple[int, int]]:
    return _largest_first([(row["office_id"], row["complaints"]) for row in sla_rows])


def dashboard_summary_breakdown(
    *, scope: DashboardScope, filters: DashboardFilters
) -> SummaryBreakdown:
    """The figures of `filters` within `scope`, from the smallest table that holds them: two
    queries over the marginals, one GROUPING SETS query over the full summary on PostgreSQL, or
    (SQLite, full summary) one query per figure."""
    if selectors._marginal_applies(scope, filters):
        return _marginal_breakdown(scope=scope, filters=filters)
    if _filter_marginal_applies(scope, filters):
        return _filter_marginal_breakdown(filters=filters)
    if connections[dashboard_db_alias()].vendor == "postgresql":
        return _grouping_sets_breakdown(scope=scope, filters=filters)
    return _per_figure_breakdown(scope=scope, filters=filters)


def _filter_marginal_applies(scope: DashboardScope, filters: DashboardFilters) -> bool:
    """A national view filtered by exactly one province, country, category or channel (and
    dates)."""
    return scope.is_national and not filters.office_ids and len(_filtered_values(filters)) == 1


def _marginal_key(dimension: str, value: str) -> str | int:
    return int(value) if selectors.DIMENSIONS[dimension].endswith("_id") else value


def _marginal_breakdown(*, scope: DashboardScope, filters: DashboardFilters) -> SummaryBreakdown:
    """Views filtered by dates and offices only: the one-dimension marginals of those offices
    (or of all offices together)."""
    rows = ComplaintDailyMarginal.objects.using(dashboard_db_alias()).filter(
        dimension__in=[*COUNT_DIMENSIONS, "office"],
        day__range=(filters.date_from, filters.date_to),
    )
    offices = selectors._marginal_offices(scope, filters)
    if offices is None:
        rows = rows.filter(office_id__isnull=True)
    else:
        rows = rows.filter(office_id__in=offices)
    return _breakdown_from_marginal_rows(rows, pinned={})


def _filter_marginal_breakdown(*, filters: DashboardFilters) -> SummaryBreakdown:
    """A national view with one filter value: the filter marginals of that value."""
    pinned = _filtered_values(filters)
    ((filter_name, filter_value),) = pinned.items()
    rows = ComplaintDailyFilterMarginal.objects.using(dashboard_db_alias()).filter(
        filter_dimension=filter_name,
        filter_value=str(filter_value),
        day__range=(filters.date_from, filters.date_to),
    )
    return _breakdown_from_marginal_rows(rows, pinned=pinned)


def _breakdown_from_marginal_rows(rows, *, pinned: dict) -> SummaryBreakdown:
    """Two small queries over rows of (day, dimension, value, sums): sums per dimension and
    value, and complaints per day (weeks and months are added up from the days)."""
    sums = {column: Sum(column) for column in ("urgent", *SLA_COLUMNS)}
    grouped: dict[str, list[tuple]] = {name: [] for name in (*COUNT_DIMENSIONS, "office")}
    sla_rows: list[dict] = []
    totals = {"complaints": 0, "urgent": 0}
    for row in rows.order_by().values("dimension", "value").annotate(**sums):
        name = row["dimension"]
        key = _marginal_key(name, row["value"])
        grouped[name].append((key, row["complaints"]))
        if name == "office":
            sla_rows.append({"office_id": key, **{c: row[c] for c in SLA_COLUMNS}})
            # Every complaint has one office: the office rows add up to the totals.
            totals["complaints"] += row["complaints"]
            totals["urgent"] += row["urgent"]
    for name, value in pinned.items():
        grouped[name] = [(value, totals["complaints"])] if totals["complaints"] else []
    days = list(
        rows.filter(dimension="office")
        .order_by()
        .values("day")
        .annotate(count=Sum("complaints"))
        .values_list("day", "count")
    )
    sla_rows.sort(key=lambda row: row["office_id"])
    counts = {name: _largest_first(grouped[name]) for name in COUNT_DIMENSIONS}
    counts["office"] = _office_counts(sla_rows)
    return SummaryBreakdown(
        totals=totals, counts=counts, periods=_periods_from_days(days), sla_rows=sla_rows
    )


def _periods_from_days(days: list[tuple[date, int]]) -> dict[str, list[tuple[date, int]]]:
    periods = {}
    for period in PERIODS:
        per_start: dict[date, int] = defaultdict(int)
        for day, count in days:
            per_start[_period_start(day, period)] += count
        periods[period] = sorted(per_start.items())
    return periods


def _per_figure_breakdown(*, scope: DashboardScope, filters: DashboardFilters) -> SummaryBreakdown:
    sla_rows = selectors.dashboard_sla_summary_rows(scope=scope, filters=filters)
    counts = {
        dimension: selectors.dashboard_count_by(scope=scope, filters=filters, dimension=dimension)
        for dimension in COUNT_DIMENSIONS
    }
    counts["office"] = _office_counts(sla_rows)
    return SummaryBreakdown(
        totals=selectors.dashboard_totals(scope=scope, filters=filters),
        counts=counts,
        periods={
            period: selectors.dashboard_volume_by_period(
                scope=scope, filters=filters, period=period
            )
            for period in PERIODS
        },
        sla_rows=sla_rows,
    )


def _filtered_values(filters: DashboardFilters) -> dict[str, str | int]:
    """Dimensions the filters pin to one value: their breakdown is that value and the total."""
    pinned: dict[str, str | int | None] = {
        "province": filters.province,
        "country": filters.country,
        "category": filters.category_id,
        "channel": filters.channel,
    }
    return {name: value for name, value in pinned.items() if value}


def _period_start(day: date, period: str) -> date:
    if period == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())  # weeks start on Monday, as TruncWeek


def _grouping_sets_breakdown(
    *, scope: DashboardScope, filters: DashboardFilters
) -> SummaryBreakdown:
    """One scan of the filtered summary rows, summed per grouping set (PostgreSQL)."""
    alias = dashboard_db_alias()
    rows = selectors._summary(scope=scope, filters=filters)
    query = rows.query
    table = query.get_meta().db_table
    # The WHERE clause of the same queryset the per-figure queries use: same scope, same filters.
    where, params = query.get_compiler(using=alias).compile(query.where)
    pinned = _filtered_values(filters)
    # Each grouping set costs a hash update per row: leave out the ones the filters pin.
    names = [name for name in GROUPING_COLUMNS if name not in pinned]
    columns = [GROUPING_COLUMNS[name] for name in names]
    measures = ("complaints", "urgent", *SLA_COLUMNS[1:])
    # GROUPING(c1, …, cn) sets bit n-1-i when ci is NOT a grouping column of the row's set.
    every_bit = (1 << len(names)) - 1
    set_of_mask = {every_bit: None}
    for index, name in enumerate(names):
        set_of_mask[every_bit ^ (1 << (len(names) - 1 - index))] = name
    sql = (
        f"SELECT GROUPING({', '.join(columns)}), {', '.join(columns)}, "  # noqa: S608
        f"{', '.join(f'SUM({m})' for m in measures)} "
        f'FROM "{table}" WHERE {where} '
        f"GROUP BY GROUPING SETS ((), {', '.join(f'({c})' for c in columns)})"
    )
    totals = {"complaints": 0, "urgent": 0}
    grouped: dict[str, list[tuple]] = {name: [] for name in names}
    sla_rows: list[dict] = []
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        for mask, *values in cursor.fetchall():
            keys, sums = values[: len(names)], values[len(names) :]
            summed = dict(zip(measures, (int(value or 0) for value in sums), strict=True))
            name = set_of_mask[mask]
            if name is None:
                totals = {"complaints": summed["complaints"], "urgent": summed["urgent"]}
                continue
            key = keys[names.index(name)]
            grouped[name].append((key, summed["complaints"]))
            if name == "office":
                sla_rows.append({"office_id": key, **{c: summed[c] for c in SLA_COLUMNS}})
    for name, value in pinned.items():
        grouped[name] = [(value, totals["complaints"])] if totals["complaints"] else []
    sla_rows.sort(key=lambda row: row["office_id"])
    counts = {name: _largest_first(grouped[name]) for name in COUNT_DIMENSIONS}
    counts["office"] = _office_counts(sla_rows)
    return SummaryBreakdown(
        totals=totals, counts=counts, periods=_periods_from_days(grouped["day"]), sla_rows=sla_rows
    )
