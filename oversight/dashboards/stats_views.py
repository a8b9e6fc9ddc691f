"""Public statistics page and its open-data downloads (CSV per table, JSON)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from oversight.dashboards import stats as public_stats
from oversight.dashboards.tables import csv_cell


def parse_year(raw: str | None) -> tuple[int, str | None]:
    """(year, error message or None): a bad year gives the current year and a message."""
    default = public_stats.stats_year_default()
    if raw in (None, ""):
        return default, None
    if raw.isdigit() and int(raw) in public_stats.stats_years():
        return int(raw), None
    return default, _("Choose a year between %(first)s and %(last)s.") % {
        "first": public_stats.EARLIEST_YEAR,
        "last": default,
    }


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    year, error = parse_year(request.GET.get("year"))
    if error:
        messages.error(request, error)
    payload = public_stats.stats_public(year=year)
    return render(
        request,
        "oversight/stats_index.html",
        {
            "payload": payload,
            # The payload carries ISO 8601 for machines; people read a formatted date.
            "data_as_of": parse_datetime(payload["data_as_of"] or ""),
            "year": year,
            "years": public_stats.stats_years(),
            "cross_tables": [t for t in payload["tables"] if "columns" in t],
            "offices": public_stats.stats_table(payload, "offices"),
            "villages": public_stats.stats_table(payload, "villages"),
            "standard": public_stats.stats_table(payload, "standard"),
        },
    )


@require_GET
def stats_csv(request: HttpRequest, table: str) -> HttpResponse:
    year, error = parse_year(request.GET.get("year"))
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    payload = public_stats.stats_public(year=year)
    found = public_stats.stats_table(payload, table)
    if found is None:
        raise Http404
    header, rows = public_stats.stats_csv_rows(found)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistik-{table}-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value, "text") for value in row])
    writer.writerow([])
    writer.writerow([f"# {public_stats.LICENCE}; {public_stats.ATTRIBUTION}"])
    return response


@require_GET
def stats_json(request: HttpRequest) -> HttpResponse:
    year, error = parse_year(request.GET.get("year"))
    if error:
        return JsonResponse({"year": [error]}, status=400)
    return JsonResponse(
        public_stats.stats_public(year=year), json_dumps_params={"ensure_ascii": False}
    )
