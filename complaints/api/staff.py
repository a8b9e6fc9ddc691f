"""Staff API: the triage queue and the triage actions for integrations and scripts.

Scoped by the same selector as the admin (complaints.selectors.complaint_list_for_staff): a
complaint outside the caller's offices answers 404. Writes call complaints.services.triage.
Session callers must have passed the second factor when OTP_REQUIRED is on; token callers hold a
staff API token (portal.api_tokens): issued only to a session past the second factor, it expires,
carries a scope (read-only tokens cannot write) and can be revoked.
"""

from __future__ import annotations

from datetime import UTC

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from complaints.admin_filters import CappedCountPaginator
from complaints.api.public import FIELD_ERRORS, ComplaintSubmitSerializer
from complaints.choices import (
    AccessAction,
    IntakeChannel,
    Referrer,
    SlaStage,
    Status,
)
from complaints.models import Complaint, ComplaintEvent
from complaints.selectors import (
    REPORTER_PERSONAL_FIELDS,
    complaint_assignee_candidates,
    complaint_list_for_staff,
    complaint_past_standard_q,
    complaint_personal_data_visible,
    complaint_standard_state,
    complaint_timeline_for_staff,
)
from complaints.services.audit import access_record_write
from complaints.services.staff_intake import complaint_submit_by_staff
from complaints.services.triage import (
    ASSIGNEE_REFUSED,
    complaint_add_note,
    complaint_assign,
    complaint_change_status,
    complaint_reply,
)
from portal.api_tokens import StaffTokenAuthentication
from portal.exceptions import ApplicationError

# --- permissions, pagination --------------------------------------------------------------------


class IsVerifiedStaff(permissions.BasePermission):
    """Active staff who may view complaints; session callers past the second factor."""

    message = _("Staff sign-in with the second factor is required.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if not user.has_perm("complaints.view_complaint"):
            return False
        by_session = isinstance(request.successful_authenticator, SessionAuthentication)
        verified = getattr(user, "is_verified", lambda: False)()
        return not (by_session and settings.OTP_REQUIRED and not verified)


class StaffQueuePagination(PageNumberPagination):
    """Pages of 50; `count` stops at 10,001 (COUNT_CAP + 1) and means "more than 10,000"."""

    # Counting a million rows per page costs more than the page: count up to a cap instead.
    django_paginator_class = CappedCountPaginator
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


# --- filters ------------------------------------------------------------------------------------


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 with any offset Python accepts (up to ±23:59); PostgreSQL accepts less (±15:59),
    so compare in UTC instead of passing the caller's offset to the database."""

    def filter(self, qs, value):
        if value is not None:
            value = value.astimezone(UTC)
        return super().filter(qs, value)


class StaffComplaintFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    category = django_filters.CharFilter(field_name="category__slug")
    is_urgent = django_filters.BooleanFilter()
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    destination_country = django_filters.CharFilter(lookup_expr="iexact")
    agency = django_filters.NumberFilter(field_name="placement_agency_id")
    assignee = django_filters.CharFilter(
        method="filter_assignee", label=_('assignee: a username, "me" or "none"')
    )
    office = django_filters.CharFilter(field_name="office__code")
    channel = django_filters.MultipleChoiceFilter(choices=IntakeChannel.choices)
    referrer = django_filters.ChoiceFilter(choices=Referrer.choices)
    referrer_reference = django_filters.CharFilter(lookup_expr="iexact")
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Complaint
        fields = [
            "status",
            "category",
            "is_urgent",
            "destination_country",
            "office",
            "channel",
            "referrer",
            "referrer_reference",
        ]

    def filter_overdue(self, queryset, name, value):
        # Past the service standard (targets from receipt), as the admin's "overdue".
        past = complaint_past_standard_q(now=timezone.now())
        return queryset.filter(past) if value else queryset.exclude(past)

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee__username=value)


# --- serializers --------------------------------------------------------------------------------


def _sla(complaint: Complaint, state: dict) -> str:
    from complaints.admin import sla_state

    return sla_state(complaint, state=state)[0]


def _standard(serializer, complaint: Complaint) -> dict:
    """The complaint's standard state, computed once per object and response."""
    cache = serializer.context.setdefault("_standard_state", {})
    if complaint.pk not in cache:
        now = serializer.context.setdefault("_now", timezone.now())
        cache[complaint.pk] = complaint_standard_state(
            complaint=complaint, now=now, working_days=False
        )
    return cache[complaint.pk]


class StaffComplaintListSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Null when unassigned, and declared so (a client generated from the schema must expect it).
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    destination_country = serializers.CharField(source="destination_country.code")
    # Blank when no body referred the complaint, and declared so (a read-only model field loses
    # allow_blank, and the schema would then promise one of the bodies).
    referrer = serializers.ChoiceField(choices=Referrer.choices, allow_blank=True, read_only=True)
    sla = serializers.SerializerMethodField(
        help_text="Against the service standard: overdue (past it), today, on-time, paused or "
        "none (finished)."
    )
    standard_due_at = serializers.SerializerMethodField(
        help_text="The earliest unmet service-standard target (verification, first response "
        "or resolution, counted from receipt); null when none is left or the complaint is "
        "finished. `due_at` is the holding office's own action deadline."
    )
    standard_stage = serializers.SerializerMethodField(
        help_text="The stage of `standard_due_at`: verification, first_response or "
        "resolution; null with it."
    )
    past_standard = serializers.SerializerMethodField(
        help_text="True when an unmet target has passed (or was recorded as missed) and the "
        "complaint is not finished."
    )

    class Meta:
        model = Complaint
        fields = [
            "reference",
            "status",
            "kind",
            "category",
            "priority",
            "is_urgent",
            "destination_country",
            "placement_agency_name",
            "employer_name",
            "office",
            "assignee",
            "escalation_level",
            "due_at",
            "sla",
            "standard_due_at",
            "standard_stage",
            "past_standard",
            "standard_verify_due_at",
            "standard_first_response_due_at",
            "standard_resolve_due_at",
            "verify_breached_at",
            "first_response_breached_at",
            "resolve_breached_at",
            "created_at",
            "channel",
            "referrer",
            "referrer_reference",
        ]
        read_only_fields = fields

    def get_sla(self, obj: Complaint) -> str:
        return _sla(obj, _standard(self, obj))

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_standard_due_at(self, obj: Complaint):
        target = _standard(self, obj)["target"]
        return serializers.DateTimeField().to_representation(target) if target else None

    @extend_schema_field(serializers.ChoiceField(choices=SlaStage.choices, allow_null=True))
    def get_standard_stage(self, obj: Complaint) -> str | None:
        return _standard(self, obj)["stage"]

    def get_past_standard(self, obj: Complaint) -> bool:
        return _standard(self, obj)["past_standard"]


class StaffEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Null for the system."
    )

    class Meta:
        model = ComplaintEvent
        fields = ["kind", "visibility", "actor", "by_reporter", "body", "level", "created_at"]
        read_only_fields = fields


class StaffReporterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = list(REPORTER_PERSONAL_FIELDS)
        read_only_fields = fields


class StaffComplaintDetailSerializer(StaffComplaintListSerializer):
    events = serializers.SerializerMethodField()
    reporter = serializers.SerializerMethodField(
        help_text="Contact and passport number; null when the caller's role may not see them."
    )
    duplicate_of = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )

    class Meta(StaffComplaintListSerializer.Meta):
        fields = [
            *StaffComplaintListSerializer.Meta.fields,
            "description",
            "started_on",
            "filer_relation",
            "destination_city",
            "foreign_agency_name",
            "departure_date",
            "is_procedural",
            "is_anonymous",
            "is_confidential",
            "duplicate_of",
            "verified_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "reporter",
            "events",
        ]
        read_only_fields = fields

    def get_events(self, obj: Complaint) -> list[dict]:
        return StaffEventSerializer(complaint_timeline_for_staff(complaint=obj), many=True).data

    def get_reporter(self, obj: Complaint) -> dict | None:
        if not self.context.get("personal_visible"):
            return None
        return StaffReporterSerializer(obj).data


class AssignInput(serializers.Serializer):
    assignee = serializers.CharField(
        allow_null=True,
        help_text=(
            "Username of an officer or head of the office holding the complaint or of an office "
            "above it (up to the BP3MI); null unassigns."
        ),
    )


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    public_message = serializers.CharField(required=False, allow_blank=True, default="")
    duplicate_of = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Reference, for status duplicate."
    )


class TextInput(serializers.Serializer):
    body = serializers.CharField()


class SafeContactInput(serializers.Serializer):
    safe_contact_from = serializers.TimeField(allow_null=True, help_text="HH:MM local time")
    safe_contact_until = serializers.TimeField(allow_null=True, help_text="HH:MM; may wrap")
    contact_time_zone = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="IANA; empty: the country's"
    )
    discreet = serializers.BooleanField(default=False)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class StaffIntakeSerializer(ComplaintSubmitSerializer):
    """The public submit fields plus how and when the complaint was received."""

    channel = serializers.ChoiceField(choices=IntakeChannel.choices)
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="ISO 8601; default now; never in the future. The SLA clock runs from here.",
    )
    referrer = serializers.ChoiceField(choices=Referrer.choices, required=False, allow_blank=True)
    referrer_reference = serializers.CharField(max_length=80, required=False, allow_blank=True)
    office = serializers.SlugField(
        required=False,
        allow_blank=True,
        help_text="Code of the caller's office that took it; default their first office.",
    )
    inbound_message = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of the draft message this completes."
    )

    INTAKE_FIELDS = (
        "channel",
        "received_at",
        "referrer",
        "referrer_reference",
        "office",
        "inbound_message",
    )

    def to_input(self):
        saved = self._validated_data
        self._validated_data = {
            key: value for key, value in saved.items() if key not in self.INTAKE_FIELDS
        }
        try:
            return super().to_input()
        finally:
            self._validated_data = saved


class StaffReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    access_key = serializers.CharField(help_text="Shown once; the portal keeps only a hash.")
    status = serializers.ChoiceField(choices=Status.choices)
    office = serializers.CharField(help_text="Code of the responsible office after routing.")


_AUTH_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="No credentials (session or token)."),
    403: OpenApiResponse(
        ErrorSerializer, description="Not staff, or a session without the second factor."
    ),
}
_ERRORS = {
    **_AUTH_ERRORS,
    400: FIELD_ERRORS,
    404: OpenApiResponse(ErrorSerializer, description="Not found, or outside your offices."),
    409: OpenApiResponse(ErrorSerializer, description="Not allowed in the complaint's state."),
}


# --- the viewset --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Triage queue of the caller's offices, urgent first then by deadline",
        tags=["staff"],
        responses={
            200: StaffComplaintListSerializer(many=True),
            400: FIELD_ERRORS,
            404: OpenApiResponse(ErrorSerializer, description="A page beyond the last one."),
            **_AUTH_ERRORS,
        },
    ),
    retrieve=extend_schema(
        summary="One complaint by reference (404 outside the caller's offices)",
        tags=["staff"],
        responses={200: StaffComplaintDetailSerializer, 404: _ERRORS[404], **_AUTH_ERRORS},
    ),
)
class StaffComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    authentication_classes = [SessionAuthentication, StaffTokenAuthentication]
    permission_classes = [IsVerifiedStaff]
    pagination_class = StaffQueuePagination
    filterset_class = StaffComplaintFilter
    lookup_field = "reference"
    lookup_value_regex = "[A-Za-z0-9-]{4,20}"

    def get_queryset(self):
        queryset = complaint_list_for_staff(user=self.request.user).select_related(
            "category", "office", "assignee"
        )
        if self.action == "retrieve":
            queryset = queryset.select_related("duplicate_of")
        return queryset.order_by("-is_urgent", "due_at", "-id")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return StaffComplaintDetailSerializer
        return StaffComplaintListSerializer

    @extend_schema(
        summary="Staff intake: record a complaint received at the office, by phone, letter, ...",
        tags=["staff"],
        request=StaffIntakeSerializer,
        responses={
            201: StaffReceiptSerializer,
            200: OpenApiResponse(StaffReceiptSerializer, description="Retry with the same token."),
            400: FIELD_ERRORS,
            409: _ERRORS[409],
            **_AUTH_ERRORS,
        },
    )
    def create(self, request, *args, **kwargs):
        from portal.models import Office

        serializer = StaffIntakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        office = None
        if values.get("office"):
            office = Office.objects.filter(code=values["office"]).first()
            if office is None:
                raise ValidationError({"office": [_("No such office.")]})
        try:
            receipt = complaint_submit_by_staff(
                actor=request.user,
                data=serializer.to_input(),
                channel=values["channel"],
                received_at=values.get("received_at"),
                referrer=values.get("referrer", ""),
                referrer_reference=values.get("referrer_reference", ""),
                office=office,
                inbound_message_id=values.get("inbound_message"),
                submission_token=values.get("submission_token", ""),
            )
        except DjangoValidationError as error:
            raise ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from error
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except ApplicationError as error:
            return Response({"detail": str(error.message)}, status=status.HTTP_409_CONFLICT)
        body = StaffReceiptSerializer(
            {
                "reference": receipt.reference,
                "access_key": receipt.access_key,
                "status": receipt.complaint.status,
                "office": receipt.complaint.office.code,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED if receipt.created else 200)

    def retrieve(self, request, *args, **kwargs):
        complaint = self.get_object()
        personal = complaint_personal_data_visible(user=request.user, complaint=complaint)
        if personal:
            access_record_write(
                user=request.user, complaint=complaint, action=AccessAction.VIEW, detail="api"
            )
        serializer = StaffComplaintDetailSerializer(
            complaint, context={**self.get_serializer_context(), "personal_visible": personal}
        )
        return Response(serializer.data)

    def _run(self, call, complaint: Complaint | None = None) -> Response:
        complaint = complaint or self.get_object()
        try:
            call(complaint)
        except DjangoValidationError as error:
            raise ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from error
        except ApplicationError as error:
            return Response({"detail": str(error.message)}, status=status.HTTP_409_CONFLICT)
        complaint = self.get_queryset().get(pk=complaint.pk)
        return Response(StaffComplaintListSerializer(complaint).data)

    @extend_schema(
        summary="Assign to an officer or head of the holding office or of its BP3MI",
        tags=["staff"],
        request=AssignInput,
        responses={200: StaffComplaintListSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, reference=None):
        complaint = self.get_object()  # outside the caller's offices: 404 before anything else
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["assignee"]
        assignee = None
        if username is not None:
            # Looked up among the candidates only: an unknown username and one that may not take
            # this case get the same answer, so the API does not tell which usernames exist.
            assignee = (
                complaint_assignee_candidates(complaint=complaint, actor=request.user)
                .filter(username=username)
                .first()
            )
            if assignee is None:
                raise ValidationError({"assignee": [ASSIGNEE_REFUSED]})
        return self._run(
            lambda complaint: complaint_assign(
                complaint=complaint, actor=request.user, assignee=assignee
            ),
            complaint,
        )

    @extend_schema(
        summary="Change the status through the allowed transitions",
        tags=["staff"],
        request=StatusInput,
        responses={200: StaffComplaintListSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, reference=None):
        data = StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        original = None
        if values["duplicate_of"]:
            original = (
                complaint_list_for_staff(user=request.user)
                .filter(reference=values["duplicate_of"].strip().upper())
                .first()
            )
            if original is None:
                raise ValidationError({"duplicate_of": [_("Complaint not found.")]})
        return self._run(
            lambda complaint: complaint_change_status(
                complaint=complaint,
                actor=request.user,
                status=values["status"],
                public_message=values["public_message"],
                duplicate_of=original,
            )
        )

    @extend_schema(
        summary="Public reply: shown on the tracking page and sent to the reporter",
        tags=["staff"],
        request=TextInput,
        responses={200: StaffComplaintListSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, reference=None):
        data = TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(
            lambda complaint: complaint_reply(
                complaint=complaint, actor=request.user, body=data.validated_data["body"]
            )
        )

    @extend_schema(
        summary="Set the reporter's safe contact hours, time zone and message detail",
        tags=["staff"],
        request=SafeContactInput,
        responses={200: StaffComplaintListSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="safe-contact")
    def safe_contact(self, request, reference=None):
        from complaints.services.safe_contact import complaint_safe_contact_update

        data = SafeContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self._run(
            lambda complaint: complaint_safe_contact_update(
                complaint=complaint,
                actor=request.user,
                start=values["safe_contact_from"],
                end=values["safe_contact_until"],
                time_zone=values["contact_time_zone"],
                discreet=values["discreet"],
            )
        )

    @extend_schema(
        summary="Internal note (staff only)",
        tags=["staff"],
        request=TextInput,
        responses={200: StaffComplaintListSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def note(self, request, reference=None):
        data = TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(
            lambda complaint: complaint_add_note(
                complaint=complaint, actor=request.user, body=data.validated_data["body"]
            )
        )
