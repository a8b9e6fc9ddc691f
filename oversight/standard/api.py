"""GET /api/v1/oversight/offices/: the first screen's office figures as JSON (design.md §5)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.dashboards.filters import EARLIEST_DATE, LATEST_DAYS_AHEAD, DashboardFilters
from oversight.dashboards.selectors import (
    dashboard_allowed,
    dashboard_complaint_base,
    dashboard_scope,
)
from oversight.standard import selectors as standard
from oversight.standard.snapshot import first_screen_snapshot_get
from portal.choices import OfficeKind
from portal.models import Region


class DashboardStaffWithSecondFactor(permissions.BasePermission):
    """Those who may open the dashboard; session callers past the second factor."""

    message = _("Staff sign-in with the second factor is required.")

    def has_permission(self, request, view) -> bool:
        if not dashboard_allowed(user=request.user):
            return False
        by_session = isinstance(request.successful_authenticator, SessionAuthentication)
        verified = getattr(request.user, "is_verified", lambda: False)()
        return not (by_session and getattr(settings, "OTP_REQUIRED", True) and not verified)


def _figure_fields() -> dict:
    return {
        "office": serializers.CharField(allow_null=True, help_text="Office code (slug)."),
        "name": serializers.CharField(),
        "kind": serializers.ChoiceField(choices=OfficeKind.choices, allow_null=True),
        "parent": serializers.CharField(
            allow_null=True, help_text="The BP3MI a post rolls up into; null otherwise."
        ),
        "open": serializers.IntegerField(),
        "past_standard": serializers.IntegerField(),
        "breached": serializers.IntegerField(),
        "compliance": serializers.FloatField(
            allow_null=True,
            min_value=0,
            max_value=1,
            help_text="Share of the targets due in the period that were met; null: none due.",
        ),
        "median_first_response_days": serializers.FloatField(allow_null=True),
        "median_resolution_days": serializers.FloatField(allow_null=True),
    }


OfficeFigures = inline_serializer(name="OversightOfficeFigures", fields=_figure_fields())
OfficesResponse = inline_serializer(
    name="OversightOffices",
    fields={
        "as_of": serializers.DateTimeField(),
        "offices": serializers.ListField(child=OfficeFigures),
        "total": inline_serializer(name="OversightOfficesTotal", fields=_figure_fields()),
    },
)
ErrorResponse = inline_serializer(
    name="OversightOfficesError",
    fields={
        "from": serializers.ListField(child=serializers.CharField(), required=False),
        "to": serializers.ListField(child=serializers.CharField(), required=False),
        "province": serializers.ListField(child=serializers.CharField(), required=False),
    },
)


def parse_filters(params, *, today: date) -> tuple[DashboardFilters | None, dict]:
    """`from`, `to` (YYYY-MM-DD) and `province` (a province code) → filters, or field errors."""
    default = DashboardFilters.default(today)
    errors: dict[str, list[str]] = {}
    days = {}
    latest = today + timedelta(days=LATEST_DAYS_AHEAD)
    for key in ("from", "to"):
        text = (params.get(key) or "").strip()
        if not text:
            continue
        try:
            day = date.fromisoformat(text)
        except ValueError:
            errors[key] = [_("Enter a date as YYYY-MM-DD.")]
            continue
        if not EARLIEST_DATE <= day <= latest:
            errors[key] = [
                _("Dates must lie between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat()}
            ]
            continue
        days[key] = day
    start = days.get("from", default.date_from)
    end = days.get("to", default.date_to)
    if not errors and start > end:
        errors["from"] = [_("The start date lies after the end date.")]
    province = (params.get("province") or "").strip()
    if province and not Region.objects.filter(level=1, code=province).exists():
        errors["province"] = [_("Unknown province code.")]
    if errors:
        return None, errors
    return DashboardFilters(date_from=start, date_to=end, province=province), {}


def _entry(row: standard.OfficeRow | None, figures: standard.StandardFigures, **names) -> dict:
    return {
        "office": row.code if row else None,
        "name": row.name if row else names.get("name", "total"),
        "kind": row.kind if row else None,
        "parent": row.parent_code if row else None,
        "open": figures.open,
        "past_standard": figures.past_standard,
        "breached": figures.breached,
        "compliance": figures.compliance,
        "median_first_response_days": figures.first_response_median_days,
        "median_resolution_days": figures.resolution_median_days,
    }


def offices_payload(board: standard.OfficeBoard) -> dict:
    """BP3MI rows (posts rolled up) worst first, each followed by its posts, then the
    ministry's own queue; `total` covers every complaint of the view."""
    offices = []
    for row in board.rows:
        offices.append(_entry(row, row.figures))
        offices.extend(
            _entry(part, part.figures) for part in row.posts if part.office_id != row.office_id
        )
    offices.extend(_entry(row, row.figures) for row in board.ministry)
    return {
        "as_of": board.window.now.isoformat(),
        "offices": offices,
        "total": _entry(None, board.total),
    }


class OversightOfficesView(APIView):
    permission_classes = [DashboardStaffWithSecondFactor]

    @extend_schema(
        operation_id="oversight_offices_retrieve",
        summary="Offices against the service standard (the ministry's first screen)",
        description=(
            "Per BP3MI office (its posts rolled up, every BP3MI in scope listed, zeros "
            "included), each followed by its posts, then the ministry's own queue. Scoped like "
            "the dashboard: ministry analysts see every office, heads their office and posts. "
            "Compliance: the share of service-standard targets falling due in the period (up "
            "to now) that were met. Days are working days from receipt."
        ),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day of the period."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day of the period."),
            OpenApiParameter(
                "province", OpenApiTypes.STR, description="Origin province code, e.g. 35."
            ),
        ],
        responses={
            200: OfficesResponse,
            400: OpenApiResponse(ErrorResponse, description="A bad date or province."),
            403: OpenApiResponse(description="Not dashboard staff, or no second factor."),
        },
        tags=["oversight"],
    )
    def get(self, request: Request) -> Response:
        filters, errors = parse_filters(request.query_params, today=timezone.localdate())
        if errors:
            return Response(errors, status=400)
        scope = dashboard_scope(user=request.user)
        # The default view reads its scope's snapshot (figures as of `as_of`), others are live.
        snapshot = first_screen_snapshot_get(scope=scope, filters=filters)
        if snapshot is not None:
            return Response(offices_payload(snapshot.board))
        window = standard.window_for_days(
            date_from=filters.date_from, date_to=filters.date_to, now=timezone.now()
        )
        board = standard.standard_office_board(
            complaints=dashboard_complaint_base(scope=scope, filters=filters),
            office_ids=scope.office_ids,
            window=window,
        )
        return Response(offices_payload(board))
