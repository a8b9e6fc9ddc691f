from django.urls import path, re_path

from desa_migran import views

app_name = "desa_migran"

urlpatterns = [
    path("", views.village_directory, name="index"),
    path("statistik/", views.programme_totals, name="totals"),
    path("praktik-baik/", views.practice_library, name="practices"),
    path("foto/<int:pk>/", views.village_photo, name="photo"),
    # Only the shape of a Kemendagri village code reaches the database.
    re_path(
        r"^desa/(?P<code>[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4})/$",
        views.village_detail,
        name="village",
    ),
]
