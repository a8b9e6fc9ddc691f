"""The dashboard's tables: each one is what a chart shows and what its CSV export contains."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from complaints.choices import CategoryKind, IntakeChannel, Status
from complaints.models import Category
from oversight import charts
from oversight.dashboards import first_screen, selectors
from oversight.dashboards.breakdown import SummaryBreakdown, dashboard_summary_breakdown
from oversight.dashboards.filters import DashboardFilters
from portal.countries import country_name
from portal.models import Office, Region

# How many bars a chart shows; its table always lists every row.
CHART_ROWS = 15


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    kinds: list[str]  # per column: text, int, pct, hours, date, datetime
    rows: list[list] = field(default_factory=list)
    chart: SafeString | None = None
    note: str = ""
    links: list[str | None] = field(default_factory=list)  # per row: a drill-down URL
    extra: object = None

    def display_rows(self) -> list[list[str]]:
        return [
            [format_cell(value, kind) for value, kind in zip(row, self.kinds, strict=True)]
            for row in self.rows
        ]

    def rows_with_links(self) -> list[tuple[list[str], str | None]]:
        links = self.links or [None] * len(self.rows)
        return list(zip(self.display_rows(), links, strict=True))


def format_cell(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind in {"hours", "days"}:
        return formats.number_format(value, decimal_pos=1, use_l10n=True)
    if kind == "int":
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if kind == "datetime":
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if kind == "date":
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def csv_cell(value, kind: str):
    # Spreadsheets execute cells starting with = + - @ (formula injection): quote them.
    if value is None:
        return ""
    if kind == "datetime" and isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if kind in {"pct", "hours", "days"}:
        return f"{value:.4f}"
    text = str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([csv_cell(v, k) for v, k in zip(row, table.kinds, strict=True)])
    return response


@dataclass
class Labels:
    """Display names, loaded once per request (three small queries)."""

    categories: dict[int, str]
    offices: dict[int, str]
    provinces: dict[str, str]

    @classmethod
    def load(cls) -> Labels:
        return cls(
            categories={c.pk: c.name for c in Category.objects.only("name_id", "name_en")},
            offices=dict(Office.objects.values_list("pk", "name")),
            provinces=dict(Region.objects.filter(level=1).values_list("code", "name")),
        )

    def country(self, code: str) -> str:
        return country_name(code)


@dataclass
class Context:
    scope: selectors.DashboardScope
    filters: DashboardFilters
    labels: Labels
    url_for_drilldown: Callable[[dict], str] | None = None
    # The dashboard itself narrowed by the same filters plus `extra` (an office's posts).
    url_for_drilldown_dashboard: Callable[[dict], str] | None = None
    cache: dict = field(default_factory=dict)
    _sla: list | None = None
    _breakdown: SummaryBreakdown | None = None

    def breakdown(self) -> SummaryBreakdown:
        """The summary figures of every table, read once per request."""
        if self._breakdown is None:
            self._breakdown = dashboard_summary_breakdown(scope=self.scope, filters=self.filters)
        return self._breakdown

    def sla(self):
        if self._sla is None:
            self._sla = selectors.dashboard_sla_by_office(
                scope=self.scope, filters=self.filters, summary_rows=self.breakdown().sla_rows
            )
        return self._sla


def _count_table(ctx: Context, slug: str, dimension: str, title: str, header: str, label_of, drill):
    rows = ctx.breakdown().counts[dimension]
    labelled = [(label_of(key), count, key) for key, count in rows]
    table = Table(slug, title, [header, _("Complaints")], ["text", "int"])
    table.rows = [[label, count] for label, count, _key in labelled]
    if ctx.url_for_drilldown and drill:
        table.links = [ctx.url_for_drilldown({drill: key}) for _label, _count, key in labelled]
    table.chart = charts.bar_chart(
        chart_id=f"chart-{slug}",
        title=title,
        description=_("Bar chart of complaints per row of the table below; largest first."),
        rows=[(label, count) for label, count, _key in labelled[:CHART_ROWS]],
    )
    return table


def _volume(ctx: Context, period: str) -> Table:
    rows = ctx.breakdown().periods[period]
    if period == "month":
        title, header = _("Complaints received per month"), _("Month")
        labels = [(start.strftime("%Y-%m"), count) for start, count in rows]
    else:
        title, header = _("Complaints received per week"), _("Week starting")
        labels = [(start.isoformat(), count) for start, count in rows]
    table = Table(f"volume_{period}", title, [header, _("Complaints")], ["text", "int"])
    table.rows = [[label, count] for label, count in labels]
    table.chart = charts.column_chart(
        chart_id=f"chart-volume-{period}",
        title=title,
        description=_(
            "Column chart of complaints over time, oldest on the left; figures in the table."
        ),
        rows=labels,
    )
    return table


def volume_month(ctx):
    return _volume(ctx, "month")


def volume_week(ctx):
    return _volume(ctx, "week")


def by_category(ctx):
    return _count_table(
        ctx,
        "by_category",
        "category",
        _("Complaints by category"),
        _("Category"),
        lambda key: ctx.labels.categories.get(key, str(key)),
        "category",
    )


def by_kind(ctx):
    return _count_table(
        ctx,
        "by_kind",
        "kind",
        _("Complaints by kind"),
        _("Kind"),
        lambda key: str(CategoryKind(key).label) if key in CategoryKind.values else key,
        None,
    )


def by_status(ctx):
    return _count_table(
        ctx,
        "by_status",
        "status",
        _("Complaints by status"),
        _("Status"),
        lambda key: str(Status(key).label) if key in Status.values else key,
        "status",
    )


def by_province(ctx):
    return _count_table(
        ctx,
        "by_province",
        "province",
        _("Complaints by origin province"),
        _("Province"),
        lambda key: ctx.labels.provinces.get(key, key),
        "province",
    )


def by_country(ctx):
    return _count_table(
        ctx,
        "by_country",
        "country",
        _("Complaints by destination country"),
        _("Country"),
        ctx.labels.country,
        "country",
    )


def _channel_label(key: str) -> str:
    return str(IntakeChannel(key).label) if key in IntakeChannel.values else key


def by_channel(ctx):
    return _count_table(
        ctx,
        "by_channel",
        "channel",
        _("Complaints by channel"),
        _("Channel"),
        _channel_label,
        "channel",
    )


def response_by_channel(ctx):
    rows = selectors.dashboard_response_by_channel(scope=ctx.scope, filters=ctx.filters)
    title = _("Time to first response by channel")
    table = Table(
        "response_by_channel",
        title,
        [
            _("Channel"),
            _("Complaints responded to"),
            _("Median hours to first response"),
            _("90th percentile hours to first response"),
        ],
        ["text", "int", "hours", "hours"],
    )
    table.rows = [
        [_channel_label(row.channel), row.responded, row.median_hours, row.p90_hours]
        for row in rows
    ]
    table.note = _(
        "Hours from receipt to the first response (or to the resolution when it came first), "
        "among the complaints received in the period that have had one."
    )
    if ctx.url_for_drilldown:
        table.links = [ctx.url_for_drilldown({"channel": row.channel}) for row in rows]
    table.chart = charts.bar_chart(
        chart_id="chart-response-by-channel",
        title=_("Median hours to first response by channel"),
        description=_("Bar chart of the median hours to first response per channel."),
        rows=[
            (_channel_label(row.channel), round(row.median_hours, 1))
            for row in rows
            if row.median_hours is not None
        ],
    )
    return table


def by_agency(ctx):
    rows = selectors.dashboard_by_agency(
        scope=ctx.scope, filters=ctx.filters, counts=ctx.breakdown().counts["agency"]
    )
    title = _("Placement agencies (P3MI) named most often")
    table = Table("by_agency", title, [_("Placement agency"), _("Complaints")], ["text", "int"])
    table.rows = [[name, count] for _pk, name, count in rows]
    if ctx.url_for_drilldown:
        table.links = [ctx.url_for_drilldown({"agency": pk}) for pk, _name, _count in rows]
    table.chart = charts.bar_chart(
        chart_id="chart-by-agency",
        title=title,
        description=_("Bar chart of complaints per placement agency; largest first."),
        rows=[(name, count) for _pk, name, count in rows],
    )
    return table


def sla(ctx):
    rows = sorted(ctx.sla(), key=lambda row: ctx.labels.offices.get(row.office_id, ""))
    table = Table(
        "sla",
        _("SLA compliance and response times per office"),
        [
            _("Office"),
            _("Complaints"),
            _("Verified in time"),
            _("Verified late"),
            _("Share verified in time"),
            _("Responded in time"),
            _("Responded late"),
            _("Share responded in time"),
            _("Resolved in time"),
            _("Resolved late"),
            _("Share resolved in time"),
            _("Median hours to first response"),
            _("90th percentile hours to first response"),
            _("Median hours to resolution"),
            _("90th percentile hours to resolution"),
        ],
        [
            "text",
            "int",
            "int",
            "int",
            "pct",
            "int",
            "int",
            "pct",
            "int",
            "int",
            "pct",
            "hours",
            "hours",
            "hours",
            "hours",
        ],
    )
    table.rows = [
        [
            ctx.labels.offices.get(r.office_id, str(r.office_id)),
            r.complaints,
            r.verify_on_time,
            r.verify_late,
            r.verify_share,
            r.response_on_time,
            r.response_late,
            r.response_share,
            r.resolve_on_time,
            r.resolve_late,
            r.resolve_share,
            r.response_median_hours,
            r.response_p90_hours,
            r.resolution_median_hours,
            r.resolution_p90_hours,
        ]
        for r in rows
    ]
    return table


def open_by_level(ctx):
    from oversight.dashboards.first_screen import bundle, first_screen_snapshot
    from oversight.standard.selectors import standard_open_by_level

    snapshot = first_screen_snapshot(ctx)
    if snapshot is not None:
        rows = snapshot.levels
    else:
        rows = standard_open_by_level(
            selectors.dashboard_complaint_base(scope=ctx.scope, filters=ctx.filters),
            now=bundle(ctx).now,
        )
    title = _("Open complaints by escalation level (now)")
    table = Table(
        "open_by_level",
        title,
        [_("Escalation level"), _("Open"), _("Open past the standard")],
        ["int", "int", "int"],
    )
    table.rows = [[row.level, row.open, row.past_standard] for row in rows]
    table.note = _("Open work counts whatever the date received; the other filters apply.")
    # The chart draws the table's own rows (one selector for both).
    table.chart = charts.bar_chart(
        chart_id="chart-open-by-level",
        title=_("Open complaints by escalation level"),
        description=_("Bar chart of open complaints per escalation level, as in the table."),
        rows=[(_("Level %(level)s") % {"level": row.level}, row.open) for row in rows],
    )
    return table


def urgent_open(ctx):
    complaints = selectors.dashboard_urgent_open(scope=ctx.scope, filters=ctx.filters)
    table = Table(
        "urgent_open",
        _("Urgent complaints still open (oldest first)"),
        [
            _("Reference"),
            _("Category"),
            _("Office"),
            _("Received"),
            _("Deadline"),
            _("Escalation level"),
        ],
        ["text", "text", "text", "datetime", "datetime", "int"],
    )
    table.rows = [
        [c.reference, c.category.name, c.office.name, c.created_at, c.due_at, c.escalation_level]
        for c in complaints
    ]
    return table


def workload(ctx):
    from oversight.dashboards.first_screen import first_screen_snapshot

    snapshot = first_screen_snapshot(ctx)
    if snapshot is not None and snapshot.workload is not None:
        rows = snapshot.workload
    else:
        rows = selectors.dashboard_officer_workload(scope=ctx.scope, filters=ctx.filters)
    table = Table(
        "workload",
        _("Officers' workload"),
        [
            _("Officer"),
            _("Open complaints"),
            _("Open past the standard"),
            _("Oldest open complaint received"),
        ],
        ["text", "int", "int", "datetime"],
    )
    table.rows = [
        [row.name or _("(not assigned)"), row.open, row.overdue, row.oldest] for row in rows
    ]
    table.chart = charts.bar_chart(
        chart_id="chart-workload",
        title=_("Open complaints per officer"),
        description=_("Bar chart of open complaints per officer; largest first."),
        rows=[(r[0], r[1]) for r in table.rows[:CHART_ROWS]],
    )
    return table


def villages_status(ctx):
    from desa_migran.choices import VillageStatus

    totals = selectors.dashboard_villages(scope=ctx.scope)
    title = _("Desa Migran Emas villages by status")
    table = Table("villages_status", title, [_("Status"), _("Villages")], ["text", "int"])
    table.rows = [
        [str(VillageStatus(s).label), totals.by_status.get(s, 0)] for s in VillageStatus.values
    ]
    table.note = _(
        "%(designated)s of the %(target)s-village target designated (%(percent)s%%)."
    ) % {
        "designated": totals.designated,
        "target": totals.target,
        "percent": totals.progress_percent,
    }
    table.chart = charts.bar_chart(
        chart_id="chart-villages",
        title=title,
        description=_("Bar chart of villages per programme status."),
        rows=[(r[0], r[1]) for r in table.rows],
    )
    table.extra = totals
    return table


def villages_province(ctx):
    from desa_migran.choices import VillageStatus

    totals = selectors.dashboard_villages(scope=ctx.scope)
    statuses = [VillageStatus.CANDIDATE, VillageStatus.ASSESSED, VillageStatus.DESA_MIGRAN_EMAS]
    table = Table(
        "villages_province",
        _("Desa Migran Emas villages by province"),
        [_("Province"), *[str(status.label) for status in statuses], _("Total")],
        ["text", "int", "int", "int", "int"],
    )
    table.rows = [
        [row["name"], *[row.get(status, 0) for status in statuses], row["total"]]
        for row in totals.by_province
    ]
    return table


BUILDERS: dict[str, Callable[[Context], Table]] = {
    # The first screen (oversight.dashboards.first_screen), then the longer analysis.
    **first_screen.BUILDERS,
    "volume_month": volume_month,
    "volume_week": volume_week,
    "open_by_level": open_by_level,
    "urgent_open": urgent_open,
    "by_category": by_category,
    "by_kind": by_kind,
    "by_status": by_status,
    "by_province": by_province,
    "by_country": by_country,
    "by_agency": by_agency,
    "by_channel": by_channel,
    "sla": sla,
    "response_by_channel": response_by_channel,
    "workload": workload,
    "villages_status": villages_status,
    "villages_province": villages_province,
}
# Officers' workload is for heads of office; the ministry reads the offices table instead.
NATIONAL_HIDDEN = {"workload"}


# The first table of the longer analysis, below the first screen.
ANALYSIS_STARTS = "volume_month"


def table_slugs(scope: selectors.DashboardScope) -> list[str]:
    return [slug for slug in BUILDERS if not (scope.is_national and slug in NATIONAL_HIDDEN)]


def build_tables(ctx: Context, slugs: Iterable[str]) -> list[Table]:
    return [BUILDERS[slug](ctx) for slug in slugs]


# --- watchlist ----------------------------------------------------------------------------------


def _party_table(ctx: Context, slug: str, title: str, rows) -> Table:
    table = Table(
        slug,
        title,
        [
            _("Name"),
            _("Linked record"),
            _("Complaints"),
            _("Open"),
            _("Categories"),
            _("First complaint"),
            _("Latest complaint"),
        ],
        ["text", "text", "int", "int", "int", "datetime", "datetime"],
    )
    table.rows = [
        [
            row.name,
            _("yes") if row.is_linked else _("no (name as written)"),
            row.complaints,
            row.open,
            row.categories,
            row.first,
            row.last,
        ]
        for row in rows
    ]
    if ctx.url_for_drilldown:
        table.links = [
            ctx.url_for_drilldown(
                {"agency": row.agency_id} if row.is_linked else {"party": row.name}
            )
            for row in rows
        ]
    return table


def watchlist_tables(ctx: Context, only: str | None = None) -> list[Table]:
    """The watchlist's tables (all of them, or the one named for a CSV export)."""
    from complaints.choices import AgencyKind
    from oversight.dashboards import watchlist

    titles = {
        "p3mi": _("Placement agencies (P3MI)"),
        "foreign_agency": _("Agencies abroad"),
        "employer": _("Employers"),
    }
    result = []
    parties = {}
    for kind in (AgencyKind.P3MI, AgencyKind.FOREIGN_AGENCY, AgencyKind.EMPLOYER):
        if only in (None, kind.value, "repeat") or (
            only == "categories" and kind == AgencyKind.P3MI
        ):
            parties[kind.value] = watchlist.watchlist_parties(
                scope=ctx.scope, filters=ctx.filters, kind=kind
            )
        if only in (None, kind.value):
            result.append(_party_table(ctx, kind.value, titles[kind.value], parties[kind.value]))
    if only in (None, "repeat"):
        repeat = [
            row for rows in parties.values() for row in watchlist.watchlist_repeat_offenders(rows)
        ]
        repeat.sort(key=lambda row: (-row.complaints, row.name))
        table = _party_table(
            ctx,
            "repeat",
            _("Repeat offenders: named in %(n)s or more complaints in the period")
            % {"n": watchlist.REPEAT_THRESHOLD},
            repeat,
        )
        table.headers[0] = _("Name (kind)")
        for row, party in zip(table.rows, repeat, strict=True):
            row[0] = f"{party.name} ({titles[party.kind]})"
        result.append(table)
    if only in (None, "categories"):
        top = [row for row in parties[AgencyKind.P3MI.value] if row.is_linked][:10]
        per_agency = watchlist.watchlist_categories_per_agency(
            scope=ctx.scope, filters=ctx.filters, agency_ids=[row.agency_id for row in top]
        )
        table = Table(
            "categories",
            _("Categories per placement agency (the ten named most often)"),
            [_("Placement agency"), _("Category"), _("Complaints")],
            ["text", "text", "int"],
        )
        for row in top:
            for category_id, count in per_agency.get(row.agency_id, []):
                table.rows.append(
                    [row.name, ctx.labels.categories.get(category_id, str(category_id)), count]
                )
        result.append(table)
    return result


WATCHLIST_TABLES = ("p3mi", "foreign_agency", "employer", "repeat", "categories")
