from django.urls import path

from education.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.outreach_calendar, name="calendar"),
    path("foto/<int:photo_id>/", views.outreach_photo, name="photo"),
]
