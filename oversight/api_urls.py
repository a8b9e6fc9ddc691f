"""API routes of the oversight app, included under /api/v1/ (portal/urls.py)."""

from django.urls import path

from oversight.dashboards.api import PublicStatsView

urlpatterns: list = [
    # GET /api/v1/stats/: public, suppressed complaint statistics (issue 8).
    path("stats/", PublicStatsView.as_view(), name="stats"),
]
