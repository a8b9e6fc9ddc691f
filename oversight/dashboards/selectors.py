"""Every figure of the ministry and office dashboards, already limited to the caller's scope.

Volumes, SLA shares and the medians come from the dashboard tables
(oversight/dashboards/models.py: the per-complaint ledger and its monthly marginals, durations
and their snapshots), which the per-minute fold keeps current on PostgreSQL; the urgent list and
officers' workload are read live from the complaints of the caller's scope
(complaints.selectors.complaint_list_for_staff). Each function is one query, so a page's query
count does not grow with the data; the pages read every summary figure at once through
oversight.dashboards.breakdown. Every figure narrows its table by the same filter chain
(`_narrowed`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connections
from django.db.models import (
    Aggregate,
    Count,
    FloatField,
    Min,
    Model,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from complaints.choices import OPEN_STATUSES
from complaints.models import Complaint
from complaints.selectors import complaint_list_for_staff
from oversight.dashboards.filters import DashboardFilters
from oversight.dashboards.models import (
    ChannelDurationSnapshot,
    ComplaintDuration,
    ComplaintMarginal,
    ComplaintSummaryFact,
    DashboardRefresh,
    OfficeDurationSnapshot,
    Period,
)
from portal.choices import Role
from portal.db_router import dashboard_db_alias
from portal.models import Membership
from portal.selectors import office_ids_visible_to, user_has_national_scope
from portal.types import AnyUser

if TYPE_CHECKING:
    from desa_migran.selectors import ProgrammeTotals

# Ledger columns per breakdown dimension.
DIMENSIONS = {
    "category": "category_id",
    "kind": "kind",
    "status": "status",
    "province": "province_code",
    "country": "destination_country",
    "office": "office_id",
    "agency": "placement_agency_id",
    "channel": "channel",
}
SLA_COLUMNS = (
    "complaints",
    "verify_on_time",
    "verify_late",
    "response_on_time",
    "response_late",
    "resolve_on_time",
    "resolve_late",
)


@dataclass(frozen=True)
class DashboardScope:
    """What the caller may see: office ids (None = every office) and their complaints."""

    office_ids: list[int] | None
    complaints: QuerySet[Complaint]
    user: AnyUser | None = None

    @property
    def is_national(self) -> bool:
        return self.office_ids is None


def dashboard_scope(*, user: AnyUser) -> DashboardScope:
    return DashboardScope(
        office_ids=office_ids_visible_to(user=user),
        complaints=complaint_list_for_staff(user=user),
        user=user,
    )


def dashboard_allowed(*, user: AnyUser) -> bool:
    """Ministry roles see the national dashboard; heads of office see their scope's."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return (
        user_has_national_scope(user=user)
        or Membership.objects.filter(user_id=user.pk, role=Role.HEAD).exists()
    )


def dashboard_freshness() -> DashboardRefresh | None:
    return DashboardRefresh.objects.using(dashboard_db_alias()).filter(pk=1).first()


# --- the filter chain -------------------------------------------------------------------------

_Row = TypeVar("_Row", bound=Model)


@dataclass(frozen=True)
class FilterColumns:
    """Where a table keeps what the dashboard's filters narrow. The summary tables copy the
    origin province's two-digit code; the complaint table keeps the region code ("35.04"), which
    starts with it."""

    province: str = "province_code"
    province_is_prefix: bool = False

    def province_lookup(self, code: str) -> dict[str, str]:
        if self.province_is_prefix:
            return {f"{self.province}__startswith": f"{code}."}
        return {self.province: code}


SUMMARY_COLUMNS = FilterColumns()
COMPLAINT_COLUMNS = FilterColumns(province="origin_region__code", province_is_prefix=True)


def _narrowed(
    rows: QuerySet[_Row],
    *,
    filters: DashboardFilters,
    office_ids: list[int] | None,
    columns: FilterColumns = SUMMARY_COLUMNS,
) -> QuerySet[_Row]:
    """The one filter chain of every dashboard figure: the scope's offices (None: every office,
    or rows already limited to the scope), then the form's offices, origin province, category,
    destination country and intake channel."""
    if office_ids is not None:
        rows = rows.filter(office_id__in=office_ids)
    if filters.office_ids:
        rows = rows.filter(office_id__in=filters.office_ids)
    if filters.province:
        rows = rows.filter(**columns.province_lookup(filters.province))
    if filters.category_id:
        rows = rows.filter(category_id=filters.category_id)
    if filters.country:
        rows = rows.filter(destination_country=filters.country)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    return rows


# --- summary-based figures --------------------------------------------------------------------


def _marginal_applies(scope: DashboardScope, filters: DashboardFilters) -> bool:
    """A view filtered by dates and offices only can read the per-dimension marginals."""
    return not (filters.province or filters.category_id or filters.country or filters.channel)


def _marginal_offices(scope: DashboardScope, filters: DashboardFilters) -> list[int] | None:
    """The offices to add up (None: the all-offices rows). Filter offices lie within the scope
    (the form only offers those); intersect anyway so a caller can never widen its scope."""
    if filters.office_ids:
        if scope.office_ids is None:
            return list(filters.office_ids)
        return [pk for pk in filters.office_ids if pk in set(scope.office_ids)]
    return scope.office_ids


def _whole_months(filters: DashboardFilters) -> bool:
    return (
        filters.date_from.day == 1
        and (filters.date_to + timedelta(days=1)).day == 1
        and filters.date_from <= filters.date_to
    )


def _summary(
    *,
    scope: DashboardScope,
    filters: DashboardFilters,
    dimension: str = "office",
    period: str = Period.MONTH,
) -> QuerySet[Any, Any]:
    """Rows to add up, one query per figure: the monthly marginals of `dimension` when they
    apply and the range is whole months (the public statistics' years), else the ledger (a
    range with edges adds the marginals and the ledger up in oversight.dashboards.breakdown)."""
    if period == Period.MONTH and _marginal_applies(scope, filters) and _whole_months(filters):
        rows = ComplaintMarginal.objects.using(dashboard_db_alias()).filter(
            period=Period.MONTH,
            dimension=dimension,
            period_start__range=(filters.date_from, filters.date_to),
        )
        offices = _marginal_offices(scope, filters)
        if offices is None:
            return rows.filter(office_id__isnull=True)
        return rows.filter(office_id__in=offices)
    ledger = ComplaintSummaryFact.objects.using(dashboard_db_alias()).filter(
        day__range=(filters.date_from, filters.date_to)
    )
    return _narrowed(ledger, filters=filters, office_ids=scope.office_ids)


def _is_marginal(rows: QuerySet[Any, Any]) -> bool:
    return rows.model is ComplaintMarginal


def dashboard_totals(*, scope: DashboardScope, filters: DashboardFilters) -> dict[str, int]:
    totals = _summary(scope=scope, filters=filters).aggregate(
        complaints=Sum("complaints"), urgent=Sum("urgent")
    )
    return {key: value or 0 for key, value in totals.items()}


def dashboard_volume_by_period(
    *, scope: DashboardScope, filters: DashboardFilters, period: str = "month"
) -> list[tuple[date, int]]:
    """Complaints received per week (starting Monday) or per month."""
    trunc = {"week": TruncWeek, "month": TruncMonth}[period]
    rows = _summary(scope=scope, filters=filters, period=period)
    rows = (
        rows.annotate(bucket=trunc("period_start" if _is_marginal(rows) else "day"))
        .values("bucket")
        .annotate(count=Sum("complaints"))
        .order_by("bucket")
    )
    return [(row["bucket"], row["count"]) for row in rows]


def dashboard_count_by(
    *, scope: DashboardScope, filters: DashboardFilters, dimension: str
) -> list[tuple[str | int, int]]:
    """Complaints per value of one dimension, largest first."""
    column = DIMENSIONS[dimension]
    rows = _summary(scope=scope, filters=filters, dimension=dimension)
    if _is_marginal(rows):
        rows = rows.values("value").annotate(count=Sum("complaints")).order_by("-count", "value")
        as_key = int if column.endswith("_id") else str
        return [(as_key(row["value"]), row["count"]) for row in rows]
    rows = rows.values(column).annotate(count=Sum("complaints")).order_by("-count", column)
    return [(row[column], row["count"]) for row in rows]


# --- SLA per office ---------------------------------------------------------------------------


def share(on_time: int, late: int) -> float | None:
    """Share met in time among the measured (None when nothing was measured yet)."""
    measured = on_time + late
    return on_time / measured if measured else None


@dataclass
class OfficeSla:
    office_id: int
    complaints: int = 0
    verify_on_time: int = 0
    verify_late: int = 0
    response_on_time: int = 0
    response_late: int = 0
    resolve_on_time: int = 0
    resolve_late: int = 0
    response_median_hours: float | None = None
    response_p90_hours: float | None = None
    resolution_median_hours: float | None = None
    resolution_p90_hours: float | None = None
    responded: int = 0
    resolved: int = 0

    @property
    def verify_share(self) -> float | None:
        return share(self.verify_on_time, self.verify_late)

    @property
    def response_share(self) -> float | None:
        return share(self.response_on_time, self.response_late)

    @property
    def resolve_share(self) -> float | None:
        return share(self.resolve_on_time, self.resolve_late)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate percentile_cont(fraction) WITHIN GROUP (ORDER BY x)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: str, *, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile_cont(sorted_values: list[float], fraction: float) -> float | None:
    """The same interpolation as PostgreSQL's percentile_cont, for SQLite and for tests."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    return sorted_values[lower] + (position - lower) * (sorted_values[upper] - sorted_values[lower])


def _raw_complaints(
    *, scope: DashboardScope, filters: DashboardFilters, dated: bool = True
) -> QuerySet[Complaint]:
    rows = scope.complaints.using(dashboard_db_alias())
    if dated:
        start, end = local_day_bounds(filters.date_from, filters.date_to)
        rows = rows.filter(created_at__gte=start, created_at__lt=end)
    # The scope's complaints are already limited to it (complaint_list_for_staff).
    return _narrowed(rows, filters=filters, office_ids=None, columns=COMPLAINT_COLUMNS)


def dashboard_complaint_base(
    *, scope: DashboardScope, filters: DashboardFilters
) -> QuerySet[Complaint]:
    """The caller's complaints narrowed by every filter but the dates (the first screen applies
    the period per figure: open work has none, breaches and targets have theirs)."""
    return _raw_complaints(scope=scope, filters=filters, dated=False)


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of first day, start of the day after last) in the portal's time zone."""
    tz = timezone.get_default_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
    )


def _duration_rows(
    *, scope: DashboardScope, filters: DashboardFilters
) -> QuerySet[ComplaintDuration]:
    """The per-complaint durations of the view: the scope's offices and every filter."""
    rows = ComplaintDuration.objects.using(dashboard_db_alias()).filter(
        day__range=(filters.date_from, filters.date_to)
    )
    return _narrowed(rows, filters=filters, office_ids=scope.office_ids).order_by()


def dashboard_durations_by_office(
    *,
    scope: DashboardScope,
    filters: DashboardFilters,
    live: bool = False,
    per_channel: bool = False,
) -> dict[Any, dict[str, float | None]]:
    """Median and 90th percentile of hours from receipt to first response and to resolution,
    per office (per office and intake channel with `per_channel`, keyed (office, channel)).

    A view of the default window without province, category or country filter (a channel
    filter is fine) reads the snapshot taken at the last refresh; any other view, or
    `live=True` (the refresh itself), sorts the durations of its complaints, read from the
    narrow ComplaintDuration copy."""
    snapshot_applies = not (filters.province or filters.category_id or filters.country)
    if not live and not per_channel and snapshot_applies:
        snapshot = OfficeDurationSnapshot.objects.using(dashboard_db_alias()).filter(
            date_from=filters.date_from, date_to=filters.date_to, channel=filters.channel
        )
        offices = _marginal_offices(scope, filters)
        if offices is not None:
            snapshot = snapshot.filter(office_id__in=offices)
        snapshot_rows: list[dict[str, Any]] = [
            dict(row)
            for row in snapshot.values(
                "office_id",
                "response_median_hours",
                "response_p90_hours",
                "resolution_median_hours",
                "resolution_p90_hours",
                "responded",
                "resolved",
            )
        ]
        if snapshot_rows:
            return {row.pop("office_id"): row for row in snapshot_rows}
    durations = _duration_rows(scope=scope, filters=filters)
    keys = ("office_id", "channel") if per_channel else ("office_id",)
    return {
        key if per_channel else key[0]: values
        for key, values in _duration_percentiles(
            durations, keys=keys, stages=("response", "resolution")
        ).items()
    }


# Stage → (ComplaintDuration column, name of the count of complaints that reached it).
DURATION_STAGES = {
    "response": ("response_hours", "responded"),
    "resolution": ("resolution_hours", "resolved"),
}


def _duration_percentiles(
    durations: QuerySet[ComplaintDuration], *, keys: tuple[str, ...], stages: tuple[str, ...]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Per value of `keys`: median and p90 hours of each stage, and how many reached it. One
    query. (Every row has a response: the refresh writes complaints responded to or resolved.)"""
    if connections[durations.db].vendor == "postgresql":
        measures: dict[str, Any] = {}
        for stage in stages:
            column, count = DURATION_STAGES[stage]
            measures[f"{stage}_median_hours"] = PercentileCont(column, fraction=0.5)
            measures[f"{stage}_p90_hours"] = PercentileCont(column, fraction=0.9)
            measures[count] = Count(column)
        rows = durations.values(*keys).annotate(**measures)
        return {tuple(row.pop(key) for key in keys): row for row in rows}
    # SQLite has no percentile aggregate: sort the durations in Python (same interpolation).
    columns = [DURATION_STAGES[stage][0] for stage in stages]
    values: dict[tuple[Any, ...], dict[str, list[float]]] = defaultdict(
        lambda: {stage: [] for stage in stages}
    )
    for row in durations.values_list(*keys, *columns).iterator(chunk_size=5000):
        key, hours = tuple(row[: len(keys)]), row[len(keys) :]
        if all(value is None for value in hours):
            continue
        for stage, value in zip(stages, hours, strict=True):
            if value is not None:
                values[key][stage].append(value)
    result: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key, per_stage in values.items():
        result[key] = {}
        for stage in stages:
            ordered = sorted(per_stage[stage])
            result[key][f"{stage}_median_hours"] = percentile_cont(ordered, 0.5)
            result[key][f"{stage}_p90_hours"] = percentile_cont(ordered, 0.9)
            result[key][DURATION_STAGES[stage][1]] = len(ordered)
    return result


# --- time to first response per intake channel ---------------------------------------------


@dataclass(frozen=True)
class ChannelResponse:
    channel: str
    responded: int
    median_hours: float | None
    p90_hours: float | None


def dashboard_response_by_channel(
    *, scope: DashboardScope, filters: DashboardFilters
) -> list[ChannelResponse]:
    """Median and 90th percentile of hours from receipt to first response (a resolution counts
    as one) per intake channel, most complaints responded to first.

    The default window, for every office or for an office with those below it, with or without
    a channel filter, reads the snapshot of the last refresh; any other view sorts the durations
    of its complaints (ComplaintDuration)."""
    rows: list[dict[str, Any]] = []
    if not (filters.province or filters.category_id or filters.country):
        snapshot = ChannelDurationSnapshot.objects.using(dashboard_db_alias()).filter(
            date_from=filters.date_from,
            date_to=filters.date_to,
            offices=channel_snapshot_key(_marginal_offices(scope, filters)),
        )
        if filters.channel:
            snapshot = snapshot.filter(channel=filters.channel)
        rows = [
            dict(row)
            for row in snapshot.values(
                "channel", "responded", "response_median_hours", "response_p90_hours"
            )
        ]
    if not rows:
        durations = _duration_rows(scope=scope, filters=filters)
        rows = [
            {"channel": key[0], **values}
            for key, values in _duration_percentiles(
                durations, keys=("channel",), stages=("response",)
            ).items()
        ]
    result = [
        ChannelResponse(
            channel=row["channel"],
            responded=row["responded"],
            median_hours=row["response_median_hours"],
            p90_hours=row["response_p90_hours"],
        )
        for row in rows
        if row["responded"]
    ]
    return sorted(result, key=lambda row: (-row.responded, row.channel))


def channel_snapshot_key(offices: list[int] | None) -> str:
    """The snapshot's name for a set of offices (None: every office)."""
    return "" if offices is None else ",".join(str(pk) for pk in sorted(set(offices)))


def dashboard_channel_duration_snapshot(*, today: date) -> list[ChannelDurationSnapshot]:
    """The snapshot rows of the default window (unsaved): every office together, then each
    office with the offices below it. One query per office, each reading that office's rows
    through the (office, day) index. Read from the primary database: the refresh writes the
    durations just before, in the same transaction."""
    from portal.models import Office

    filters = DashboardFilters.default(today)
    durations = ComplaintDuration.objects.using("default").filter(
        day__range=(filters.date_from, filters.date_to)
    )
    parents = dict(Office.objects.using("default").values_list("pk", "parent_id"))
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in parents.items():
        if parent_id is not None:
            children[parent_id].append(pk)

    def below(pk: int) -> list[int]:
        return [pk, *(low for child in children.get(pk, []) for low in below(child))]

    groups: dict[str, list[int] | None] = {"": None}
    for pk in parents:
        subtree = below(pk)
        groups[channel_snapshot_key(subtree)] = subtree
    result = []
    for key, offices in groups.items():
        rows = durations if offices is None else durations.filter(office_id__in=offices)
        for (channel,), values in _duration_percentiles(
            rows.order_by(), keys=("channel",), stages=("response",)
        ).items():
            result.append(
                ChannelDurationSnapshot(
                    offices=key,
                    channel=channel,
                    date_from=filters.date_from,
                    date_to=filters.date_to,
                    **values,
                )
            )
    return result


def dashboard_sla_summary_rows(
    *, scope: DashboardScope, filters: DashboardFilters
) -> list[dict[str, Any]]:
    """The summed SLA columns per office (office_id and SLA_COLUMNS), by office id. One query."""
    sums = {column: Sum(column) for column in SLA_COLUMNS}
    rows = _summary(scope=scope, filters=filters, dimension="office")
    if _is_marginal(rows):
        return sorted(
            (
                {"office_id": int(row["value"]), **{column: row[column] for column in SLA_COLUMNS}}
                for row in rows.values("value").annotate(**sums).order_by()
            ),
            key=lambda row: row["office_id"],
        )
    return list(rows.values("office_id").annotate(**sums).order_by("office_id"))


def dashboard_sla_by_office(
    *,
    scope: DashboardScope,
    filters: DashboardFilters,
    summary_rows: list[dict[str, Any]] | None = None,
) -> list[OfficeSla]:
    """SLA outcomes per office (shares verified within 3 working days, first response within 5,
    resolved within the category's target) with median and p90 durations. Two queries, or one
    when the caller already has the summed rows (oversight.dashboards.breakdown)."""
    if summary_rows is None:
        summary_rows = dashboard_sla_summary_rows(scope=scope, filters=filters)
    by_office = {row["office_id"]: OfficeSla(**row) for row in summary_rows}
    for office_id, durations in dashboard_durations_by_office(scope=scope, filters=filters).items():
        office = by_office.setdefault(office_id, OfficeSla(office_id=office_id))
        for key, value in durations.items():
            setattr(office, key, value)
    return list(by_office.values())


# --- live figures (open work) -----------------------------------------------------------------


URGENT_LIST_LIMIT = 20


def dashboard_urgent_open(*, scope: DashboardScope, filters: DashboardFilters) -> list[Complaint]:
    """The oldest urgent open complaints (a short list the minister can act on)."""
    return list(
        _raw_complaints(scope=scope, filters=filters, dated=False)
        .filter(status__in=OPEN_STATUSES, is_urgent=True)
        .select_related("category", "office")
        .only(
            "reference",
            "created_at",
            "due_at",
            "escalation_level",
            "status",
            "category__name_id",
            "category__name_en",
            "office__name",
        )
        .order_by("created_at")[:URGENT_LIST_LIMIT]
    )


@dataclass(frozen=True)
class OfficerWorkload:
    user_id: int | None
    name: str
    open: int
    overdue: int
    oldest: datetime | None


def dashboard_officer_workload(
    *, scope: DashboardScope, filters: DashboardFilters, now: datetime | None = None
) -> list[OfficerWorkload]:
    """Open complaints per assigned officer (unassigned as one row), with those past the
    service standard and the oldest one. An officer without a full name shows as username."""
    from complaints.selectors import complaint_past_standard_q
    from oversight.standard.selectors import UNFINISHED_STATUSES

    now = now or timezone.now()
    rows = (
        _raw_complaints(scope=scope, filters=filters, dated=False)
        .filter(status__in=UNFINISHED_STATUSES)
        .order_by()
        .values("assignee_id", "assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=complaint_past_standard_q(now=now)),
            oldest=Min("created_at"),
        )
        .order_by("-open", "assignee__username")
    )
    result = []
    for row in rows:
        name = ""
        if row["assignee_id"] is not None:
            parts = (row["assignee__first_name"] or "", row["assignee__last_name"] or "")
            name = " ".join(part for part in parts if part).strip() or row["assignee__username"]
        result.append(
            OfficerWorkload(
                user_id=row["assignee_id"],
                name=name,
                open=row["open"],
                overdue=row["overdue"],
                oldest=row["oldest"],
            )
        )
    return result


AGENCY_TOP = 10


def dashboard_by_agency(
    *,
    scope: DashboardScope,
    filters: DashboardFilters,
    limit: int = AGENCY_TOP,
    counts: list[tuple[int | None, int]] | None = None,
) -> list[tuple[int, str, int]]:
    """The placement agencies (P3MI, linked records) named in most complaints; `counts`: the
    complaints per agency when the caller has them already (oversight.dashboards.breakdown)."""
    from complaints.models import Agency

    counted: list[tuple[Any, int]] = (
        counts
        if counts is not None
        else dashboard_count_by(scope=scope, filters=filters, dimension="agency")
    )
    top: list[tuple[int, int]] = [(key, count) for key, count in counted if key is not None][:limit]
    names = dict(
        Agency.objects.using(dashboard_db_alias())
        .filter(pk__in=[key for key, _count in top])
        .values_list("pk", "name")
    )
    return [(key, names.get(key, str(key)), count) for key, count in top]


def dashboard_villages(*, scope: DashboardScope) -> ProgrammeTotals:
    """Desa Migran Emas: villages by status and province, toward the 400-village target; an office
    head sees the villages of the regions their offices cover (desa_migran's staff scope)."""
    from desa_migran.choices import VillageStatus
    from desa_migran.models import PROGRAMME_TARGET
    from desa_migran.selectors import (
        PUBLIC_STATUSES,
        ProgrammeTotals,
        programme_totals,
        village_list_for_staff,
    )

    if scope.is_national or scope.user is None:
        return programme_totals()
    rows = (
        village_list_for_staff(user=scope.user)
        .order_by()
        .values("province_id", "province__name", "status")
        .annotate(count=Count("pk"))
        .order_by("province__name", "status")
    )
    by_status = dict.fromkeys(VillageStatus.values, 0)
    provinces: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_status[row["status"]] += row["count"]
        province = provinces.setdefault(
            row["province_id"],
            {
                "code": row["province_id"],
                "name": row["province__name"],
                **dict.fromkeys(VillageStatus.values, 0),
                "total": 0,
            },
        )
        province[row["status"]] += row["count"]
        if row["status"] in PUBLIC_STATUSES:
            province["total"] += row["count"]
    return ProgrammeTotals(
        by_status=by_status,
        by_province=[p for p in provinces.values() if p["total"]],
        designated=by_status[VillageStatus.DESA_MIGRAN_EMAS],
        target=PROGRAMME_TARGET,
    )


def dashboard_complaint_list(
    *, scope: DashboardScope, filters: DashboardFilters
) -> QuerySet[Complaint]:
    """The complaints behind the figures (drill-down), within the caller's scope and filters."""
    return _raw_complaints(scope=scope, filters=filters)
