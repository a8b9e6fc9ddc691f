"""Reads of complaints. Staff visibility lives here: every staff read goes through
`complaint_list_for_staff`, so admin, API, exports, downloads and dashboards share one scope."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from complaints.choices import Visibility
from complaints.models import Attachment, Complaint, ComplaintEvent, Notification
from complaints.references import (
    access_key_check,
    access_key_hash,
    access_key_needs_rehash,
    reference_normalise,
)
from complaints.services import sla
from complaints.services.status import ESCALATION_STATUSES
from portal.choices import Role
from portal.selectors import office_ids_visible_to
from portal.types import AnyUser, StaffUser

if TYPE_CHECKING:
    from complaints.models import AccessRecord, InboundAttachment, InboundMessage, ReplyTemplate
    from portal.models import Office


def complaint_list_for_staff(*, user: AnyUser) -> QuerySet[Complaint]:
    """Complaints of the offices the user may see (their offices and the posts below them)."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return Complaint.objects.none()
    office_ids = office_ids_visible_to(user=user)
    queryset = Complaint.objects.all()
    if office_ids is not None:
        # A complaint taken at one office and routed to another stays in the taking office's
        # queue (staff intake); the partial index complaint_intake_office serves it.
        queryset = queryset.filter(Q(office_id__in=office_ids) | Q(intake_office_id__in=office_ids))
    return queryset


# --- the reporter (reference and access key, no account) ---------------------------------


def complaint_get_for_reporter(*, reference: str, access_key: str) -> Complaint | None:
    """The complaint if reference and key match, else None. An unknown reference costs the same
    hash check as a wrong key, so neither answer nor timing tells them apart. A hash of an older
    kind (PBKDF2, a previous pepper) is replaced by a current one once the key has matched."""
    normalised = reference_normalise(reference)
    complaint = None
    if normalised:
        complaint = (
            Complaint.objects.select_related("category", "office")
            .filter(reference=normalised)
            .first()
        )
    encoded = complaint.access_key_hash if complaint is not None else None
    if not access_key_check(access_key, encoded) or complaint is None or encoded is None:
        return None
    if access_key_needs_rehash(encoded):
        # Guarded on the old value: two look-ups at once write the same new hash once.
        complaint.access_key_hash = access_key_hash(access_key)
        Complaint.objects.filter(pk=complaint.pk, access_key_hash=encoded).update(
            access_key_hash=complaint.access_key_hash
        )
    return complaint


def complaint_event_list_for_reporter(*, complaint: Complaint) -> list[ComplaintEvent]:
    """The public timeline, oldest first: public events, and internal ones (escalations) that
    carry a public wording. Views show `public_body` of internal events, never their `body`."""
    return list(
        complaint.events.filter(Q(visibility=Visibility.PUBLIC) | ~Q(public_body=""))
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def complaint_escalation_due_q(*, now: datetime) -> Q:
    """Complaints the escalation sweep moves up: open, past their office deadline, and with the
    clock running. A paused clock (waiting for the reporter) stops the deadline, so such a
    complaint is neither escalated nor counted as the sweep's backlog."""
    return Q(status__in=ESCALATION_STATUSES, due_at__lte=now, paused_at__isnull=True)


def complaint_overdue_count(*, now: datetime | None = None) -> int:
    """How many complaints the next escalation sweep has to move (its backlog)."""
    return Complaint.objects.filter(complaint_escalation_due_q(now=now or timezone.now())).count()


def complaint_event_list_for_staff(*, user: AnyUser) -> QuerySet[ComplaintEvent]:
    return ComplaintEvent.objects.filter(complaint__in=complaint_list_for_staff(user=user))


def attachment_list_for_staff(*, user: AnyUser) -> QuerySet[Attachment]:
    return Attachment.objects.filter(complaint__in=complaint_list_for_staff(user=user))


def notification_list_for_staff(*, user: AnyUser) -> QuerySet[Notification]:
    """Outbox rows about complaints in scope, or addressed to an office in scope."""
    office_ids = office_ids_visible_to(user=user)
    if not user.is_authenticated or not user.is_staff:
        return Notification.objects.none()
    if office_ids is None:
        return Notification.objects.all()
    return Notification.objects.filter(
        Q(complaint__office_id__in=office_ids) | Q(office_id__in=office_ids)
    )


# --- triage (admin, staff API, exports) --------------------------------------------------------

# Roles that handle complaints day to day: they see a confidential reporter's contact when the
# complaint is with their own office (not merely below it).
_HANDLING_ROLES = (Role.OFFICER, Role.HEAD)


def complaint_assignee_candidates(*, complaint: Complaint, actor: StaffUser) -> QuerySet[StaffUser]:
    """Who may be given this complaint: active staff officers and heads of the office holding it
    and of the offices above it up to the BP3MI (a post's case can be taken by its BP3MI).

    The ministry's own staff are candidates only when the actor works at national level (or the
    ministry itself holds the case): a BP3MI does not hand its work to the ministry this way, it
    escalates. Every candidate's scope covers the complaint, since scope runs downwards.
    """
    from django.contrib.auth import get_user_model

    from portal.choices import OfficeKind
    from portal.selectors import user_has_national_scope

    office_ids: list[int] = []
    office: Office | None = complaint.office
    # The ladder is at most three deep (post → BP3MI → ministry).
    while office is not None:
        above = bool(office_ids)
        if above and office.kind == OfficeKind.MINISTRY and not user_has_national_scope(user=actor):
            break
        office_ids.append(office.pk)
        office = office.parent
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            is_staff=True,
            memberships__office_id__in=office_ids,
            memberships__role__in=_HANDLING_ROLES,
        )
        .distinct()
        .order_by("username")
    )


def complaint_case_for_staff(*, user: AnyUser) -> QuerySet[Complaint]:
    """The case page: every relation the facts show, loaded in the same query."""
    return complaint_list_for_staff(user=user).select_related(
        "category",
        "office",
        "assignee",
        "placement_agency",
        "foreign_agency",
        "employer",
        "origin_region",
        "duplicate_of",
        "taken_by",
        "intake_office",
    )


def complaint_timeline_for_staff(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """Every event of a complaint already read through the staff scope, oldest first."""
    return complaint.events.select_related("actor").order_by("created_at", "id")


def personal_data_office_ids(*, user: AnyUser) -> set[int] | None:
    """Offices whose confidential reporters this user may see; None when they may see none."""
    if not user.is_authenticated or not user.has_perm("complaints.view_personal_data"):
        return None
    from portal.models import Membership

    return set(
        Membership.objects.filter(user_id=user.pk, role__in=_HANDLING_ROLES).values_list(
            "office_id", flat=True
        )
    )


# The reporter's personal data: shown (admin, staff API) only where
# `complaint_personal_data_visible` allows it.
REPORTER_PERSONAL_FIELDS: tuple[str, ...] = (
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "reporter_whatsapp",
    "preferred_channel",
    "safe_contact_time",
    "safe_contact_from",
    "safe_contact_until",
    "contact_time_zone",
    "passport_number",
)


def complaint_personal_data_visible(
    *, user: AnyUser, complaint: Complaint, office_ids: set[int] | bool | None = False
) -> bool:
    """May this staff user see the reporter's contact and passport number?

    Only roles with `view_personal_data`; for confidential complaints only the assignee and the
    officers and heads of the responsible office. Pass `office_ids` (from
    `personal_data_office_ids`) when checking many complaints, to keep it to one query.
    """
    if office_ids is False or office_ids is True:
        office_ids = personal_data_office_ids(user=user)
    if office_ids is None or complaint.anonymised_at:
        return False
    if not complaint.is_confidential or user.is_superuser:
        return True
    return complaint.assignee_id == user.pk or complaint.office_id in office_ids


def access_record_list_for_staff(*, user: AnyUser) -> QuerySet[AccessRecord]:
    """Access records about complaints in scope; records without a complaint are national."""
    from complaints.models import AccessRecord

    if not user.is_authenticated or not user.is_staff:
        return AccessRecord.objects.none()
    office_ids = office_ids_visible_to(user=user)
    queryset = AccessRecord.objects.select_related("user", "complaint")
    if office_ids is None:
        return queryset
    return queryset.filter(complaint__office_id__in=office_ids)


def reply_template_list_for_complaint(*, complaint: Complaint) -> QuerySet[ReplyTemplate]:
    """Saved replies for the complaint's category, then the general ones."""

    from complaints.models import ReplyTemplate

    return ReplyTemplate.objects.filter(
        Q(category_id=complaint.category_id) | Q(category__isnull=True)
    ).order_by("category_id", "title")


def complaint_past_standard_count(*, now: datetime) -> int:
    """Unfinished complaints past the service standard (the metric
    `portal_complaints_past_standard`), by the same rule as every page."""
    return Complaint.objects.filter(complaint_past_standard_q(now=now)).count()


def notification_outbox_state(*, now: datetime) -> dict[str, Any]:
    """Pending and failed outbox rows and the age in seconds of the oldest pending one (0 when
    none): what an operator watches to see delivery stuck."""
    from django.db.models import Count, Min, Q

    from complaints.choices import NotificationStatus

    pending = Q(status=NotificationStatus.PENDING)
    figures = Notification.objects.aggregate(
        pending=Count("id", filter=pending),
        failed=Count("id", filter=Q(status=NotificationStatus.FAILED)),
        oldest=Min("created_at", filter=pending),
    )
    oldest = figures["oldest"]
    return {
        "pending": figures["pending"],
        "failed": figures["failed"],
        "oldest_pending_seconds": max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
    }


# --- the service standard (targets and breaches from complaints.services.sla) -----------------


def complaint_past_standard_q(*, now: datetime) -> Q:
    """Unfinished complaints (open or waiting for the reporter) with a service-standard target
    passed and its milestone not reached: a recorded breach, or a target passed while the clock
    runs (the sweep records it within a minute; this does not wait for it). Waiting for the
    reporter freezes an unmissed target. Use on any complaint queryset (scope it first)."""
    past = Q()
    for stage in sla.STANDARD_STAGES:
        unmet = Q(**{f"{name}__isnull": True for name in stage.milestones})
        passed = Q(**{f"{stage.breach}__isnull": False}) | Q(
            status__in=sla.STANDARD_RUNNING_STATUSES,
            paused_at__isnull=True,
            **{f"{stage.target}__lte": now},
        )
        past |= unmet & passed
    return Q(status__in=sla.STANDARD_UNFINISHED_STATUSES) & past


def complaint_q_as_sql(*, q: Q, alias: str) -> tuple[str, list[Any]]:
    """A complaint condition as SQL over `alias` (e.g. the `c` of a summary's raw SQL), so raw
    aggregates reuse the selectors' rule instead of writing it again."""
    from django.db import connection

    query = Complaint.objects.filter(q).query
    compiler = query.get_compiler(connection=connection)
    sql, params = query.where.as_sql(compiler, connection)
    table = connection.ops.quote_name(Complaint._meta.db_table)
    return sql.replace(f"{table}.", f"{alias}."), list(params)


def complaint_standard_due_q(*, start: datetime, end: datetime) -> Q:
    """Running complaints with an unmet, unmissed target in [start, end) (e.g. "due today")."""
    due = Q()
    for stage in sla.STANDARD_STAGES:
        due |= Q(
            **{f"{name}__isnull": True for name in stage.milestones},
            **{f"{stage.breach}__isnull": True},
            **{f"{stage.target}__gte": start, f"{stage.target}__lt": end},
        )
    return Q(status__in=sla.STANDARD_RUNNING_STATUSES, paused_at__isnull=True) & due


def complaint_breached_between_q(*, start: datetime, end: datetime) -> Q:
    """Complaints with a service-standard breach (any stage) recorded in [start, end), whatever
    their status now. A breach's instant is the missed target itself."""
    breached = Q()
    for stage in sla.STANDARD_STAGES:
        breached |= Q(**{f"{stage.breach}__gte": start, f"{stage.breach}__lt": end})
    return breached


def complaint_standard_state(
    *, complaint: Complaint, now: datetime, working_days: bool = True
) -> dict[str, Any]:
    """Where one complaint stands against the standard (stage, target, past_standard,
    working_days_left / working_days_over, paused, breaches): see
    `complaints.services.sla.complaint_standard_state`. Reads the complaint's category."""
    return sla.complaint_standard_state(complaint=complaint, now=now, working_days=working_days)


# --- inbound channels ----------------------------------------------------------------------------


def inbound_draft_list_for_staff(*, user: AnyUser) -> QuerySet[InboundMessage]:
    """Messages that opened no case yet (unknown sender or no reference), oldest first. They are
    the ministry's intake queue: officers and heads of any office complete them through staff
    intake, so they need the personal-data permission (the sender's number is personal data)."""
    from complaints.choices import InboundStatus
    from complaints.models import InboundMessage
    from portal.models import Membership

    if not (user.is_authenticated and user.is_active and user.is_staff):
        return InboundMessage.objects.none()
    may_take = Membership.objects.filter(user_id=user.pk, role__in=_HANDLING_ROLES).exists()
    if not (may_take and user.has_perm("complaints.view_personal_data")):
        return InboundMessage.objects.none()
    return InboundMessage.objects.filter(status=InboundStatus.DRAFT).order_by("received_at", "id")


def inbound_draft_files_for_staff(*, user: AnyUser, message_id: int) -> QuerySet[InboundAttachment]:
    """The files that came with one draft (kept, or refused with the reason), for the staff
    member who may record it."""
    from complaints.models import InboundAttachment

    return InboundAttachment.objects.filter(
        message_id=message_id, message__in=inbound_draft_list_for_staff(user=user)
    ).order_by("pk")


def inbound_message_list_for_staff(*, user: AnyUser) -> QuerySet[InboundMessage]:
    """Inbound messages a staff user may read: those of complaints in scope, and the drafts when
    they may record them."""
    from complaints.models import InboundMessage

    if not (user.is_authenticated and user.is_active and user.is_staff):
        return InboundMessage.objects.none()
    in_scope = InboundMessage.objects.filter(complaint__in=complaint_list_for_staff(user=user))
    drafts = inbound_draft_list_for_staff(user=user)
    return InboundMessage.objects.filter(
        Q(pk__in=in_scope.values("pk")) | Q(pk__in=drafts.values("pk"))
    )


def complaint_intake_allowed(*, user: AnyUser) -> bool:
    """May this user record complaints through staff intake (an officer or head somewhere)?"""
    from portal.models import Membership

    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and Membership.objects.filter(user=user, role__in=_HANDLING_ROLES).exists()
    )


def complaint_monthly_counts_by_channel(
    *, year: int, until: datetime, using: str = "default"
) -> dict[tuple[str, str], int]:
    """Complaints per (channel, "YYYY-MM") received in `year` and recorded by `until`, months
    in the portal's time zone (as every public figure). For the public statistics, which
    suppress small cells themselves: `until` is the time of the summary the other public tables
    come from, so every table counts the same complaints and none can be set against another to
    reveal the newest ones. Reads the (channel, created_at) index."""
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime(year, 1, 1, tzinfo=zone)
    end = min(datetime(year + 1, 1, 1, tzinfo=zone), until)
    rows = (
        Complaint.objects.using(using)
        .filter(created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("channel", "month")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {(row["channel"], row["month"].strftime("%Y-%m")): row["count"] for row in rows}
