"""Models of the oversight app; they live in dashboards/ and reports/ and are imported here so
Django registers them. Their tables keep the `portal_…` names they had before the move."""

from oversight.dashboards.models import (
    ChannelDurationSnapshot,
    ComplaintChange,
    ComplaintDuration,
    ComplaintFilterMarginal,
    ComplaintMarginal,
    ComplaintSummaryFact,
    DashboardRefresh,
    OfficeDurationSnapshot,
    WorkingDay,
)
from oversight.reports.models import OfficeReport, OfficeReportEvent

__all__ = [
    "ChannelDurationSnapshot",
    "ComplaintChange",
    "ComplaintDuration",
    "ComplaintFilterMarginal",
    "ComplaintMarginal",
    "ComplaintSummaryFact",
    "DashboardRefresh",
    "OfficeDurationSnapshot",
    "OfficeReport",
    "OfficeReportEvent",
    "WorkingDay",
]
