from django.urls import path
from django.views.generic import TemplateView

app_name = "complaints"

# Placeholder routes until the intake issue lands its views.
urlpatterns = [
    path("lapor/", TemplateView.as_view(template_name="portal/home.html"), name="submit"),
    path("lacak/", TemplateView.as_view(template_name="portal/home.html"), name="track"),
]
