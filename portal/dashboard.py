"""Ministry and office dashboards (issue 8 fills this module)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.selectors import office_list_visible_to


def dashboard_view(request: HttpRequest) -> HttpResponse:
    offices = office_list_visible_to(request.user).order_by("kind", "name")
    return render(request, "portal/dashboard.html", {"offices": offices})
