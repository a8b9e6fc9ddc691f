"""Tables behind the dashboards: a pre-aggregated summary of complaints (with its marginals, open
work and per-complaint durations) and a working-day calendar.

All are rebuilt by `oversight.dashboards.services.dashboard_summary_refresh` (Celery task
`portal.refresh_dashboard_summary`); nothing else writes them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintDailySummary(models.Model):
    """Complaints counted per day of receipt, office, category, kind, destination, origin
    province, status and intake channel, with the SLA outcomes of each stage. The dashboards read
    this instead of scanning millions of complaints (design.md §7)."""

    day = models.DateField(_("day received"))
    office = models.ForeignKey(
        "portal.Office", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # Indexed together with the day below (a category filter reads its rows only).
    category = models.ForeignKey(
        "complaints.Category",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    kind = models.CharField(max_length=20)
    destination_country = models.CharField(max_length=2)
    province_code = models.CharField(max_length=2)
    status = models.CharField(max_length=20)
    placement_agency_id = models.BigIntegerField(null=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # How the complaint reached the portal (complaints.choices.IntakeChannel).
    channel = models.CharField(max_length=20, default="web")
    complaints = models.PositiveIntegerField(default=0)
    urgent = models.PositiveIntegerField(default=0)
    # Open and past its deadline when the summary was rebuilt.
    overdue = models.PositiveIntegerField(default=0)
    # Each SLA stage: met in time, or late (done late, or still not done after the deadline).
    # Complaints whose deadline has not passed yet are in neither column.
    verify_on_time = models.PositiveIntegerField(default=0)
    verify_late = models.PositiveIntegerField(default=0)
    response_on_time = models.PositiveIntegerField(default=0)
    response_late = models.PositiveIntegerField(default=0)
    resolve_on_time = models.PositiveIntegerField(default=0)
    resolve_late = models.PositiveIntegerField(default=0)

    class Meta:
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_complaintdailysummary"
        verbose_name = _("daily complaint summary")
        verbose_name_plural = _("daily complaint summaries")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["day", "office"], name="summary_day_office"),
            models.Index(fields=["office", "day"], name="summary_office_day"),
            # Views filtered by province, country or category read the full summary (the
            # marginals have one dimension only): these let such a filter read its own rows
            # instead of every row of the date range.
            models.Index(fields=["province_code", "day"], name="summary_province_day"),
            models.Index(fields=["destination_country", "day"], name="summary_country_day"),
            models.Index(fields=["category", "day"], name="summary_category_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} {self.category_id}: {self.complaints}"


class ComplaintDailyMarginal(models.Model):
    """The summary added up per day and ONE dimension (category, kind, status, province, country,
    office, placement agency, channel; and escalation level, counting open complaints only).
    The national view without dimension filters reads these few thousand rows a year instead of
    the full summary, whose rows multiply across all dimensions."""

    day = models.DateField(_("day received"))
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
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_complaintdailymarginal"
        verbose_name = _("daily complaint marginal")
        verbose_name_plural = _("daily complaint marginals")
        default_permissions = ()
        indexes = [
            models.Index(fields=["dimension", "day"], name="marginal_dimension_day"),
            models.Index(fields=["dimension", "office_id", "day"], name="marginal_dim_office_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.complaints}"


class ComplaintDailyFilterMarginal(models.Model):
    """The national summary added up per day, ONE filter value (a province, a destination country,
    a category or an intake channel) and ONE breakdown dimension. A national view filtered by one
    of those reads these rows (about sixty a day) instead of the full summary's rows of that
    filter, which can be a third of all complaints: such a filter stays well within 500 ms."""

    day = models.DateField(_("day received"))
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
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_complaintdailyfiltermarginal"
        verbose_name = _("daily complaint filter marginal")
        verbose_name_plural = _("daily complaint filter marginals")
        default_permissions = ()
        indexes = [
            models.Index(
                fields=["filter_dimension", "filter_value", "day"], name="filter_marginal_value_day"
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.filter_dimension}={self.filter_value}"
        return f"{self.day} {where} {self.dimension}={self.value}: {self.complaints}"


class OpenWorkSummary(models.Model):
    """Open complaints (whenever received) per office, category, destination, origin province and
    escalation level: a few thousand rows. Open work by level ignores the date range, so a view
    filtered by province, category or country would otherwise add up every day of the full
    summary that matches the filter."""

    office_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    destination_country = models.CharField(max_length=2)
    province_code = models.CharField(max_length=2)
    escalation_level = models.PositiveSmallIntegerField()
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    urgent = models.PositiveIntegerField(default=0)

    class Meta:
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_openworksummary"
        verbose_name = _("open work summary")
        verbose_name_plural = _("open work summaries")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.office_id} level {self.escalation_level}: {self.open}"


class ComplaintDuration(models.Model):
    """Hours from receipt to first response and to resolution, one row per complaint that has
    either, with the columns the dashboard filters on. Percentiles cannot be added up, so views
    outside the snapshot's window (filtered by province, country or category, or another date
    range) sort these values; reading this narrow, indexed copy instead of the complaints table
    keeps a filtered view within its 500 ms budget (design.md §7)."""

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
        return f"{self.office_id} {self.date_from}..{self.date_to}"


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
    """One row: when the summary was last rebuilt (shown on every dashboard as its freshness)."""

    refreshed_at = models.DateTimeField(_("refreshed at"))
    as_of_date = models.DateField(_("SLA deadlines evaluated on"))
    summary_rows = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_dashboardrefresh"
        verbose_name = _("dashboard refresh")
        verbose_name_plural = _("dashboard refreshes")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
