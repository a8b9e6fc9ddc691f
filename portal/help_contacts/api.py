"""GET /api/v1/help-contacts/?country=MY: public, no authentication."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from portal.help_contacts.models import HelpContact
from portal.help_contacts.selectors import help_contact_list


class HelpContactSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", allow_blank=True)
    last_checked = serializers.DateField(
        allow_null=True, help_text="Null: the figures still have to be checked (see note)."
    )

    class Meta:
        model = HelpContact
        fields = [
            "name",
            "kind",
            "phone",
            "whatsapp",
            "address",
            "hours",
            "last_checked",
            "note",
            "country",
        ]


@extend_schema(
    tags=["help"],
    summary="KBRI/KJRI and hotline contacts for a destination country",
    parameters=[
        OpenApiParameter(
            "country", str, description="ISO 3166-1 alpha-2; without it, every contact."
        )
    ],
)
class HelpContactListApi(ListAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = HelpContactSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return help_contact_list(country=self.request.query_params.get("country", ""))
