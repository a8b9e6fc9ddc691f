from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("lapor/", views.complaint_submit_view, name="submit"),
    path("lacak/", views.complaint_track_view, name="track"),
]
