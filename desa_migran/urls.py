from django.urls import path

from desa_migran import views

app_name = "desa_migran"

urlpatterns = [
    path("", views.village_directory, name="index"),
    path("statistik/", views.programme_totals, name="totals"),
    path("praktik-baik/", views.practice_library, name="practices"),
    path("foto/<int:pk>/", views.village_photo, name="photo"),
    path("desa/<str:code>/", views.village_detail, name="village"),
]
