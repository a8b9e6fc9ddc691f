from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health

# The countries offered in the home page's "in danger now?" picker: the main destinations, whose
# embassies the help directory is seeded with. A fixed list keeps the home page free of database
# reads until a visitor picks a country (it must open even when the database is struggling).
HELP_COUNTRIES = ("MY", "SA", "TW", "HK", "SG", "KR", "JP", "AE", "QA", "BN")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    from portal.help_contacts.selectors import help_contacts_for_page, help_country_name

    country = request.GET.get("country", "").strip().upper()[:2]
    if country not in HELP_COUNTRIES:
        country = ""
    return render(
        request,
        "portal/home.html",
        {
            "help_country": country,
            "help_countries": [(code, help_country_name(code=code)) for code in HELP_COUNTRIES],
            "help_contacts": help_contacts_for_page(country=country) if country else [],
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """{"status", "database", "broker"} and, with a read replica, "replica": each "ok" or "error";
    loopback and HEALTHZ_TOKEN holders also get "detail" (database vendor, broker transport,
    replica lag, error class), which the public does not need and an attacker would."""
    database = health.database_state()
    broker = health.broker_state()
    replica = health.replica_state()
    # Only the database decides the status: without a broker complaints are still accepted
    # (outbox), so a load balancer must keep sending traffic.
    status = 200 if database["ok"] else 503
    body = {
        "status": "ok" if status == 200 else "error",
        "database": "ok" if database["ok"] else "error",
        "broker": "ok" if broker["ok"] else "error",
    }
    detail = {"database": database, "broker": broker}
    if replica is not None:
        # A replica down costs the dashboards some load on the primary, not the service.
        body["replica"] = "ok" if replica["ok"] else "error"
        detail["replica"] = replica
    if health.detail_allowed(request):
        body["detail"] = detail
    return JsonResponse(body, status=status)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """404 in the caller's terms: JSON for the API (as its schema documents), a page otherwise."""
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without any detail of the failure; never a stack trace."""
    if _wants_json(request):
        return JsonResponse({"detail": _("A server error occurred.")}, status=500)
    return render(request, "500.html", status=500)
