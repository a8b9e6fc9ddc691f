from django.urls import path

from complaints import lost_key_views, views

app_name = "complaints"

urlpatterns = [
    path("lapor/", views.complaint_submit_view, name="submit"),
    path("lacak/", views.complaint_track_view, name="track"),
    path("lupa-kunci/", lost_key_views.complaint_lost_key_view, name="lost_key"),
]
