"""The ministry's first screen: offices against the service standard, the backlog by age,
breaches per week and the oldest open complaints. Each is a table (with its CSV) and, where it
helps, a chart drawn from the same rows. Figures come from oversight.standard.selectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight import charts
from oversight.dashboards import selectors
from oversight.standard import selectors as standard
from oversight.standard.snapshot import (
    FirstScreenSnapshot,
    first_screen_snapshot_get,
    first_screen_view_take,
)

FIRST_SCREEN = ("offices", "ministry_queue", "backlog_age", "breaches_week", "oldest_open")


def compliance_definition() -> str:
    return _(
        "Compliance: the share of the service-standard targets (verification, first response, "
        "resolution) falling due in the period, up to now, that were met. A target is missed "
        "when it passed before its milestone was reached; targets of complaints paused or "
        "finished before them are not counted. Days are working days (weekdays that are not "
        "holidays) from receipt. Worst first: most open complaints past the standard, then the "
        "lowest compliance. A BP3MI's figures include its posts; complaints count at the office "
        "holding them now."
    )


@dataclass
class Bundle:
    now: datetime
    calendar: standard.Calendar
    board: standard.OfficeBoard


def _complaints(ctx):
    return selectors.dashboard_complaint_base(scope=ctx.scope, filters=ctx.filters)


def first_screen_snapshot(ctx) -> FirstScreenSnapshot | None:
    """The view's snapshot (oversight.standard.snapshot), read once: the beat's for the default
    view; for another view its own, taken now if there is none since the last complaint change
    (None where views are not kept: SQLite, or a default view whose snapshot expired)."""
    if "snapshot" not in ctx.cache:
        snapshot = first_screen_snapshot_get(scope=ctx.scope, filters=ctx.filters)
        if snapshot is None:
            snapshot = first_screen_view_take(scope=ctx.scope, filters=ctx.filters)
        ctx.cache["snapshot"] = snapshot
    return ctx.cache["snapshot"]


def bundle(ctx) -> Bundle:
    """The board of the request, computed once (the tables and charts share it), from the
    view's snapshot when there is one."""
    cached = ctx.cache.get("standard")
    if cached is None and (snapshot := first_screen_snapshot(ctx)) is not None:
        cached = ctx.cache["standard"] = Bundle(
            now=snapshot.now, calendar=snapshot.calendar, board=snapshot.board
        )
    if cached is None:
        now = ctx.cache.setdefault("now", timezone.now())
        complaints = _complaints(ctx)
        calendar = standard.calendar_preloaded(using=complaints.db)
        window = standard.window_for_days(
            date_from=ctx.filters.date_from, date_to=ctx.filters.date_to, now=now
        )
        board = standard.standard_office_board(
            complaints=complaints,
            office_ids=ctx.scope.office_ids,
            filter_office_ids=ctx.filters.office_ids,
            window=window,
            calendar=calendar,
        )
        cached = ctx.cache["standard"] = Bundle(now=now, calendar=calendar, board=board)
    return cached


FIGURE_HEADERS = (
    ("open", "int"),
    ("past_standard", "int"),
    ("breached", "int"),
    ("first_response_median_days", "days"),
    ("first_response_p90_days", "days"),
    ("resolution_median_days", "days"),
    ("resolution_p90_days", "days"),
    ("compliance", "pct"),
    ("targets_due", "int"),
)


def _figure_headers() -> list[str]:
    return [
        _("Open"),
        _("Open past the standard"),
        _("Breached in the period"),
        _("Median working days to first response"),
        _("90th percentile working days to first response"),
        _("Median working days to resolution"),
        _("90th percentile working days to resolution"),
        _("Compliance"),
        _("Targets due in the period"),
    ]


def _figure_cells(figures: standard.StandardFigures) -> list:
    return [getattr(figures, name) for name, _kind in FIGURE_HEADERS]


def offices(ctx):
    from oversight.dashboards.tables import Table

    board = bundle(ctx).board
    title = _("Offices against the service standard (worst first)")
    table = Table(
        "offices",
        title,
        [_("Office"), _("Level"), *_figure_headers()],
        ["text", "text", *[kind for _name, kind in FIGURE_HEADERS]],
    )
    links: list[str | None] = []
    expand = len(board.rows) == 1
    for row in board.rows:
        table.rows.append([row.name, _("BP3MI with its posts"), *_figure_cells(row.figures)])
        links.append(
            ctx.url_for_drilldown_dashboard({"office": row.office_id})
            if ctx.url_for_drilldown_dashboard and row.posts and not expand
            else None
        )
        if expand:
            for part in row.posts:
                label = _("own queue") if part.office_id == row.office_id else _("post (P4MI)")
                table.rows.append([f"— {part.name}", label, *_figure_cells(part.figures)])
                links.append(None)
    table.links = links
    table.note = compliance_definition()
    table.chart = charts.bar_chart(
        chart_id="chart-offices",
        title=_("Open complaints past the standard per office"),
        description=_(
            "Bar chart of open complaints past the standard per office, worst first; the "
            "table below has every figure."
        ),
        rows=[(row.name, row.figures.past_standard) for row in board.rows],
    )
    return table


def ministry_queue(ctx):
    from oversight.dashboards.tables import Table

    board = bundle(ctx).board
    table = Table(
        "ministry_queue",
        _("The ministry's own queue, and the total"),
        [_("Office"), *_figure_headers()],
        ["text", *[kind for _name, kind in FIGURE_HEADERS]],
    )
    table.rows = [[row.name, *_figure_cells(row.figures)] for row in board.ministry]
    table.rows.append([_("Total (everything in this view)"), *_figure_cells(board.total)])
    return table


def backlog_age(ctx):
    from oversight.dashboards.tables import Table

    snapshot = first_screen_snapshot(ctx)
    if snapshot is not None:
        rows = snapshot.backlog
    else:
        data = bundle(ctx)
        rows = standard.standard_backlog_by_age(
            _complaints(ctx), now=data.now, calendar=data.calendar
        )
    title = _("Open complaints by working days since receipt")
    table = Table(
        "backlog_age",
        title,
        [_("Working days since receipt"), _("Open"), _("Open past the standard")],
        ["text", "int", "int"],
    )
    table.rows = [[row.label, row.open, row.past_standard] for row in rows]
    table.note = _("The date range does not apply: open work counts whenever it was received.")
    table.chart = charts.column_chart(
        chart_id="chart-backlog-age",
        title=title,
        description=_("Column chart of open complaints per age band, youngest on the left."),
        rows=[(row.label, row.open) for row in rows],
    )
    return table


def breaches_week(ctx):
    from oversight.dashboards.tables import Table

    snapshot = first_screen_snapshot(ctx)
    if snapshot is not None:
        rows = snapshot.breaches
    else:
        window = bundle(ctx).board.window
        rows = standard.standard_breaches_by_week(_complaints(ctx), window=window)
    title = _("Missed targets per week")
    table = Table(
        "breaches_week",
        title,
        [_("Week starting"), _("Verification"), _("First response"), _("Resolution"), _("Total")],
        ["date", "int", "int", "int", "int"],
    )
    table.rows = [
        [row.week, row.verification, row.first_response, row.resolution, row.total] for row in rows
    ]
    table.note = _(
        "Each missed target counts in the week of the target it missed; a complaint missing "
        "two targets counts twice."
    )
    table.chart = charts.column_chart(
        chart_id="chart-breaches-week",
        title=title,
        description=_("Column chart of missed targets per week, oldest on the left."),
        rows=[(row.week.isoformat(), row.total) for row in rows],
    )
    return table


def oldest_open(ctx):
    from oversight.dashboards.tables import Table

    # Always live (20 rows in the order of an index): the list to act on is current. Its
    # ages are of the request's time even when the board comes from a snapshot.
    data = bundle(ctx)
    now = ctx.cache.setdefault("now", timezone.now())
    rows = standard.standard_oldest_open(_complaints(ctx), now=now, calendar=data.calendar)
    table = Table(
        "oldest_open",
        _("Oldest open complaints"),
        [
            _("Reference"),
            _("Office"),
            _("Category"),
            _("Status"),
            _("Received"),
            _("Working days since receipt"),
            _("Past the standard"),
        ],
        ["text", "text", "text", "text", "datetime", "days", "text"],
    )
    table.rows = [
        [
            row.reference,
            row.office_name,
            row.category_name,
            row.status,
            row.created_at,
            row.age_days,
            _("yes") if row.past_standard else _("no"),
        ]
        for row in rows
    ]
    table.links = [reverse("admin:complaints_complaint_change", args=[row.pk]) for row in rows]
    return table


BUILDERS = {
    "offices": offices,
    "ministry_queue": ministry_queue,
    "backlog_age": backlog_age,
    "breaches_week": breaches_week,
    "oldest_open": oldest_open,
}
