"""API routes of the oversight app, included under /api/v1/ (portal/urls.py)."""

from django.urls import path

from oversight.dashboards.api import PublicStatsView
from oversight.standard.api import OversightOfficesView

urlpatterns: list = [
    # GET /api/v1/stats/: public, suppressed complaint statistics (issue 8).
    path("stats/", PublicStatsView.as_view(), name="stats"),
    # GET /api/v1/oversight/offices/: the first screen's office figures (issue 14).
    path("oversight/offices/", OversightOfficesView.as_view(), name="oversight_offices"),
]
