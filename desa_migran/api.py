"""Public API of Desa Migran Emas: `GET /api/v1/villages/` and `/api/v1/villages/{code}/`.

Public fields only: the task force's members, who proposed or confirmed a designation and the
assessments stay in the admin.
"""

from __future__ import annotations

import django_filters
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from desa_migran import selectors
from desa_migran.choices import Pillar
from desa_migran.models import (
    INDICATOR_FIGURES,
    Village,
    VillageActivity,
    VillageIndicator,
    VillagePartner,
    VillagePhoto,
    VillageProgramme,
)


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class VillageListSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="region_id")
    name = serializers.CharField(source="region.name")
    district = serializers.CharField(source="region.parent.name")
    regency = RegionRefSerializer()
    province = RegionRefSerializer()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Village
        fields = (
            "code",
            "name",
            "district",
            "regency",
            "province",
            "status",
            "designated_on",
            "page_url",
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, village: Village) -> str:
        request = self.context.get("request")
        path = village.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = VillageProgramme
        fields = (
            "kind",
            "pillar",
            "name",
            "description",
            "opening_hours",
            "services",
            "reference",
            "started_on",
        )


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = VillagePartner
        fields = ("name", "kind", "contribution")


class IndicatorSerializer(serializers.ModelSerializer):
    workers_by_country = serializers.DictField(child=serializers.IntegerField(min_value=0))

    class Meta:
        model = VillageIndicator
        fields = (
            "year",
            "period",
            *INDICATOR_FIGURES,
        )


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = VillageActivity
        fields = ("held_on", "pillar", "title", "description", "outcome")


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = VillagePhoto
        fields = ("url", "caption", "width", "height")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo: VillagePhoto) -> str:
        request = self.context.get("request")
        path = reverse("desa_migran:photo", args=[photo.pk])
        return request.build_absolute_uri(path) if request else path


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(source="contact_name")
    phone = serializers.CharField(source="contact_phone")
    email = serializers.CharField(source="contact_email")


class VillageDetailSerializer(VillageListSerializer):
    contact = ContactSerializer(source="*")
    programmes = ProgrammeSerializer(many=True)
    partners = PartnerSerializer(many=True)
    indicators = IndicatorSerializer(many=True)
    activities = ActivitySerializer(many=True)
    photos = PhotoSerializer(many=True)

    class Meta(VillageListSerializer.Meta):
        fields = (
            *VillageListSerializer.Meta.fields,
            "profile",
            "population",
            "latitude",
            "longitude",
            "contact",
            "programmes",
            "partners",
            "indicators",
            "activities",
            "photos",
        )


class VillageFilter(django_filters.FilterSet):
    """The directory's filters; the filtering itself is the selector's, shared with the page."""

    province = django_filters.CharFilter(label="Province code, e.g. 35", method="_keep")
    regency = django_filters.CharFilter(label="Regency code, e.g. 35.04", method="_keep")
    status = django_filters.ChoiceFilter(
        choices=[(s, s) for s in selectors.PUBLIC_STATUSES], method="_keep"
    )
    pillar = django_filters.ChoiceFilter(choices=Pillar.choices, method="_keep")
    q = django_filters.CharFilter(label="Search by village or regency name", method="_keep")

    class Meta:
        model = Village
        fields: list[str] = []

    def _keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.village_list_public(
            filters=selectors.DirectoryFilters(
                province=data.get("province") or "",
                regency=data.get("regency") or "",
                status=data.get("status") or "",
                pillar=data.get("pillar") or "",
                query=(data.get("q") or "").strip(),
            )
        )


@extend_schema(tags=["villages"])
class VillageViewSet(viewsets.ReadOnlyModelViewSet):
    """Desa Migran Emas villages (withdrawn ones are not listed)."""

    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}(\.[0-9]{2}){2}\.[0-9]{4}"
    filterset_class = VillageFilter
    serializer_class = VillageListSerializer

    def get_queryset(self):
        return selectors.village_list_public()

    def get_serializer_class(self):
        return VillageDetailSerializer if self.action == "retrieve" else VillageListSerializer

    def get_object(self):
        village = selectors.village_get_public(code=self.kwargs["code"])
        if village is None:
            raise Http404
        return village

    @extend_schema(
        responses={
            200: VillageListSerializer(many=True),
            400: OpenApiResponse(description="Invalid filter value"),
            404: OpenApiResponse(description="Page number out of range"),
        }
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: VillageDetailSerializer,
            404: OpenApiResponse(description="No public village with this code"),
        }
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
