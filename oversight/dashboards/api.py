"""GET /api/v1/stats/: the public statistics as JSON (the same payload as /statistik/data.json)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.dashboards import stats
from oversight.dashboards.stats_views import parse_year

_cell = serializers.JSONField(help_text='A count, or "<5" when suppressed.')

StatsSerializer = inline_serializer(
    name="PublicStatistics",
    fields={
        "year": serializers.IntegerField(),
        "data_as_of": serializers.DateTimeField(allow_null=True),
        "licence": serializers.CharField(),
        "attribution": serializers.CharField(),
        "suppression": inline_serializer(
            name="SuppressionRule",
            fields={
                "minimum_cell": serializers.IntegerField(),
                "marker": serializers.CharField(),
                "rule": serializers.CharField(),
            },
        ),
        "tables": serializers.ListField(
            child=serializers.DictField(),
            help_text=(
                "categories, countries, provinces: {slug, title, row_header, columns (months "
                "YYYY-MM), rows [{key, label, values, total}], column_totals, grand_total}; "
                "offices: {rows [{office, complaints, share_*, median_hours_*}]}; standard (per "
                "BP3MI): {rows [{office, targets_due, breached, compliance, "
                "median_working_days_to_first_response, median_working_days_to_resolution}]}; "
                "villages: "
                "{rows [{status, label, villages}], target, designated}."
            ),
        ),
    },
)


class PublicStatsView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="stats_retrieve",
        summary="Public complaint statistics (suppressed, CC BY 4.0)",
        parameters=[
            OpenApiParameter(
                "year", OpenApiTypes.INT, description="Calendar year; default the current year."
            )
        ],
        responses={
            200: StatsSerializer,
            400: OpenApiResponse(description="Year outside 2017 to the current year."),
        },
        tags=["statistics"],
    )
    def get(self, request: Request) -> Response:
        year, error = parse_year(request.query_params.get("year"))
        if error:
            return Response({"year": [error]}, status=400)
        return Response(stats.stats_public(year=year))
