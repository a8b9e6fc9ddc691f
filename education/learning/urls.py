from django.urls import path

from education.learning import views

app_name = "staff_learning"

urlpatterns = [
    path("", views.staff_guide_list, name="list"),
    path("kemajuan/", views.staff_guide_progress, name="progress"),
    path("<slug:slug>/", views.staff_guide_detail, name="detail"),
    path("<slug:slug>/dipelajari/", views.staff_guide_mark, name="mark"),
]
