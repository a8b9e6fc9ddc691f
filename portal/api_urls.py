"""Public API routes of the portal app."""

from django.urls import include, path

urlpatterns: list = [
    # GET /api/v1/outreach/: public upcoming outreach events (issue 10).
    path("", include("education.outreach.api_urls")),
]
