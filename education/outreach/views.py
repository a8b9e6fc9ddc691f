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


@require_GET
def outreach_photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    """A photo for staff whose scope holds its event; anyone else gets a 404."""
    from django.http import FileResponse, Http404

    from education.outreach.selectors import outreach_photo_get_for_staff
    from portal.admin_site import otp_required, session_verified

    if otp_required() and not session_verified(request):
        raise Http404
    photo = outreach_photo_get_for_staff(user=request.user, photo_id=photo_id)
    if photo is None:
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type=_photo_type(photo.image.name))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _photo_type(name: str) -> str:
    return "image/png" if name.lower().endswith(".png") else "image/jpeg"
