"""GET /api/v1/regions/villages/?q=…: the complaint form's village search box (by name).

Public, cached per query (the Kemendagri list changes once a year at most), throttled per
address. The answer carries each village's district, regency and province so that the 17
villages called "Babadan" can be told apart.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.selectors import VILLAGE_SEARCH_MIN_CHARS, region_village_search

# A day: regions are reloaded by `load_regions` only when the Kepmendagri list changes; the
# key carries the query's hash, so a reload is visible by tomorrow at the latest.
CACHE_SECONDS = 24 * 3600
QUERY_MAX = 80


class VillageSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Kemendagri code, e.g. 35.07.20.2007")
    name = serializers.CharField()
    district = serializers.CharField()
    district_code = serializers.CharField()
    regency = serializers.CharField()
    regency_code = serializers.CharField()
    province = serializers.CharField()
    province_code = serializers.CharField()
    label = serializers.CharField(help_text="Village, district, regency")


def village_search_cached(*, query: str) -> list[dict]:
    text = " ".join((query or "").split())[:QUERY_MAX].casefold()
    if len(text) < VILLAGE_SEARCH_MIN_CHARS:
        return []
    key = "regions:villages:v1:" + hashlib.sha256(text.encode()).hexdigest()[:32]
    results = cache.get(key)
    if results is None:
        results = region_village_search(query=text)
        cache.set(key, results, CACHE_SECONDS)
    return results


class VillageSearchApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "region_search"

    @extend_schema(
        operation_id="regions_villages_search",
        summary="Find a village (desa/kelurahan) by name",
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description="At least 3 letters of the village name, e.g. babadan",
            )
        ],
        responses={
            200: inline_serializer(
                name="VillageSearch",
                fields={"results": VillageSerializer(many=True)},
            )
        },
    )
    def get(self, request: Request) -> Response:
        results = village_search_cached(query=request.query_params.get("q", ""))
        response = Response({"results": results})
        response["Cache-Control"] = "public, max-age=3600"
        return response
