from django.urls import path

from education.outreach import views

app_name = "outreach"

urlpatterns = [path("", views.outreach_calendar, name="calendar")]
