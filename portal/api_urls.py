"""Public API routes of the portal app."""

from django.urls import include, path

from portal.api import VillageSearchApi
from portal.help_contacts.api import HelpContactListApi

urlpatterns: list = [
    # GET /api/v1/outreach/: public upcoming outreach events.
    path("", include("education.outreach.api_urls")),
    # GET /api/v1/regions/villages/?q=babadan: the complaint form's village search.
    path("regions/villages/", VillageSearchApi.as_view(), name="region-village-search"),
    # GET /api/v1/help-contacts/?country=MY: KBRI/KJRI and hotlines.
    path("help-contacts/", HelpContactListApi.as_view(), name="help-contacts"),
]
