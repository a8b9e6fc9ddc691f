"""Public API of the outreach calendar: GET /api/v1/outreach/ (upcoming public events)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from education.outreach.selectors import outreach_event_list_upcoming
from education.outreach.serializers import OutreachEventPublicSerializer


@extend_schema(
    tags=["outreach"],
    summary="Upcoming public outreach events (sosialisasi)",
    parameters=[
        OpenApiParameter(
            "province",
            OpenApiTypes.STR,
            description="Kemendagri province code, e.g. 35 (Jawa Timur).",
        )
    ],
    responses={
        200: OutreachEventPublicSerializer(many=True),
        404: OpenApiResponse(description="The page number is past the last page."),
    },
)
class OutreachEventListView(generics.ListAPIView):
    serializer_class = OutreachEventPublicSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get_queryset(self):
        province = self.request.query_params.get("province", "")[:2]
        return outreach_event_list_upcoming(province_code=province).prefetch_related("topics")
