"""Tables behind the dashboards: the per-complaint ledger with its monthly marginals, the
per-complaint durations and a working-day calendar.

On PostgreSQL they are kept up to date by `oversight.dashboards.services.dashboard_summary_fold`
(Celery task `portal.fold_dashboard_summary`, every minute): triggers on the complaints table log
the ids of changed complaints in `ComplaintChange`, and the fold moves each changed complaint's
contribution (`ComplaintSummaryFact`) from its old rows to its new ones. The full rebuild,
`dashboard_summary_refresh`, builds the initial state and serves SQLite; the nightly
`dashboard_summary_check` rebuilds into temporary tables only to compare. Nothing else writes them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


# The time grain of the summary tables: whole months, and whole weeks (starting Monday) for the
# weekly volume. A date range not aligned on them adds up its whole periods from these rows and
# its edge days from the ledger (ComplaintSummaryFact, indexed by day): see
# oversight.dashboards.breakdown.
class Period(models.TextChoices):
    MONTH = "month", _("month")
    WEEK = "week", _("week")


# The marginals' pseudo-dimension that counts every complaint once (value ""): the volume per
# month and per week. Only this dimension has week rows.
TOTAL_DIMENSION = "total"


class ComplaintMarginal(models.Model):
    """The ledger added up per month and ONE dimension (category, kind, status, province,
    country, office, placement agency, channel, and "total"), for all offices together and per
    office; "total" also per week. The views without province, category, country or channel
    filter read these few rows a month instead of a row per complaint."""

    period = models.CharField(max_length=5, choices=Period.choices)
    # The first day of the month, or the Monday of the week.
    period_start = models.DateField()
    # None: all offices together (the national view); else one office (office and head views).
    office_id = models.BigIntegerField(null=True)
    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=20)
    complaints = models.PositiveIntegerField(default=0)
    urgent = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    verify_on_time = models.PositiveIntegerField(default=0)
    verify_late = models.PositiveIntegerField(default=0)
    response_on_time = models.PositiveIntegerField(default=0)
    response_late = models.PositiveIntegerField(default=0)
    resolve_on_time = models.PositiveIntegerField(default=0)
    resolve_late = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("complaint marginal")
        verbose_name_plural = _("complaint marginals")
        default_permissions = ()
        indexes = [
            models.Index(
                fields=["dimension", "office_id", "period", "period_start"],
                name="marginal_dim_office_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.period_start} {self.dimension}={self.value}: {self.complaints}"


# The filters with their own national marginals, in the order that decides which side keeps a
# pair of them (see `filter_breakdown_stored`).
FILTER_DIMENSIONS = ("province", "country", "category", "channel")


def filter_breakdown_stored(*, filter_dimension: str, dimension: str) -> bool:
    """Whether ComplaintFilterMarginal keeps `dimension`'s breakdown of a `filter_dimension`
    value. Not the office: the per-office marginals hold it (each office and that filter
    value). A pair of filters once: complaints per month, category and country are a
    category's countries and a country's categories alike, so only the earlier filter of
    FILTER_DIMENSIONS keeps them."""
    if dimension in (filter_dimension, "office"):
        return False
    if dimension in FILTER_DIMENSIONS:
        return FILTER_DIMENSIONS.index(filter_dimension) < FILTER_DIMENSIONS.index(dimension)
    return True


class ComplaintFilterMarginal(models.Model):
    """The ledger added up nationally per month, ONE filter value (a province, a destination
    country, a category or an intake channel) and ONE breakdown dimension ("total" also per
    week; see `filter_breakdown_stored` for the breakdowns kept). A national view filtered by
    one of those reads these rows instead of the ledger's rows of that filter, which can be a
    third of all complaints."""

    period = models.CharField(max_length=5, choices=Period.choices)
    period_start = models.DateField()
    filter_dimension = models.CharField(max_length=10)
    filter_value = models.CharField(max_length=20)
    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=20)
    complaints = models.PositiveIntegerField(default=0)
    urgent = models.PositiveIntegerField(default=0)
    verify_on_time = models.PositiveIntegerField(default=0)
    verify_late = models.PositiveIntegerField(default=0)
    response_on_time = models.PositiveIntegerField(default=0)
    response_late = models.PositiveIntegerField(default=0)
    resolve_on_time = models.PositiveIntegerField(default=0)
    resolve_late = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("complaint filter marginal")
        verbose_name_plural = _("complaint filter marginals")
        default_permissions = ()
        indexes = [
            models.Index(
                fields=["filter_dimension", "filter_value", "period", "period_start"],
                name="filter_marginal_value_period",
            ),
            # A pair of filters read from the other side (a country's categories).
            models.Index(
                fields=["dimension", "value", "period", "period_start"],
                name="filter_marginal_pair_period",
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.filter_dimension}={self.filter_value}"
        return f"{self.period} {self.period_start} {where} {self.dimension}={self.value}"


class ComplaintSummaryFact(models.Model):
    """The ledger: what one complaint adds to the dashboard figures, its key columns and a 0/1
    per measure, as of the last fold. A change cannot be folded in by counting alone: the fold
    subtracts the complaint's old contribution (this row) and adds its new one, so each change
    costs a few row updates whatever the history. "overdue" is evaluated at
    `DashboardRefresh.folded_at`.

    The views the marginals cannot serve (several filters, or a filter within an office scope)
    and the edge days of a date range not aligned on months add these rows up directly: a
    summary per day and every dimension held about as many rows as complaints (0.89 per
    complaint at 1,000,000), so it summarised nothing."""

    complaint_id = models.BigIntegerField(primary_key=True)
    day = models.DateField()
    office_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    kind = models.CharField(max_length=20)
    destination_country = models.CharField(max_length=2)
    province_code = models.CharField(max_length=2)
    status = models.CharField(max_length=20)
    placement_agency_id = models.BigIntegerField(null=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    channel = models.CharField(max_length=20, default="web")
    # Always 1: the ledger adds up like the summary tables (SUM(complaints)).
    complaints = models.SmallIntegerField(default=1)
    urgent = models.SmallIntegerField(default=0)
    overdue = models.SmallIntegerField(default=0)
    verify_on_time = models.SmallIntegerField(default=0)
    verify_late = models.SmallIntegerField(default=0)
    response_on_time = models.SmallIntegerField(default=0)
    response_late = models.SmallIntegerField(default=0)
    resolve_on_time = models.SmallIntegerField(default=0)
    resolve_late = models.SmallIntegerField(default=0)

    class Meta:
        verbose_name = _("complaint summary contribution")
        verbose_name_plural = _("complaint summary contributions")
        default_permissions = ()
        indexes = [
            # A view's days of its offices (scoped views, the edges of a date range), and the
            # days of one filter value (views with a province, country or category filter).
            models.Index(fields=["day", "office_id"], name="fact_day_office"),
            models.Index(fields=["province_code", "day"], name="fact_province_day"),
            models.Index(fields=["destination_country", "day"], name="fact_country_day"),
            models.Index(fields=["category_id", "day"], name="fact_category_day"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.day} {self.status}"


class ComplaintChange(models.Model):
    """The ids of complaints changed since the last fold, written by the statement-level triggers
    on the complaints table (migration 0003, PostgreSQL): a set-based UPDATE (the escalation
    sweep) is logged as surely as a save(). Ids only: no personal data is copied here."""

    id = models.BigAutoField(primary_key=True)
    complaint_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("complaint change")
        verbose_name_plural = _("complaint changes")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.complaint_id)


class ComplaintDuration(models.Model):
    """Hours from receipt to first response and to resolution, one row per complaint that has
    either, with the columns the dashboard filters on. Percentiles cannot be added up, so views
    outside the snapshot's window (filtered by province, country or category, or another date
    range) sort these values; reading this narrow, indexed copy instead of the complaints table
    keeps a filtered view within its 500 ms budget (design.md §7)."""

    # The fold replaces the rows of the complaints it folds in.
    complaint_id = models.BigIntegerField(null=True)
    day = models.DateField(_("day received"))
    office_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    destination_country = models.CharField(max_length=2)
    province_code = models.CharField(max_length=2)
    # Time to first response is also shown per intake channel.
    channel = models.CharField(max_length=20, default="web")
    # None: not responded to (resolved counts as responded) / not resolved yet.
    response_hours = models.FloatField(null=True)
    resolution_hours = models.FloatField(null=True)

    class Meta:
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_complaintduration"
        verbose_name = _("complaint duration")
        verbose_name_plural = _("complaint durations")
        default_permissions = ()
        indexes = [
            models.Index(fields=["office_id", "day"], name="duration_office_day"),
            models.Index(fields=["province_code", "day"], name="duration_province_day"),
            models.Index(fields=["destination_country", "day"], name="duration_country_day"),
            models.Index(fields=["category_id", "day"], name="duration_category_day"),
            models.Index(fields=["complaint_id"], name="duration_complaint"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id}: {self.response_hours} / {self.resolution_hours}"


class OfficeDurationSnapshot(models.Model):
    """Median and p90 durations per office for the default window (the last twelve months), taken
    at each refresh: percentiles cannot be added up like counts, and sorting a year of complaints
    on every page view would break the 500 ms budget."""

    office = models.ForeignKey(
        "portal.Office", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # Empty: every intake channel together; else one channel (a national channel filter would
    # otherwise sort a year of durations per view).
    channel = models.CharField(max_length=20, blank=True, default="")
    date_from = models.DateField()
    date_to = models.DateField()
    response_median_hours = models.FloatField(null=True)
    response_p90_hours = models.FloatField(null=True)
    resolution_median_hours = models.FloatField(null=True)
    resolution_p90_hours = models.FloatField(null=True)
    responded = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_officedurationsnapshot"
        verbose_name = _("office duration snapshot")
        verbose_name_plural = _("office duration snapshots")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.office_id} {self.channel or '*'} {self.date_from}..{self.date_to}"


class ChannelDurationSnapshot(models.Model):
    """Median and p90 hours to first response per intake channel for the default window, taken at
    each refresh: all offices together, and each office with the offices below it (what a head
    of office sees, and what the office filter selects). As with the per-office snapshot,
    sorting a year of durations on every page view would break the budget; a view these rows
    cannot answer (other dates, a province, category or country filter) sorts live."""

    # The offices added up, as sorted comma-separated ids; empty: every office.
    offices = models.TextField(blank=True)
    channel = models.CharField(max_length=20)
    date_from = models.DateField()
    date_to = models.DateField()
    response_median_hours = models.FloatField(null=True)
    response_p90_hours = models.FloatField(null=True)
    responded = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("channel duration snapshot")
        verbose_name_plural = _("channel duration snapshots")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.offices or '*'} {self.channel} {self.date_from}..{self.date_to}"


class WorkingDay(models.Model):
    """Calendar: `ordinal` counts working days (weekdays that are not holidays) up to and including
    `date`, so the working days between two dates are a subtraction, in SQL as in Python."""

    date = models.DateField(primary_key=True)
    ordinal = models.PositiveIntegerField()
    is_working_day = models.BooleanField()

    class Meta:
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_workingday"
        verbose_name = _("working day")
        verbose_name_plural = _("working days")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.date}: {self.ordinal}"


class DashboardRefresh(models.Model):
    """One row: when the summary was last brought up to date (shown on every dashboard as its
    freshness), and the state of the incremental upkeep."""

    refreshed_at = models.DateTimeField(_("refreshed at"))
    as_of_date = models.DateField(_("SLA deadlines evaluated on"))
    summary_rows = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    # The instant "overdue" was evaluated at by the last rebuild or fold; None: never built, so
    # the next fold rebuilds in full first.
    folded_at = models.DateTimeField(null=True)
    fold_complaints = models.PositiveIntegerField(default=0)
    fold_ms = models.PositiveIntegerField(default=0)
    duration_snapshot_at = models.DateTimeField(null=True)
    # The nightly check: when, and how many rows differed from a full rebuild (0 expected).
    checked_at = models.DateTimeField(null=True)
    drift_rows = models.PositiveIntegerField(null=True)

    class Meta:
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_dashboardrefresh"
        verbose_name = _("dashboard refresh")
        verbose_name_plural = _("dashboard refreshes")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
