"""Public statistics: monthly aggregates with small cells suppressed (design.md §4.6).

Rule, also printed on the page and in the JSON:
1. Primary suppression: any cell (including totals) counting fewer than 5 complaints, zero
   included, is published as "<5".
2. Secondary suppression: a table's rows and columns are linked by their totals (the cells of a row
   add up to the row total, likewise for columns and the grand total). Whenever such a row or
   column has exactly one hidden value, the smallest visible cell of it is hidden too (a total only
   when nothing else is left), and this repeats until no row or column has exactly one hidden value.
   So no hidden value is the difference between a total and the visible cells.
3. Offices' shares and medians are published only when they rest on at least 5 complaints.

Villages are public directory entries, not people: their counts are not suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from complaints.choices import IntakeChannel
from complaints.models import Category, Complaint
from complaints.selectors import complaint_monthly_counts_by_channel
from oversight.dashboards import selectors
from oversight.dashboards.filters import DashboardFilters
from oversight.dashboards.models import ComplaintMarginal, Period
from portal.countries import country_name
from portal.db_router import dashboard_db_alias
from portal.models import Office, Region

MINIMUM_CELL = 5
SUPPRESSED = "<5"
LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
ATTRIBUTION = "Kementerian Pelindungan Pekerja Migran Indonesia (KemenP2MI)"
# Destination countries beyond the ten largest are published together (fewer, larger cells).
TOP_COUNTRIES = 10
OTHER = "other"
EARLIEST_YEAR = 2017
CACHE_SECONDS = 300


# --- suppression -------------------------------------------------------------------------------


@dataclass
class SuppressedTable:
    """A matrix with its row totals, column totals and grand total; `hidden` marks suppressed
    positions in the extended (rows+1) x (columns+1) grid whose last row and column are totals."""

    values: list[list[int]]  # extended grid, true values
    hidden: set[tuple[int, int]]

    def published(self, i: int, j: int) -> int | str:
        return SUPPRESSED if (i, j) in self.hidden else self.values[i][j]


def suppress(counts: list[list[int]]) -> SuppressedTable:
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    grid = [[*row, sum(row)] for row in counts]
    grid.append([sum(grid[i][j] for i in range(rows)) for j in range(columns + 1)])
    hidden = {
        (i, j) for i in range(rows + 1) for j in range(columns + 1) if grid[i][j] < MINIMUM_CELL
    }
    # Each line is a row or a column of the extended grid; its last member is its total.
    lines = [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)] + [
        [(i, j) for i in range(rows + 1)] for j in range(columns + 1)
    ]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(position in hidden for position in line) != 1:
                continue
            *cells, total = line
            visible = [p for p in cells if p not in hidden]
            if visible:
                hidden.add(min(visible, key=lambda p: (grid[p[0]][p[1]], p)))
            else:
                hidden.add(total)
            changed = True
    return SuppressedTable(values=grid, hidden=hidden)


# --- the public tables ---------------------------------------------------------------------


def stats_year_default() -> int:
    return timezone.localdate().year


def stats_years() -> list[int]:
    return list(range(stats_year_default(), EARLIEST_YEAR - 1, -1))


def _month_keys(year: int) -> list[str]:
    today = timezone.localdate()
    last = 12 if year < today.year else today.month
    return [f"{year}-{month:02d}" for month in range(1, last + 1)]


def _matrix(year: int, dimension: str) -> dict[tuple, int]:
    """Complaints per (value, month) of one dimension, from the all-office monthly marginals."""
    rows = (
        ComplaintMarginal.objects.using(dashboard_db_alias())
        .filter(
            office_id__isnull=True,
            period=Period.MONTH,
            dimension=dimension,
            period_start__year=year,
        )
        .values("period_start", "value")
        .annotate(count=Sum("complaints"))
        .order_by()
    )
    as_key = int if dimension == "category" else str
    return {
        (as_key(row["value"]), row["period_start"].strftime("%Y-%m")): row["count"] for row in rows
    }


def _cross_table(
    *, slug: str, title: str, header: str, labels: dict, cells: dict, months: list[str]
) -> dict:
    keys = sorted({key for key, _month in cells}, key=lambda key: str(labels.get(key, key)))
    counts = [[cells.get((key, month), 0) for month in months] for key in keys]
    table = suppress(counts) if keys else None
    rows = []
    for i, key in enumerate(keys):
        rows.append(
            {
                "key": str(key),
                "label": str(labels.get(key, key)),
                "values": [table.published(i, j) for j in range(len(months))],
                "total": table.published(i, len(months)),
            }
        )
    totals = (
        [table.published(len(keys), j) for j in range(len(months))] if table else [0] * len(months)
    )
    grand = table.published(len(keys), len(months)) if table else 0
    return {
        "slug": slug,
        "title": title,
        "row_header": header,
        "columns": months,
        "rows": rows,
        "column_totals": totals,
        "grand_total": grand,
    }


def _channel_table(year: int, months: list[str], until) -> dict:
    """Complaints per month by the channel they came in by (web form, walk-in, hotline,
    WhatsApp, ...), counted up to the time of the summary the other tables come from, so that
    all tables count the same complaints; suppressed by the same rule."""
    cells = (
        complaint_monthly_counts_by_channel(year=year, until=until, using=dashboard_db_alias())
        if until is not None
        else {}
    )
    return _cross_table(
        slug="channels",
        title=_("Complaints per month by channel"),
        header=_("Channel"),
        labels=dict(IntakeChannel.choices),
        cells=cells,
        months=months,
    )


def _office_table(year: int) -> dict:
    filters = DashboardFilters(date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    scope = selectors.DashboardScope(office_ids=None, complaints=Complaint.objects.all())
    names = dict(Office.objects.values_list("pk", "name"))
    rows = []
    for row in sorted(
        selectors.dashboard_sla_by_office(scope=scope, filters=filters),
        key=lambda r: names.get(r.office_id, ""),
    ):
        verify_n = row.verify_on_time + row.verify_late
        response_n = row.response_on_time + row.response_late
        resolve_n = row.resolve_on_time + row.resolve_late

        def published_share(value, n):
            return round(value, 4) if value is not None and n >= MINIMUM_CELL else None

        def published_hours(value, n):
            return round(value, 1) if value is not None and n >= MINIMUM_CELL else None

        rows.append(
            {
                "office": names.get(row.office_id, str(row.office_id)),
                "complaints": row.complaints if row.complaints >= MINIMUM_CELL else SUPPRESSED,
                "share_verified_within_3_working_days": published_share(row.verify_share, verify_n),
                "share_first_response_within_5_working_days": published_share(
                    row.response_share, response_n
                ),
                "share_resolved_within_target": published_share(row.resolve_share, resolve_n),
                "median_hours_to_first_response": published_hours(
                    row.response_median_hours, row.responded
                ),
                "median_hours_to_resolution": published_hours(
                    row.resolution_median_hours, row.resolved
                ),
            }
        )
    return {
        "slug": "offices",
        "title": _("Response times and SLA compliance per office"),
        "rows": rows,
    }


def _standard_table(year: int) -> dict:
    """Per BP3MI office (posts rolled up): the service standard over the year, from the same
    selectors as the dashboard (oversight.standard.selectors). Counts under 5 are "<5";
    compliance and medians are published only when they rest on at least 5 targets or
    complaints."""
    from oversight.standard.selectors import standard_office_board, window_for_days

    window = window_for_days(
        date_from=date(year, 1, 1), date_to=date(year, 12, 31), now=timezone.now()
    )
    board = standard_office_board(
        complaints=Complaint.objects.using(dashboard_db_alias()).all(),
        office_ids=None,
        window=window,
    )

    def count(value: int) -> int | str:
        return value if value >= MINIMUM_CELL else SUPPRESSED

    def measured(value: float | None, n: int, digits: int) -> float | None:
        return round(value, digits) if value is not None and n >= MINIMUM_CELL else None

    rows = []
    for row in sorted(board.rows, key=lambda r: r.name):
        figures = row.figures
        rows.append(
            {
                "office": row.name,
                "targets_due": count(figures.targets_due),
                "breached": count(figures.breached),
                "compliance": measured(figures.compliance, figures.targets_due, 4),
                "median_working_days_to_first_response": measured(
                    figures.first_response_median_days, figures.responded, 1
                ),
                "median_working_days_to_resolution": measured(
                    figures.resolution_median_days, figures.resolved, 1
                ),
            }
        )
    return {
        "slug": "standard",
        "title": _("The service standard per BP3MI office"),
        "rows": rows,
    }


def _villages_table() -> dict:
    from desa_migran.choices import VillageStatus
    from desa_migran.selectors import programme_totals

    totals = programme_totals()
    return {
        "slug": "villages",
        "title": _("Desa Migran Emas villages by status"),
        "rows": [
            {"status": status, "label": str(VillageStatus(status).label), "villages": count}
            for status, count in totals.by_status.items()
        ],
        "target": totals.target,
        "designated": totals.designated,
    }


def stats_public(*, year: int) -> dict:
    """The whole public payload for a year (cached until the summary is rebuilt)."""
    freshness = selectors.dashboard_freshness()
    stamp = freshness.refreshed_at.isoformat() if freshness else "never"
    key = f"oversight:stats:{year}:{get_language()}:{stamp}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    months = _month_keys(year)
    categories = {c.pk: c.name for c in Category.objects.only("name_id", "name_en")}
    provinces = dict(Region.objects.filter(level=1).values_list("code", "name"))
    by_country = _matrix(year, "country")
    country_totals: dict[str, int] = {}
    for (code, _month), count in by_country.items():
        country_totals[code] = country_totals.get(code, 0) + count
    top = set(sorted(country_totals, key=lambda c: -country_totals[c])[:TOP_COUNTRIES])
    grouped: dict[tuple, int] = {}
    for (code, month), count in by_country.items():
        key_code = code if code in top else OTHER
        grouped[(key_code, month)] = grouped.get((key_code, month), 0) + count
    country_labels = {code: country_name(code) for code in top}
    country_labels[OTHER] = _("Other countries")
    payload = {
        "year": year,
        "data_as_of": freshness.refreshed_at.isoformat() if freshness else None,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "suppression": {
            "minimum_cell": MINIMUM_CELL,
            "marker": SUPPRESSED,
            "rule": _(
                'Cells counting fewer than 5 complaints (zero included) are shown as "<5". '
                "When a row or column would have exactly one hidden value, its smallest visible "
                "cell is hidden too, until no hidden value can be computed from a total. Shares "
                "and medians are published only when they rest on at least 5 complaints."
            ),
        },
        "tables": [
            _cross_table(
                slug="categories",
                title=_("Complaints per month by category"),
                header=_("Category"),
                labels=categories,
                cells=_matrix(year, "category"),
                months=months,
            ),
            _cross_table(
                slug="countries",
                title=_("Complaints per month by destination country"),
                header=_("Destination country"),
                labels=country_labels,
                cells=grouped,
                months=months,
            ),
            _cross_table(
                slug="provinces",
                title=_("Complaints per month by origin province"),
                header=_("Origin province"),
                labels=provinces,
                cells=_matrix(year, "province"),
                months=months,
            ),
            _channel_table(year, months, freshness.refreshed_at if freshness else None),
            _office_table(year),
            _standard_table(year),
            _villages_table(),
        ],
    }
    cache.set(key, payload, CACHE_SECONDS)
    return payload


def stats_table(payload: dict, slug: str) -> dict | None:
    return next((table for table in payload["tables"] if table["slug"] == slug), None)


def stats_csv_rows(table: dict) -> tuple[list[str], list[list]]:
    """Header and rows of one public table as published (suppressed cells stay "<5")."""
    if "columns" in table:
        header = ["key", "label", *table["columns"], "total"]
        rows = [[r["key"], r["label"], *r["values"], r["total"]] for r in table["rows"]]
        rows.append(["total", _("Total"), *table["column_totals"], table["grand_total"]])
        return header, rows
    if table["slug"] == "villages":
        return ["status", "label", "villages"], [
            [r["status"], r["label"], r["villages"]] for r in table["rows"]
        ]
    header = list(table["rows"][0].keys()) if table["rows"] else ["office"]
    return header, [[r[h] for h in header] for r in table["rows"]]
