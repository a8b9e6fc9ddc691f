from django.urls import path

from oversight.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("baru/", views.report_create, name="create"),
    path("bulan/<str:month>/", views.report_month, name="month"),
    path("<int:report_id>/", views.report_detail, name="detail"),
    path("<int:report_id>/narasi/", views.report_update, name="update"),
    path("<int:report_id>/angka/", views.report_refresh, name="refresh"),
    path("<int:report_id>/tinjau/", views.report_review, name="review"),
    path("<int:report_id>/tutup/", views.report_close, name="close"),
]
