"""Public complaints API: categories, submit, track, reporter messages.

Thin: serializers parse types, the intake service validates and writes. No authentication (a
logged-in staff browser must not change how these behave), no cookies needed, throttled on the
shared cache. Reference and key travel in POST bodies only. Errors come in the language of the
request (Accept-Language).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import throttling
from complaints.choices import ContactChannel, EventKind, FilerRelation, Status
from complaints.models import Category
from complaints.references import reference_normalise
from complaints.selectors import complaint_event_list_for_reporter, complaint_get_for_reporter
from complaints.services.intake import (
    DESCRIPTION_MAX,
    MESSAGE_MAX,
    ComplaintInput,
    complaint_reporter_message,
    complaint_submit,
)
from complaints.way_ahead import complaint_way_ahead
from portal.exceptions import ApplicationError

TAG = "complaints (public)"


def _language() -> str:
    return (get_language() or "id")[:2]


# --- serializers ------------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="Name in the request's language.")

    class Meta:
        model = Category
        fields = ["slug", "name", "name_id", "name_en", "kind", "is_urgent"]


class ComplaintSubmitSerializer(serializers.Serializer):
    category = serializers.CharField(max_length=60, help_text="Category slug.")
    description = serializers.CharField(max_length=DESCRIPTION_MAX, trim_whitespace=False)
    origin_region = serializers.CharField(
        max_length=13, help_text="Kemendagri code of the regency or city (e.g. 35.04)."
    )
    origin_village = serializers.CharField(
        max_length=13, required=False, allow_blank=True, help_text="Kemendagri village code."
    )
    destination_country = serializers.CharField(
        max_length=2, min_length=2, help_text="ISO 3166-1 alpha-2 code (e.g. MY)."
    )
    consent = serializers.BooleanField(help_text="Must be true: consent under UU 27/2022.")
    is_anonymous = serializers.BooleanField(default=False)
    is_confidential = serializers.BooleanField(default=False)
    in_danger = serializers.BooleanField(default=False, help_text="True makes it urgent.")
    filer_relation = serializers.ChoiceField(
        choices=FilerRelation.choices, default=FilerRelation.SELF
    )
    started_on = serializers.DateField(required=False, allow_null=True)
    destination_city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    placement_agency_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    foreign_agency_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    departure_date = serializers.DateField(required=False, allow_null=True)
    is_procedural = serializers.BooleanField(required=False, allow_null=True, default=None)
    passport_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    whatsapp = serializers.CharField(max_length=32, required=False, allow_blank=True)
    preferred_channel = serializers.ChoiceField(
        choices=ContactChannel.choices, required=False, allow_blank=True
    )
    safe_contact_time = serializers.CharField(max_length=120, required=False, allow_blank=True)
    safe_contact_from = serializers.TimeField(
        required=False, allow_null=True, help_text="Start of the safe hours (HH:MM, local time)."
    )
    safe_contact_until = serializers.TimeField(
        required=False, allow_null=True, help_text="End of the safe hours; may be past midnight."
    )
    contact_time_zone = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="IANA time zone; empty: the destination country's.",
    )
    discreet = serializers.BooleanField(
        default=False, help_text='Messages say only "Portal PMI: ada pembaruan, kode PMI-…".'
    )
    submission_token = serializers.RegexField(
        r"^[A-Za-z0-9_-]{32,128}$",
        required=False,
        help_text=(
            "Idempotency token: a random value of 32-128 URL-safe characters made by the client "
            "for this one submission. Sending it again with the same fields within an hour "
            "returns the same receipt (200); with other fields it is a new submission; after an "
            "hour it is refused (400). Tokens of the web form are not accepted here."
        ),
    )

    def to_input(self) -> ComplaintInput:
        data = dict(self.validated_data)
        data.pop("submission_token", None)
        return ComplaintInput(**data, language=_language())


class ReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    access_key = serializers.CharField(help_text="Shown once; the portal keeps only a hash.")
    status = serializers.ChoiceField(choices=Status.choices)


class CredentialsSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=32)
    access_key = serializers.CharField(max_length=64)


class MessageSerializer(CredentialsSerializer):
    body = serializers.CharField(max_length=MESSAGE_MAX, trim_whitespace=False)


class PublicEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    text = serializers.CharField()
    by_reporter = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class WayAheadSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text="The current status, in the request's language.")
    next_step = serializers.CharField()
    can_do = serializers.CharField(help_text="What the worker can do now.")
    due_at = serializers.DateTimeField(
        allow_null=True, help_text="Service-standard date of the next step (null when paused)."
    )
    due_local = serializers.CharField(
        allow_null=True,
        help_text="The same moment in the worker's time zone (ISO 8601 with offset).",
    )
    due_wib = serializers.CharField(
        allow_null=True, help_text="The same moment in WIB (ISO 8601, +07:00)."
    )
    time_zone = serializers.CharField(help_text="IANA zone of the destination country.")


class TrackResultSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField()
    category = serializers.CharField()
    office = serializers.CharField()
    is_urgent = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    way_ahead = WayAheadSerializer()
    events = PublicEventSerializer(many=True)


ErrorSerializer = inline_serializer("ApiError", {"detail": serializers.CharField()})
# Keyed by the field's name ("non_field_errors" or "detail" for the whole request).
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
}
FIELD_ERRORS = OpenApiResponse(
    response=FIELD_ERRORS_SCHEMA,
    description="Field errors, keyed by field name, in the request's language.",
)
NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer,
    description="Unknown reference or wrong key: the same answer for both.",
)
THROTTLED = OpenApiResponse(
    response=ErrorSerializer, description="Too many attempts; see the Retry-After header."
)


def _public_events(complaint) -> list[dict]:
    events = []
    for event in complaint_event_list_for_reporter(complaint=complaint):
        text = event.public_body or (event.body if event.visibility == "public" else "")
        events.append(
            {
                "kind": event.kind,
                "text": text,
                "by_reporter": event.by_reporter,
                "created_at": event.created_at,
            }
        )
    return events


def _way_ahead(complaint) -> dict:
    way = complaint_way_ahead(complaint=complaint, now=timezone.now())
    return {
        "stage": way.stage,
        "next_step": way.next_step,
        "can_do": way.can_do,
        "due_at": way.due_at,
        "due_local": way.due_local.isoformat() if way.due_local else None,
        "due_wib": way.due_wib.isoformat() if way.due_wib else None,
        "time_zone": way.time_zone,
    }


def _track_result(complaint) -> dict:
    return {
        "reference": complaint.reference,
        "status": complaint.status,
        "status_display": complaint.get_status_display(),
        "category": complaint.category.name,
        "office": complaint.office.name,
        "is_urgent": complaint.is_urgent,
        "created_at": complaint.created_at,
        "way_ahead": _way_ahead(complaint),
        "events": _public_events(complaint),
    }


def _to_api_error(error: DjangoValidationError) -> ApiValidationError:
    if hasattr(error, "error_dict"):
        return ApiValidationError(error.message_dict)
    return ApiValidationError({"non_field_errors": error.messages})


def _authenticate(request, credentials: CredentialsSerializer):
    """The complaint for reference + key, or 404; 429 when this client sent too many wrong keys
    (never because of others' wrong keys for this reference). Either failure answers the same."""
    reference = reference_normalise(credentials.validated_data["reference"])
    wait = throttling.tracking_wait_seconds(request)
    if wait:
        raise Throttled(wait=wait)
    complaint = complaint_get_for_reporter(
        reference=reference, access_key=credentials.validated_data["access_key"]
    )
    if complaint is None:
        throttling.tracking_failure(request, reference)
        raise NotFound(_("No report with this reference and key."))
    return complaint


# --- views ------------------------------------------------------------------------------------


class PublicAPIView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


@extend_schema(tags=[TAG], summary="Complaint categories")
class CategoryListApi(ListAPIView):
    public_reference_data = True  # the same for everyone: caches may keep it (portal/middleware)
    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = CategorySerializer
    pagination_class = None
    filter_backends: list = []
    queryset = Category.objects.filter(is_active=True).order_by("sort_order", "slug")


class ComplaintSubmitApi(PublicAPIView):
    throttle_classes = [throttling.ComplaintSubmitThrottle]

    @extend_schema(
        tags=[TAG],
        summary="Submit a complaint",
        request=ComplaintSubmitSerializer,
        responses={
            201: ReceiptSerializer,
            200: OpenApiResponse(ReceiptSerializer, description="A retry with the same token."),
            400: FIELD_ERRORS,
            429: THROTTLED,
        },
        examples=[
            OpenApiExample(
                "Unpaid wages in Malaysia",
                request_only=True,
                value={
                    "category": "gaji-tidak-dibayar",
                    "description": "Gaji saya tidak dibayar selama tiga bulan.",
                    "origin_region": "35.04",
                    "destination_country": "MY",
                    "is_anonymous": False,
                    "consent": True,
                    "reporter_name": "Siti",
                    "phone": "081234567890",
                    "email": "",
                },
            )
        ],
    )
    def post(self, request):
        serializer = ComplaintSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            receipt = complaint_submit(
                data=serializer.to_input(),
                submission_token=serializer.validated_data.get("submission_token", ""),
            )
        except DjangoValidationError as error:
            raise _to_api_error(error) from error
        except ApplicationError as error:
            raise ApiValidationError({"non_field_errors": [error.message]}) from error
        body = ReceiptSerializer(
            {
                "reference": receipt.reference,
                "access_key": receipt.access_key,
                "status": receipt.complaint.status,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED if receipt.created else 200)


class ComplaintTrackApi(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Track a complaint with its reference and key",
        request=CredentialsSerializer,
        responses={200: TrackResultSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND, 429: THROTTLED},
    )
    def post(self, request):
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        complaint = _authenticate(request, credentials)
        return Response(TrackResultSerializer(_track_result(complaint)).data)


class ComplaintMessageApi(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Add a message from the reporter",
        request=MessageSerializer,
        responses={
            201: PublicEventSerializer,
            400: FIELD_ERRORS,
            404: NOT_FOUND,
            429: THROTTLED,
        },
    )
    def post(self, request):
        message = MessageSerializer(data=request.data)
        message.is_valid(raise_exception=True)
        complaint = _authenticate(request, message)
        try:
            event = complaint_reporter_message(
                complaint=complaint, body=message.validated_data["body"]
            )
        except DjangoValidationError as error:
            raise _to_api_error(error) from error
        body = PublicEventSerializer(
            {
                "kind": event.kind,
                "text": event.body,
                "by_reporter": True,
                "created_at": event.created_at,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED)
