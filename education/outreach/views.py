"""The public calendar of upcoming outreach events, by province."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from education.outreach.selectors import outreach_event_list_upcoming
from portal.selectors import region_list_provinces

PAGE_SIZE = 20


@require_GET
def outreach_calendar(request: HttpRequest) -> HttpResponse:
    provinces = list(region_list_provinces())
    codes = {province.code for province in provinces}
    province = request.GET.get("provinsi", "")
    province = province if province in codes else ""
    events = outreach_event_list_upcoming(province_code=province)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "education/outreach_calendar.html",
        {
            "page": page,
            "provinces": provinces,
            "province": province,
            "query": f"provinsi={province}" if province else "",
        },
    )
