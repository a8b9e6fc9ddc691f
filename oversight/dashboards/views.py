"""Dashboard pages: thin views over oversight.dashboards.selectors and tables."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from complaints.choices import Status
from complaints.models import Category
from oversight.dashboards import selectors, tables
from oversight.dashboards.filters import DashboardFilterForm, DashboardFilters
from oversight.dashboards.watchlist import party_filter
from portal.models import Region
from portal.selectors import office_list_visible_to

DRILLDOWN_LIMIT = 100


def _scope_or_403(request: HttpRequest) -> selectors.DashboardScope:
    if not selectors.dashboard_allowed(user=request.user):
        raise PermissionDenied
    return selectors.dashboard_scope(user=request.user)


def filter_form(request: HttpRequest) -> tuple[DashboardFilterForm, DashboardFilters]:
    """The filters from the query string; any bad value: its message and the default view."""
    today = timezone.localdate()
    known = {"date_from", "date_to", "province", "office", "category", "country", "channel"}
    data = {key: request.GET[key] for key in known if request.GET.get(key, "").strip()}
    default = DashboardFilters.default(today)
    form = DashboardFilterForm(
        data or None,
        initial={"date_from": default.date_from, "date_to": default.date_to},
        offices=office_list_visible_to(user=request.user).order_by("kind", "name"),
        provinces=Region.objects.filter(level=1).order_by("name"),
        categories=Category.objects.order_by("sort_order", "slug"),
        today=today,
    )
    if not data:
        return form, DashboardFilters.default(today)
    if form.is_valid():
        return form, form.filters()
    for message in form.error_messages_list():
        messages.error(request, message)
    messages.info(request, _default_view_message())
    return _unbound_copy(form, today), DashboardFilters.default(today)


def _default_view_message() -> str:
    from django.utils.translation import gettext as _

    return _("The filters were reset: showing the default view (the last twelve months).")


def _unbound_copy(form: DashboardFilterForm, today) -> DashboardFilterForm:
    default = DashboardFilters.default(today)
    return DashboardFilterForm(
        initial={"date_from": default.date_from, "date_to": default.date_to},
        offices=form.fields["office"].queryset,
        provinces=form.fields["province"].queryset,
        categories=form.fields["category"].queryset,
        today=today,
    )


def _drilldown_builder(filters: DashboardFilters, name: str = "oversight:dashboard_complaints"):
    base = reverse(name)

    def build(extra: dict) -> str:
        return f"{base}?{urlencode({**filters.as_query(), **extra})}"

    return build


@staff_member_required
@never_cache
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope_or_403(request)
    form, filters = filter_form(request)
    ctx = tables.Context(
        scope=scope,
        filters=filters,
        labels=tables.Labels.load(),
        url_for_drilldown=_drilldown_builder(filters),
        url_for_drilldown_dashboard=_drilldown_builder(filters, "oversight:dashboard"),
    )
    built = tables.build_tables(ctx, tables.table_slugs(scope))
    query = urlencode(filters.as_query())
    return render(
        request,
        "oversight/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "query": query,
            "tables": {table.slug: table for table in built},
            "totals": ctx.breakdown().totals,
            "freshness": selectors.dashboard_freshness(),
            # The first screen's snapshot (default view), or None when its figures are live.
            "snapshot": ctx.cache.get("snapshot"),
            "is_national": scope.is_national,
            "first_screen": tables.first_screen.FIRST_SCREEN,
            "analysis_starts": tables.ANALYSIS_STARTS,
        },
    )


@staff_member_required
@never_cache
@require_GET
def dashboard_csv(request: HttpRequest, table: str) -> HttpResponse:
    scope = _scope_or_403(request)
    if table not in tables.table_slugs(scope):
        raise Http404
    _form, filters = filter_form(request)
    ctx = tables.Context(scope=scope, filters=filters, labels=tables.Labels.load())
    (built,) = tables.build_tables(ctx, [table])
    filename = f"dashboard-{table}-{filters.date_from}-{filters.date_to}.csv"
    return tables.csv_response(built, filename)


@staff_member_required
@never_cache
@require_GET
def dashboard_complaints(request: HttpRequest) -> HttpResponse:
    """Drill-down: the complaints behind a figure, from the caller's scope only."""
    from django.utils.translation import gettext as _

    scope = _scope_or_403(request)
    form, filters = filter_form(request)
    complaints = selectors.dashboard_complaint_list(scope=scope, filters=filters)
    status = request.GET.get("status", "")
    if status:
        if status in Status.values:
            complaints = complaints.filter(status=status)
        else:
            messages.error(request, _("Unknown status."))
    agency = request.GET.get("agency", "")
    if agency:
        if agency.isdigit():
            complaints = complaints.filter(party_filter(agency_id=int(agency)))
        else:
            messages.error(request, _("Unknown agency."))
    party = request.GET.get("party", "").strip()[:200]
    if party:
        complaints = complaints.filter(party_filter(written_name=party))
    rows = list(
        complaints.select_related("category", "office")
        .only(
            "reference",
            "status",
            "created_at",
            "due_at",
            "escalation_level",
            "category__name_id",
            "category__name_en",
            "office__name",
        )
        .order_by("-created_at")[:DRILLDOWN_LIMIT]
    )
    return render(
        request,
        "oversight/dashboard_complaints.html",
        {"form": form, "filters": filters, "complaints": rows, "limit": DRILLDOWN_LIMIT},
    )


@staff_member_required
@never_cache
@require_GET
def watchlist(request: HttpRequest) -> HttpResponse:
    scope = _scope_or_403(request)
    form, filters = filter_form(request)
    ctx = tables.Context(
        scope=scope,
        filters=filters,
        labels=tables.Labels.load(),
        url_for_drilldown=_drilldown_builder(filters),
    )
    return render(
        request,
        "oversight/dashboard_watchlist.html",
        {
            "form": form,
            "filters": filters,
            "query": urlencode(filters.as_query()),
            "tables": tables.watchlist_tables(ctx),
        },
    )


@staff_member_required
@never_cache
@require_GET
def watchlist_csv(request: HttpRequest, table: str) -> HttpResponse:
    scope = _scope_or_403(request)
    if table not in tables.WATCHLIST_TABLES:
        raise Http404
    _form, filters = filter_form(request)
    ctx = tables.Context(scope=scope, filters=filters, labels=tables.Labels.load())
    (built,) = tables.watchlist_tables(ctx, only=table)
    return tables.csv_response(
        built, f"watchlist-{table}-{filters.date_from}-{filters.date_to}.csv"
    )
