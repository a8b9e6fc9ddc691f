"""Reads of outreach events: the staff scope, the public calendar, and the ministry's counts."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from education.models import OutreachEvent
from portal.selectors import office_ids_visible_to


def outreach_event_list_for_staff(*, user) -> QuerySet[OutreachEvent]:
    """Events of the offices the user may see (their offices and the posts below them)."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return OutreachEvent.objects.none()
    queryset = OutreachEvent.objects.select_related("office", "region", "province")
    office_ids = office_ids_visible_to(user=user)
    if office_ids is not None:
        queryset = queryset.filter(office_id__in=office_ids)
    return queryset


def outreach_event_list_upcoming(
    *, province_code: str = "", now: datetime | None = None
) -> QuerySet[OutreachEvent]:
    """Public events that have not ended yet, soonest first; optionally in one province."""
    now = now or timezone.now()
    queryset = (
        OutreachEvent.objects.filter(is_public=True, ends_at__gte=now)
        .select_related("office", "region", "province", "village__region")
        .order_by("starts_at", "pk")
    )
    if province_code:
        queryset = queryset.filter(province_id=province_code)
    return queryset


def outreach_totals_for_offices(*, office_ids: list[int], start, end) -> dict:
    """Events that started in [start, end) and their audience: the figures of an office report."""
    totals = OutreachEvent.objects.filter(
        office_id__in=office_ids, starts_at__gte=start, starts_at__lt=end
    ).aggregate(
        outreach_events=Count("pk"),
        outreach_audience=Coalesce(Sum(F("audience_women") + F("audience_men")), 0),
    )
    return totals


def outreach_counts_by_office_and_month(
    *, user, start: datetime | None = None, end: datetime | None = None
) -> list[dict]:
    """For the ministry dashboard: per office and month (Asia/Jakarta), events and audience.

    Rows: {"office_id", "office_name", "month" (date), "events", "audience", "women", "men"},
    ordered by month then office name; scoped to the user's offices.
    """
    queryset = outreach_event_list_for_staff(user=user)
    if start is not None:
        queryset = queryset.filter(starts_at__gte=start)
    if end is not None:
        queryset = queryset.filter(starts_at__lt=end)
    rows = (
        queryset.annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_default_timezone()))
        .values("office_id", "office__name", "month")
        .annotate(
            events=Count("pk"),
            women=Coalesce(Sum("audience_women"), 0),
            men=Coalesce(Sum("audience_men"), 0),
        )
        .order_by("month", "office__name")
    )
    return [
        {
            "office_id": row["office_id"],
            "office_name": row["office__name"],
            "month": row["month"].date() if hasattr(row["month"], "date") else row["month"],
            "events": row["events"],
            "audience": row["women"] + row["men"],
            "women": row["women"],
            "men": row["men"],
        }
        for row in rows
    ]


def outreach_reach_by_province(
    *, user, start: datetime | None = None, end: datetime | None = None
) -> list[dict]:
    """For the ministry dashboard: provinces reached, with events, audience and distinct
    Desa Migran Emas villages visited. Rows ordered by province code."""
    queryset = outreach_event_list_for_staff(user=user)
    if start is not None:
        queryset = queryset.filter(starts_at__gte=start)
    if end is not None:
        queryset = queryset.filter(starts_at__lt=end)
    rows = (
        queryset.values("province_id", "province__name")
        .annotate(
            events=Count("pk"),
            audience=Coalesce(Sum(F("audience_women") + F("audience_men")), 0),
            villages=Count("village", distinct=True),
        )
        .order_by("province_id")
    )
    return [
        {
            "province_code": row["province_id"],
            "province_name": row["province__name"],
            "events": row["events"],
            "audience": row["audience"],
            "villages": row["villages"],
        }
        for row in rows
    ]


def outreach_photo_get_for_staff(*, user, photo_id: int):
    from education.models import OutreachPhoto

    events = outreach_event_list_for_staff(user=user)
    return OutreachPhoto.objects.filter(pk=photo_id, event__in=events).first()
