"""Public pages of Desa Migran Emas: directory, village page, totals, best-practice library.

Plain GET pages that work without JavaScript; every read comes from desa_migran.selectors.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from desa_migran import selectors
from desa_migran.choices import Pillar
from desa_migran.forms import DirectoryFilterForm, PracticeFilterForm
from desa_migran.models import VillagePhoto

# Twenty cards fit a phone screen's scrolling comfortably and keep the page small.
PAGE_SIZE = 20


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def village_directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if request.GET else selectors.DirectoryFilters()
    villages = selectors.village_list_public(filters=filters)
    page = Paginator(villages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "desa_migran/village_directory.html",
        {
            "form": form,
            "page": page,
            "totals": selectors.programme_totals(),
            "query": _query_without_page(request),
        },
    )


@require_GET
def village_detail(request: HttpRequest, code: str) -> HttpResponse:
    village = selectors.village_get_public(code=code)
    if village is None:
        raise Http404
    programmes_by_pillar = [
        (pillar, [p for p in village.programmes.all() if p.pillar == pillar]) for pillar in Pillar
    ]
    indicators = list(village.indicators.all())
    latest = indicators[0] if indicators else None
    countries = (
        sorted((latest.workers_by_country or {}).items(), key=lambda item: (-item[1], item[0]))
        if latest
        else []
    )
    return render(
        request,
        "desa_migran/village_detail.html",
        {
            "village": village,
            "programmes_by_pillar": programmes_by_pillar,
            "indicators": indicators,
            "latest": latest,
            "countries": countries,
            "activities": list(village.activities.all())[:10],
        },
    )


@require_GET
def programme_totals(request: HttpRequest) -> HttpResponse:
    return render(
        request, "desa_migran/programme_totals.html", {"totals": selectors.programme_totals()}
    )


@require_GET
def practice_library(request: HttpRequest) -> HttpResponse:
    form = PracticeFilterForm(request.GET or None)
    values = form.values() if request.GET else {}
    activities = selectors.activity_list_public(**values)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "desa_migran/activity_library.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@require_GET
def village_photo(request: HttpRequest, pk: int) -> FileResponse:
    """Photos live in private storage; only those of public villages are served."""
    photo = get_object_or_404(
        VillagePhoto.objects.select_related("village"),
        pk=pk,
        village__status__in=selectors.PUBLIC_STATUSES,
    )
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = "inline"
    return response
