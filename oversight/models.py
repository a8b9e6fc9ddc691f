"""Models of the oversight app; they live in dashboards/ and reports/ and are imported here so
Django registers them. Their tables keep the `portal_…` names they had before the move."""

from oversight.dashboards.models import (
    ChannelDurationSnapshot,
    ComplaintDailyFilterMarginal,
    ComplaintDailyMarginal,
    ComplaintDailySummary,
    ComplaintDuration,
    DashboardRefresh,
    OfficeDurationSnapshot,
    OpenWorkSummary,
    WorkingDay,
)
from oversight.reports.models import OfficeReport, OfficeReportEvent

__all__ = [
    "ChannelDurationSnapshot",
    "ComplaintDailyFilterMarginal",
    "ComplaintDailyMarginal",
    "ComplaintDailySummary",
    "ComplaintDuration",
    "DashboardRefresh",
    "OfficeDurationSnapshot",
    "OfficeReport",
    "OfficeReportEvent",
    "OpenWorkSummary",
    "WorkingDay",
]
