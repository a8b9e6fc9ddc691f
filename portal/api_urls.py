"""Public API routes of the portal app (statistics and outreach land here in later issues)."""

from django.urls import include, path

from portal.dashboards.api import PublicStatsView

urlpatterns: list = [
    # GET /api/v1/outreach/: public upcoming outreach events (issue 10).
    path("", include("education.outreach.api_urls")),
    # GET /api/v1/stats/: public, suppressed complaint statistics (issue 8).
    path("stats/", PublicStatsView.as_view(), name="stats"),
]
