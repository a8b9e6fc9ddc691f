"""Every summary figure of one dashboard view at once: totals, complaints per dimension and per
period, and the SLA columns per office.

The monthly marginals (oversight/dashboards/models.py) hold whole months (and whole weeks for
the weekly volume); the ledger holds one row per complaint, indexed by day. A view reads:
- filtered by dates and offices only: the marginals of its months, two small queries, and the
  edges of its date range from the ledger (one GROUPING SETS query over a few days);
- national and filtered by exactly one province, country, category or channel: the same with the
  filter marginals of that value (and its offices from the per-office marginals);
- any other (several filters, or a filter within an office scope): one GROUP BY GROUPING SETS
  query over the ledger's rows of the view.
A month (or week) partly inside the range is added up from the ledger's days inside it, or, when
fewer days lie outside, read whole from the marginals less the ledger's days outside: the
default view (twelve months up to today) subtracts the days after today, usually none. On SQLite
(no GROUPING SETS; small data) each figure keeps its own plain query. Every way gives the same
figures (tests/oversight/test_dashboard_selectors.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import Q, QuerySet, Sum

from oversight.dashboards import selectors
from oversight.dashboards.filters import DashboardFilters
from oversight.dashboards.models import (
    TOTAL_DIMENSION,
    ComplaintFilterMarginal,
    ComplaintMarginal,
    ComplaintSummaryFact,
    Period,
)
from oversight.dashboards.selectors import SLA_COLUMNS, DashboardScope
from portal.db_router import dashboard_db_alias

# The breakdowns every view shows; "office" comes from the SLA rows (complaints per office).
COUNT_DIMENSIONS = ("category", "kind", "status", "province", "country", "agency", "channel")
PERIODS = ("month", "week")
# Grouping-set name → ledger column (constants only: no input reaches the SQL text). Weeks and
# months are added up from the days in Python: one grouping set (at most 366 rows) instead of two.
GROUPING_COLUMNS = {
    **{name: selectors.DIMENSIONS[name] for name in COUNT_DIMENSIONS},
    "office": "office_id",
    "day": "day",
}
MEASURES = ("complaints", "urgent", *SLA_COLUMNS[1:])


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
    """The figures of `filters` within `scope`, from the smallest table that holds them (see the
    module's docstring)."""
    if connections[dashboard_db_alias()].vendor != "postgresql":
        return _per_figure_breakdown(scope=scope, filters=filters)
    if selectors._marginal_applies(scope, filters):
        return _marginal_breakdown(scope=scope, filters=filters)
    if _filter_marginal_applies(scope, filters):
        return _filter_marginal_breakdown(scope=scope, filters=filters)
    return _grouping_sets_breakdown(scope=scope, filters=filters)


def _filter_marginal_applies(scope: DashboardScope, filters: DashboardFilters) -> bool:
    """A national view filtered by exactly one province, country, category or channel (and
    dates)."""
    return scope.is_national and not filters.office_ids and len(_filtered_values(filters)) == 1


def _marginal_key(dimension: str, value: str) -> str | int:
    return int(value) if selectors.DIMENSIONS[dimension].endswith("_id") else value


# --- how a date range is added up -------------------------------------------------------------


def _period_start(day: date, period: str) -> date:
    if period == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())  # weeks start on Monday, as TruncWeek


def _period_end(start: date, period: str) -> date:
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start + timedelta(days=6)


@dataclass(frozen=True)
class PeriodCover:
    """A date range as whole periods (months or weeks) read from the period rows, plus the days
    of the range the ledger adds (`plus`) and the days of a period read whole that lie outside
    the range, which the ledger subtracts (`minus`): inclusive (first, last) day pairs."""

    starts: tuple[date, ...]
    plus: tuple[tuple[date, date], ...]
    minus: tuple[tuple[date, date], ...]

    def sign(self, day: date) -> int:
        """+1, -1 or 0: how the ledger's rows of `day` count toward this cover."""
        if any(first <= day <= last for first, last in self.plus):
            return 1
        if any(first <= day <= last for first, last in self.minus):
            return -1
        return 0


def period_cover(*, first: date, last: date, period: str) -> PeriodCover:
    """The periods overlapping [first, last]: each whole one from its row; one partly inside
    from the ledger's days inside it, or from its row less the ledger's days outside, whichever
    reads fewer days."""
    starts: list[date] = []
    plus: list[tuple[date, date]] = []
    minus: list[tuple[date, date]] = []
    start = _period_start(first, period)
    while start <= last:
        end = _period_end(start, period)
        inside = (max(first, start), min(last, end))
        if inside == (start, end):
            starts.append(start)
        elif (inside[1] - inside[0]).days + 1 <= (end - start).days + 1 - (
            (inside[1] - inside[0]).days + 1
        ):
            plus.append(inside)
        else:
            starts.append(start)
            if start < inside[0]:
                minus.append((start, inside[0] - timedelta(days=1)))
            if inside[1] < end:
                minus.append((inside[1] + timedelta(days=1), end))
        start = end + timedelta(days=1)
    return PeriodCover(starts=tuple(starts), plus=tuple(plus), minus=tuple(minus))


# --- the marginals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRows:
    """Marginal rows holding breakdowns of a view: `dimension` is the column naming the
    breakdown (or `fixed` names it), `value` the column holding its value."""

    rows: QuerySet[Any]
    dimension: str = "dimension"
    value: str = "value"
    fixed: str | None = None


def _marginal_breakdown(*, scope: DashboardScope, filters: DashboardFilters) -> SummaryBreakdown:
    """Views filtered by dates and offices only: the marginals of those offices (or of all
    offices together), and the edges of the range from their ledger rows."""
    rows = ComplaintMarginal.objects.using(dashboard_db_alias()).all()
    ledger = ComplaintSummaryFact.objects.using(dashboard_db_alias()).all()
    offices = selectors._marginal_offices(scope, filters)
    if offices is None:
        rows = rows.filter(office_id__isnull=True)
    else:
        rows = rows.filter(office_id__in=offices)
        ledger = ledger.filter(office_id__in=offices)
    return _breakdown_from_periods(
        [MonthRows(rows)], totals=rows, ledger=ledger, filters=filters, pinned={}
    )


def _filter_marginal_breakdown(
    *, scope: DashboardScope, filters: DashboardFilters
) -> SummaryBreakdown:
    """A national view with one filter value: the filter marginals of that value, the pairs of
    filters its side does not keep (read from the other side), its offices from the per-office
    marginals (models.filter_breakdown_stored), and the edges of the range from the ledger's
    rows of that value."""
    pinned = _filtered_values(filters)
    ((filter_name, filter_value),) = pinned.items()
    alias = dashboard_db_alias()
    own = ComplaintFilterMarginal.objects.using(alias).filter(
        filter_dimension=filter_name, filter_value=str(filter_value)
    )
    sources = [
        MonthRows(own),
        # e.g. a country's categories: the category filters' country breakdown of this country
        MonthRows(
            ComplaintFilterMarginal.objects.using(alias).filter(
                dimension=filter_name, value=str(filter_value)
            ),
            dimension="filter_dimension",
            value="filter_value",
        ),
        MonthRows(
            ComplaintMarginal.objects.using(alias).filter(
                office_id__isnull=False, dimension=filter_name, value=str(filter_value)
            ),
            value="office_id",
            fixed="office",
        ),
    ]
    ledger = selectors._narrowed(
        ComplaintSummaryFact.objects.using(alias).all(),
        filters=filters,
        office_ids=scope.office_ids,
    )
    return _breakdown_from_periods(
        sources, totals=own, ledger=ledger, filters=filters, pinned=pinned
    )


def _breakdown_from_periods(
    sources: list[MonthRows],
    *,
    totals: QuerySet[Any],
    ledger: QuerySet[ComplaintSummaryFact],
    filters: DashboardFilters,
    pinned: dict,
) -> SummaryBreakdown:
    """A fixed number of queries: the sums per dimension and value of the whole months (one
    per source), the volume of the whole months and weeks (the "total" rows of `totals`), and
    the edges of the range from the ledger (left out when the range has none)."""
    months = period_cover(first=filters.date_from, last=filters.date_to, period="month")
    weeks = period_cover(first=filters.date_from, last=filters.date_to, period="week")
    names = [name for name in (*COUNT_DIMENSIONS, "office") if name not in pinned]
    sums = {column: Sum(column) for column in ("urgent", *SLA_COLUMNS)}
    per_value: dict[str, dict[Any, Counter]] = {name: defaultdict(Counter) for name in names}
    volume: dict[str, Counter] = {period: Counter() for period in PERIODS}
    for source in sources if months.starts else []:
        whole = source.rows.filter(period=Period.MONTH, period_start__in=months.starts)
        if source.fixed is None:
            whole = whole.filter(**{f"{source.dimension}__in": names})
        group = (source.value,) if source.fixed else (source.dimension, source.value)
        for row in whole.order_by().values(*group).annotate(**sums):
            name = source.fixed or row.pop(source.dimension)
            key = _marginal_key(name, row.pop(source.value))
            per_value[name][key].update(row)
    if months.starts or weeks.starts:
        totals_rows = totals.filter(dimension=TOTAL_DIMENSION).filter(
            Q(period=Period.MONTH, period_start__in=months.starts)
            | Q(period=Period.WEEK, period_start__in=weeks.starts)
        )
        for row in (
            totals_rows.order_by()
            .values("period", "period_start")
            .annotate(complaints=Sum("complaints"))
        ):
            volume[row["period"]][row["period_start"]] += row["complaints"]
    # Only the months' edges need every breakdown; the weeks' other edge days only their count.
    month_edges = sorted({*months.plus, *months.minus})
    week_edges = _days_outside(sorted({*weeks.plus, *weeks.minus}), month_edges)
    if month_edges or week_edges:
        _, grouped = _ledger_grouping_sets(
            ledger, names=[*names, "day"], cover=months, days=month_edges, count_days=week_edges
        )
        for name in names:
            for key, summed in grouped[name].items():
                # The marginals keep no row for a missing value (a complaint without agency).
                if key is not None:
                    per_value[name][key].update(summed)
        for day, summed in grouped["day"].items():
            for period, cover in (("month", months), ("week", weeks)):
                sign = cover.sign(day)
                if sign:
                    volume[period][_period_start(day, period)] += sign * summed["rows"]
    return _breakdown_assemble(
        {
            name: [(key, summed) for key, summed in found.items() if summed["complaints"]]
            for name, found in per_value.items()
        },
        periods={
            period: sorted((start, count) for start, count in found.items() if count)
            for period, found in volume.items()
        },
        pinned=pinned,
    )


def _days_outside(
    ranges: list[tuple[date, date]], covered: list[tuple[date, date]]
) -> list[tuple[date, date]]:
    """The days of `ranges` outside `covered`, as inclusive (first, last) runs."""
    days = sorted(
        {
            first + timedelta(days=n)
            for first, last in ranges
            for n in range((last - first).days + 1)
            if not any(a <= first + timedelta(days=n) <= b for a, b in covered)
        }
    )
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _breakdown_assemble(
    grouped: dict[str, list[tuple[Any, Counter]]],
    *,
    periods: dict[str, list[tuple[date, int]]],
    pinned: dict,
    totals: dict[str, int] | None = None,
) -> SummaryBreakdown:
    """The SummaryBreakdown of the sums per dimension and value (every measure), the volume per
    period, and the dimensions the filters pin (their breakdown: that value and the total)."""
    sla_rows = sorted(
        (
            {"office_id": key, **{c: summed[c] for c in SLA_COLUMNS}}
            for key, summed in grouped["office"]
        ),
        key=lambda row: row["office_id"],
    )
    if totals is None:
        # Every complaint has one office: the office rows add up to the totals.
        totals = {
            "complaints": sum(summed["complaints"] for _key, summed in grouped["office"]),
            "urgent": sum(summed["urgent"] for _key, summed in grouped["office"]),
        }
    counts = {
        name: _largest_first([(key, summed["complaints"]) for key, summed in grouped[name]])
        for name in COUNT_DIMENSIONS
        if name not in pinned
    }
    for name, value in pinned.items():
        counts[name] = [(value, totals["complaints"])] if totals["complaints"] else []
    counts["office"] = _office_counts(sla_rows)
    return SummaryBreakdown(totals=totals, counts=counts, periods=periods, sla_rows=sla_rows)


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


# --- the ledger -----------------------------------------------------------------------------------


def _ledger_grouping_sets(
    ledger: QuerySet[ComplaintSummaryFact],
    *,
    names: list[str],
    cover: PeriodCover | None = None,
    days: list[tuple[date, date]] | None = None,
    count_days: list[tuple[date, date]] | None = None,
) -> tuple[dict[str, int], dict[str, dict[Any, Counter]]]:
    """One scan of the ledger rows of `ledger` (PostgreSQL), every measure summed per grouping
    set of `names` (and in total), plus "rows": the rows of each group. With `days`, only the
    rows of those day ranges, each measure signed by `cover` (+1 for its `plus` days, -1 for its
    `minus` days, 0 for the others; "rows" stays unsigned); and the rows of each day of
    `count_days` (other days; "day" must be in `names`) in the "day" set, nothing else."""
    alias = ledger.db
    query = ledger.query
    table = query.get_meta().db_table
    # The WHERE clause of the queryset: the same scope, the same filters.
    try:
        where, where_params = query.get_compiler(using=alias).compile(query.where)
    except FullResultSet:  # no condition: every row
        where, where_params = "TRUE", []
    except EmptyResultSet:  # a condition no row can meet (an empty list of offices)
        where, where_params = "FALSE", []
    params = list(where_params)
    columns = [GROUPING_COLUMNS[name] for name in names]
    if days is None:
        source, measures = f'"{table}" WHERE {where}', [f"SUM({m})" for m in MEASURES]
    else:
        if cover is None:
            raise ValueError("edge days are read with the cover they are the edges of")
        between = "(day BETWEEN %s AND %s)"
        in_days = " OR ".join([between] * len(days)) or "FALSE"
        plus = " OR ".join([between] * len(cover.plus)) or "FALSE"
        minus = " OR ".join([between] * len(cover.minus)) or "FALSE"
        source = (
            f"(SELECT *, CASE WHEN {plus} THEN 1 WHEN {minus} THEN -1 ELSE 0 END AS sign "  # noqa: S608
            f'FROM "{table}" WHERE ({where}) AND ({in_days})) AS edges'
        )
        params = [
            *(day for pair in cover.plus for day in pair),
            *(day for pair in cover.minus for day in pair),
            *params,
            *(day for pair in days for day in pair),
        ]
        measures = [f"SUM(sign * {m})" for m in MEASURES]
    # GROUPING(c1, …, cn) sets bit n-1-i when ci is NOT a grouping column of the row's set.
    every_bit = (1 << len(names)) - 1
    set_of_mask: dict[int, str | None] = {every_bit: None}
    for index, name in enumerate(names):
        set_of_mask[every_bit ^ (1 << (len(names) - 1 - index))] = name
    sql = (
        f"SELECT GROUPING({', '.join(columns)}), {', '.join(columns)}, "  # noqa: S608
        f"{', '.join(measures)}, COUNT(*) FROM {source} "
        f"GROUP BY GROUPING SETS ((), {', '.join(f'({c})' for c in columns)})"
    )
    if count_days:
        # The rows of those days counted per day alone, in the shape of the "day" set's rows.
        day_mask = every_bit ^ (1 << (len(names) - 1 - names.index("day")))
        keys = ", ".join("day" if c == "day" else "NULL" for c in columns)
        zeros = ", ".join("0" for _m in measures)
        counted = " OR ".join(["(day BETWEEN %s AND %s)"] * len(count_days))
        sql += (
            f" UNION ALL SELECT {day_mask}, {keys}, {zeros}, COUNT(*) "  # noqa: S608
            f'FROM "{table}" WHERE ({where}) AND ({counted}) GROUP BY day'
        )
        params += [*where_params, *(day for pair in count_days for day in pair)]
    totals = {"complaints": 0, "urgent": 0}
    grouped: dict[str, dict[Any, Counter]] = {name: {} for name in names}
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        for mask, *values in cursor.fetchall():
            keys, sums = values[: len(names)], values[len(names) :]
            summed = Counter(
                dict(zip((*MEASURES, "rows"), (int(value or 0) for value in sums), strict=True))
            )
            name = set_of_mask[mask]
            if name is None:
                totals = {"complaints": summed["complaints"], "urgent": summed["urgent"]}
                continue
            grouped[name][keys[names.index(name)]] = summed
    return totals, grouped


def _grouping_sets_breakdown(
    *, scope: DashboardScope, filters: DashboardFilters
) -> SummaryBreakdown:
    """One scan of the view's ledger rows, summed per grouping set (PostgreSQL)."""
    ledger = selectors._summary(scope=scope, filters=filters)
    pinned = _filtered_values(filters)
    # Each grouping set costs a hash update per row: leave out the ones the filters pin.
    names = [name for name in GROUPING_COLUMNS if name not in pinned]
    totals, grouped = _ledger_grouping_sets(ledger, names=names)
    days = sorted((day, summed["complaints"]) for day, summed in grouped.pop("day").items())
    return _breakdown_assemble(
        {name: list(found.items()) for name, found in grouped.items()},
        periods=_periods_from_days(days),
        pinned=pinned,
        totals=totals,
    )
