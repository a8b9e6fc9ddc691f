"""Reads of office reports: the staff scope, the ministry's month overview and search, and the
figures the portal pre-fills from the office's own data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from oversight.reports.choices import ReportStatus
from oversight.reports.models import OfficeReport
from portal.choices import OfficeKind, Role
from portal.models import Membership, Office
from portal.selectors import office_ids_visible_to, user_has_national_scope
from portal.types import AnyUser

# A month's report is due by this day of the following month: ten days leave time to close the
# month's complaints and gather outreach figures, and match the ministry's monthly cycle.
REPORT_DUE_DAY = 10


# --- months ------------------------------------------------------------------------------------


def month_parse(text: str) -> date | None:
    """ "2026-10" → date(2026, 10, 1); None for anything else."""
    year, sep, month = (text or "").strip().partition("-")
    if not (sep and year.isdigit() and month.isdigit() and len(year) == 4):
        return None
    try:
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_next(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_previous(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[start, end) of the month in the portal's time zone (Asia/Jakarta), as aware datetimes."""
    zone = timezone.get_default_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=zone)
    following = month_next(month)
    end = datetime(following.year, following.month, 1, tzinfo=zone)
    return start, end


def report_due_date(month: date) -> date:
    return month_next(month).replace(day=REPORT_DUE_DAY)


# --- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFigures:
    complaints_received: int
    complaints_resolved: int
    complaints_overdue: int
    sla_compliance_percent: Decimal | None
    escalations: int
    outreach_events: int
    outreach_audience: int
    village_indicators_entered: int | None

    def as_fields(self) -> dict[str, Any]:
        return dict(self.__dict__)


def office_family_ids(*, office: Office) -> list[int]:
    """The office and the posts below it: a BP3MI reports on its P4MI posts' work too."""
    return list(
        Office.objects.filter(
            Q(id=office.pk) | Q(parent_id=office.pk) | Q(parent__parent_id=office.pk)
        ).values_list("id", flat=True)
    )


def _complaint_figures(
    *, office_ids: list[int], start: datetime, end: datetime, now: datetime
) -> dict[str, Any]:
    """Received and resolved in the month, escalations away from the office; open complaints
    past the service standard and the month's compliance from oversight.standard.selectors, the
    same figures the dashboard shows for the office and the month."""
    from complaints.choices import EventKind
    from complaints.models import Complaint, ComplaintEvent
    from oversight.standard.selectors import Window, standard_figures

    complaints = Complaint.objects.filter(office_id__in=office_ids)
    received = complaints.filter(created_at__gte=start, created_at__lt=end).count()
    resolved = complaints.filter(resolved_at__gte=start, resolved_at__lt=end).count()
    # The sweep moves an escalated complaint up to the parent office and records where it came
    # from: an office's escalations are the deadlines it let lapse, wherever the complaint is now.
    escalations = ComplaintEvent.objects.filter(
        kind=EventKind.ESCALATION,
        data__from_office__in=office_ids,
        created_at__gte=start,
        created_at__lt=end,
    ).count()
    standard = standard_figures(
        complaints=complaints, window=Window(start=start, end=end, now=now)
    ).total
    compliance = None
    if standard.compliance is not None:
        compliance = (Decimal(100) * standard.targets_met / standard.targets_due).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return {
        "complaints_received": received,
        "complaints_resolved": resolved,
        "complaints_overdue": standard.past_standard,
        "sla_compliance_percent": compliance,
        "escalations": escalations,
    }


def _outreach_figures(*, office_ids: list[int], start: datetime, end: datetime) -> dict[str, Any]:
    """Outreach events that started in the month, and their audience (all genders)."""
    try:
        apps.get_model("education", "OutreachEvent")
    except LookupError:
        return {"outreach_events": 0, "outreach_audience": 0}
    from education.outreach.selectors import outreach_totals_for_offices

    return outreach_totals_for_offices(office_ids=office_ids, start=start, end=end)


def _village_indicator_figure(*, office: Office, start: datetime, end: datetime) -> int | None:
    """Indicator rows entered or updated this month for villages of the office's provinces.

    None when the Desa Migran Emas app or its indicator model is not installed.
    """
    try:
        indicator_model = apps.get_model("desa_migran", "VillageIndicator")
    except LookupError:
        return None
    codes = Office.objects.filter(Q(id=office.pk) | Q(parent_id=office.pk)).values_list(
        "regions__code", flat=True
    )
    provinces = {code.split(".")[0] for code in codes if code}
    count: int = indicator_model.objects.filter(
        village__province_id__in=provinces, updated_at__gte=start, updated_at__lt=end
    ).count()
    return count


def office_report_figures(
    *, office: Office, month: date, now: datetime | None = None
) -> ReportFigures:
    """The figures of one office's month, each a direct count over the office's own rows."""
    now = now or timezone.now()
    start, end = month_bounds(month)
    office_ids = office_family_ids(office=office)
    return ReportFigures(
        **_complaint_figures(office_ids=office_ids, start=start, end=end, now=now),
        **_outreach_figures(office_ids=office_ids, start=start, end=end),
        village_indicators_entered=_village_indicator_figure(office=office, start=start, end=end),
    )


# --- scope -------------------------------------------------------------------------------------


def user_is_report_reviewer(*, user: AnyUser) -> bool:
    """Ministry analysts (and superusers) review reports; other ministry staff only read them."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=Role.MINISTRY_ANALYST).exists()


def office_list_headed_by(*, user: AnyUser) -> QuerySet[Office]:
    """BP3MI offices where the user is head: the offices they may write reports for."""
    if not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    return Office.objects.filter(
        kind=OfficeKind.BP3MI, memberships__user=user, memberships__role=Role.HEAD
    ).distinct()


def office_report_list_for_staff(*, user: AnyUser) -> QuerySet[OfficeReport]:
    """Reports the user may read.

    Office staff see every report of the offices in their scope, drafts included. The ministry
    sees the other offices' reports only once submitted: a draft is the office's own work.
    """
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return OfficeReport.objects.none()
    queryset = OfficeReport.objects.select_related("office")
    if user.is_superuser:
        return queryset
    if user_has_national_scope(user=user):
        own = Membership.objects.filter(user=user).values("office_id")
        return queryset.filter(~Q(status=ReportStatus.DRAFT) | Q(office_id__in=own))
    office_ids = office_ids_visible_to(user=user) or []
    return queryset.filter(office_id__in=office_ids)


def office_report_get_for_staff(*, user: AnyUser, report_id: int) -> OfficeReport | None:
    return office_report_list_for_staff(user=user).filter(pk=report_id).first()


def office_report_search(
    *,
    user: AnyUser,
    text: str = "",
    office_id: int | None = None,
    status: str = "",
    month_from: date | None = None,
    month_to: date | None = None,
) -> QuerySet[OfficeReport]:
    """Past reports in the user's scope, filtered; `text` searches the narrative and comment."""
    queryset = office_report_list_for_staff(user=user)
    if text:
        words = Q()
        for field in ("achievements", "problems", "requests", "good_practices", "ministry_comment"):
            words |= Q(**{f"{field}__icontains": text})
        queryset = queryset.filter(words)
    if office_id:
        queryset = queryset.filter(office_id=office_id)
    if status:
        queryset = queryset.filter(status=status)
    if month_from:
        queryset = queryset.filter(month__gte=month_from)
    if month_to:
        queryset = queryset.filter(month__lte=month_to)
    return queryset.order_by("-month", "office__name")


def office_report_month_overview(
    *, user: AnyUser, month: date
) -> list[tuple[Office, OfficeReport | None]]:
    """Every BP3MI office in scope beside its report of the month (None: nothing submitted yet)."""
    reports = {
        report.office_id: report
        for report in office_report_list_for_staff(user=user).filter(month=month)
    }
    office_ids = office_ids_visible_to(user=user)
    offices = Office.objects.filter(kind=OfficeKind.BP3MI, is_active=True).order_by("name")
    if office_ids is not None:
        offices = offices.filter(id__in=office_ids)
    return [(office, reports.get(office.pk)) for office in offices]


def office_report_late_offices(*, month: date) -> QuerySet[Office]:
    """Active BP3MI offices with no submitted report for the month (a draft does not count)."""
    done = OfficeReport.objects.filter(month=month).exclude(status=ReportStatus.DRAFT)
    return Office.objects.filter(kind=OfficeKind.BP3MI, is_active=True).exclude(
        id__in=done.values("office_id")
    )


def office_report_totals(*, reports: list[OfficeReport]) -> dict[str, Any]:
    """Sums over a month's reports for the overview's last row."""
    if not reports:
        return {}
    fields = (
        "complaints_received",
        "complaints_resolved",
        "complaints_overdue",
        "escalations",
        "outreach_events",
        "outreach_audience",
    )
    ids = [report.pk for report in reports]
    return OfficeReport.objects.filter(pk__in=ids).aggregate(
        **{field: Sum(field) for field in fields}
    )
