"""A BP3MI office's monthly report to the ministry, and its workflow timeline.

Written only by oversight.reports.services; imported by portal.models so Django registers the models
under the `portal` app label.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.reports.choices import ReportStatus


class OfficeReport(models.Model):
    """One report per BP3MI office per month: figures pre-filled, the narrative by the head.

    `month` is the first day of the month reported on.
    """

    office = models.ForeignKey(
        "portal.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    month = models.DateField(_("month"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )

    # Figures computed by oversight.reports.selectors.office_report_figures over the office and its
    # posts; refreshed on demand while the report is a draft, frozen once submitted.
    complaints_received = models.PositiveIntegerField(_("complaints received"), default=0)
    complaints_resolved = models.PositiveIntegerField(_("complaints resolved"), default=0)
    complaints_overdue = models.PositiveIntegerField(
        _("complaints overdue"),
        default=0,
        help_text=_("Open complaints past their deadline at computation time."),
    )
    sla_compliance_percent = models.DecimalField(
        _("SLA compliance (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Share of this month's resolved complaints never escalated."),
    )
    escalations = models.PositiveIntegerField(_("escalations"), default=0)
    outreach_events = models.PositiveIntegerField(_("outreach events"), default=0)
    outreach_audience = models.PositiveIntegerField(_("outreach audience"), default=0)
    # Null when the Desa Migran Emas app is not installed (the figure is then left out).
    village_indicators_entered = models.PositiveIntegerField(
        _("village indicators entered"), null=True, blank=True
    )
    figures_computed_at = models.DateTimeField(_("figures computed"), null=True, blank=True)

    achievements = models.TextField(_("achievements"), blank=True)
    problems = models.TextField(_("problems met"), blank=True)
    requests = models.TextField(_("requests to the ministry"), blank=True)
    good_practices = models.TextField(_("good practices worth copying"), blank=True)

    ministry_comment = models.TextField(_("ministry's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_officereport"
        verbose_name = _("office report")
        verbose_name_plural = _("office reports")
        ordering = ["-month", "office__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "month"],
                name="office_report_one_per_month",
                violation_error_message=_("This office already has a report for this month."),
            )
        ]
        indexes = [models.Index(fields=["month", "status"], name="office_report_month_status")]

    def __str__(self) -> str:
        return f"{self.office} · {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("Give the month as its first day.")})

    @property
    def is_editable(self) -> bool:
        return self.status == ReportStatus.DRAFT


class OfficeReportEvent(models.Model):
    """One step of a report's workflow: who moved it, from which status to which, with a comment."""

    report = models.ForeignKey(
        OfficeReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        # Moved from the portal app (issue 14); the table keeps its name.
        db_table = "portal_officereportevent"
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"
