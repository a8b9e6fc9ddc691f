from django.urls import path

from education.outreach.api import OutreachEventListView

urlpatterns = [path("outreach/", OutreachEventListView.as_view(), name="outreach-list")]
