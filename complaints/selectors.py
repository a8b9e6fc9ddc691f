"""Reads of complaints. Staff visibility lives here: every staff read goes through
`complaint_list_for_staff`, so admin, API, exports, downloads and dashboards share one scope."""

from __future__ import annotations

from django.db.models import QuerySet

from complaints.models import Attachment, Complaint, ComplaintEvent, Notification
from portal.selectors import office_ids_visible_to


def complaint_list_for_staff(*, user) -> QuerySet[Complaint]:
    """Complaints of the offices the user may see (their offices and the posts below them)."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return Complaint.objects.none()
    office_ids = office_ids_visible_to(user)
    queryset = Complaint.objects.all()
    if office_ids is not None:
        queryset = queryset.filter(office_id__in=office_ids)
    return queryset


def complaint_get_for_staff(*, user, reference: str) -> Complaint | None:
    return complaint_list_for_staff(user=user).filter(reference=reference).first()


def complaint_event_list_for_staff(*, user) -> QuerySet[ComplaintEvent]:
    return ComplaintEvent.objects.filter(complaint__in=complaint_list_for_staff(user=user))


def attachment_list_for_staff(*, user) -> QuerySet[Attachment]:
    return Attachment.objects.filter(complaint__in=complaint_list_for_staff(user=user))


def notification_list_for_staff(*, user) -> QuerySet[Notification]:
    """Outbox rows about complaints in scope, or addressed to an office in scope."""
    from django.db.models import Q

    office_ids = office_ids_visible_to(user)
    if not user.is_authenticated or not user.is_staff:
        return Notification.objects.none()
    if office_ids is None:
        return Notification.objects.all()
    return Notification.objects.filter(
        Q(complaint__office_id__in=office_ids) | Q(office_id__in=office_ids)
    )
