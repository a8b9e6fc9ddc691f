"""API routes of the complaints app, included under /api/v1/ (portal/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from complaints import lost_key_views
from complaints.api import public, staff
from complaints.inbound import webhooks

# Staff triage API: list, detail by reference, and the triage actions.
staff_router = SimpleRouter()
staff_router.register("staff/complaints", staff.StaffComplaintViewSet, basename="staff-complaint")

urlpatterns = [
    path("complaint-categories/", public.CategoryListApi.as_view(), name="complaint-categories"),
    path("complaints/", public.ComplaintSubmitApi.as_view(), name="complaint-submit"),
    path("complaints/track/", public.ComplaintTrackApi.as_view(), name="complaint-track"),
    path("complaints/messages/", public.ComplaintMessageApi.as_view(), name="complaint-message"),
    path("complaints/lost-key/", lost_key_views.LostKeyApi.as_view(), name="complaint-lost-key"),
    # Inbound channels: signed gateway webhooks.
    path("inbound/generic/", webhooks.GenericInboundApi.as_view(), name="inbound-generic"),
    path(
        "inbound/whatsapp-cloud/",
        webhooks.WhatsAppCloudInboundApi.as_view(),
        name="inbound-whatsapp-cloud",
    ),
]
urlpatterns += staff_router.urls
