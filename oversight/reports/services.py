"""Writes of office reports. Workflow:

    draft ──(head submits)──> submitted ──(ministry reviews, comment back)──> reviewed
                                                                  ──(ministry closes)──> closed

The head of a BP3MI office creates the month's report (figures pre-filled from the office's own
data), writes the narrative and submits it; from then on the office cannot change it. The ministry
reviews it with a comment back to the office and closes it. Every step goes through
`office_report_transition`, which checks `TRANSITIONS` and writes an OfficeReportEvent.
Heads whose report is late get one reminder per office, month and head (outbox dedupe key).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oversight.reports.choices import ReportActor, ReportStatus
from oversight.reports.models import OfficeReport, OfficeReportEvent
from oversight.reports.selectors import (
    month_previous,
    month_start,
    office_list_headed_by,
    office_report_figures,
    office_report_late_offices,
    report_due_date,
    user_is_report_reviewer,
)
from portal.choices import OfficeKind, Role
from portal.exceptions import ApplicationError
from portal.models import Membership, Office

# The workflow: (from, to) → who may take that step. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (ReportStatus.DRAFT, ReportStatus.SUBMITTED): ReportActor.HEAD,
    (ReportStatus.SUBMITTED, ReportStatus.REVIEWED): ReportActor.MINISTRY,
    (ReportStatus.REVIEWED, ReportStatus.CLOSED): ReportActor.MINISTRY,
}

NARRATIVE_FIELDS = ("achievements", "problems", "requests", "good_practices")
# Longer than any real monthly narrative; stops a pasted document from bloating the table.
NARRATIVE_MAX_CHARS = 10_000

REMINDER_TEMPLATE = "office_report_late"


def _month_label(month: date) -> str:
    return date_format(month, "F Y")


def _is_head(*, user, office: Office) -> bool:
    return Membership.objects.filter(user=user, office=office, role=Role.HEAD).exists()


def _actor_may(*, user, report: OfficeReport, actor: str) -> bool:
    if actor == ReportActor.HEAD:
        return _is_head(user=user, office=report.office)
    return user_is_report_reviewer(user=user)


@transaction.atomic
def office_report_create(*, office: Office, month: date, actor, now: datetime | None = None):
    """Start the month's report of an office with its figures pre-filled.

    A second report for the same office and month is refused with a clear error.
    """
    now = now or timezone.now()
    if office.kind != OfficeKind.BP3MI:
        raise ValidationError({"office": _("Only BP3MI offices send monthly reports.")})
    if not office_list_headed_by(user=actor).filter(pk=office.pk).exists():
        raise ApplicationError(
            _("Only the head of %(office)s can start its report.") % {"office": office.name}
        )
    month = month_start(month)
    current = month_start(timezone.localdate(now))
    if month > current:
        raise ValidationError({"month": _("A report cannot be written for a future month.")})
    existing = OfficeReport.objects.filter(office=office, month=month).first()
    if existing is not None:
        raise ValidationError(
            {
                "month": _(
                    "%(office)s already has a report for %(month)s (status: %(status)s). "
                    "Open that report instead of starting a second one."
                )
                % {
                    "office": office.name,
                    "month": _month_label(month),
                    "status": existing.get_status_display(),
                }
            }
        )
    figures = office_report_figures(office=office, month=month, now=now)
    report = OfficeReport(
        office=office,
        month=month,
        created_by=actor,
        figures_computed_at=now,
        **figures.as_fields(),
    )
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:  # a concurrent request created it between check and insert
        raise ValidationError(
            {"month": _("This office already has a report for this month.")}
        ) from error
    return report


def _locked_report(report: OfficeReport) -> OfficeReport:
    return OfficeReport.objects.select_for_update().select_related("office").get(pk=report.pk)


def _require_draft_by_head(*, report: OfficeReport, actor) -> None:
    if not _is_head(user=actor, office=report.office):
        raise ApplicationError(
            _("Only the head of %(office)s can change its report.") % {"office": report.office.name}
        )
    if report.status != ReportStatus.DRAFT:
        raise ApplicationError(
            _("This report was submitted and can no longer be changed by the office.")
        )


@transaction.atomic
def office_report_refresh_figures(
    *, report: OfficeReport, actor, now: datetime | None = None
) -> OfficeReport:
    """Recompute the pre-filled figures of a draft (e.g. after late complaints were closed)."""
    now = now or timezone.now()
    report = _locked_report(report)
    _require_draft_by_head(report=report, actor=actor)
    figures = office_report_figures(office=report.office, month=report.month, now=now)
    for field, value in figures.as_fields().items():
        setattr(report, field, value)
    report.figures_computed_at = now
    report.save(update_fields=[*figures.as_fields(), "figures_computed_at", "updated_at"])
    return report


@transaction.atomic
def office_report_update_narrative(
    *, report: OfficeReport, actor, **narrative: str
) -> OfficeReport:
    """Save the head's narrative; refused once the report has been submitted."""
    unknown = set(narrative) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown report fields: %(fields)s") % {"fields": sorted(unknown)})
    report = _locked_report(report)
    _require_draft_by_head(report=report, actor=actor)
    errors = {
        field: _("At most %(count)s characters.") % {"count": NARRATIVE_MAX_CHARS}
        for field, value in narrative.items()
        if len(value or "") > NARRATIVE_MAX_CHARS
    }
    if errors:
        raise ValidationError(errors)
    for field, value in narrative.items():
        setattr(report, field, (value or "").strip())
    report.save(update_fields=[*narrative, "updated_at"])
    return report


@transaction.atomic
def office_report_transition(
    *, report: OfficeReport, to_status: str, actor, comment: str = "", now: datetime | None = None
) -> OfficeReport:
    """Move a report along one edge of TRANSITIONS and record the step."""
    now = now or timezone.now()
    report = _locked_report(report)
    to_status = ReportStatus(to_status)
    from_status = ReportStatus(report.status)
    if from_status == to_status == ReportStatus.SUBMITTED:
        raise ApplicationError(
            _("This report was already submitted on %(date)s.")
            % {"date": date_format(timezone.localtime(report.submitted_at), "j F Y H:i")}
        )
    required_actor = TRANSITIONS.get((from_status, to_status))
    if required_actor is None:
        raise ApplicationError(
            _("A report cannot go from “%(from)s” to “%(to)s”.")
            % {"from": from_status.label, "to": to_status.label}
        )
    if not _actor_may(user=actor, report=report, actor=required_actor):
        raise ApplicationError(
            _("Only the %(actor)s can take this step.")
            % {"actor": ReportActor(required_actor).label.lower()}
        )
    comment = (comment or "").strip()
    update_fields = ["status", "updated_at"]
    if to_status == ReportStatus.SUBMITTED:
        if not any(getattr(report, field).strip() for field in NARRATIVE_FIELDS):
            raise ValidationError(
                _("Write at least one part of the narrative before submitting the report.")
            )
        report.submitted_by, report.submitted_at = actor, now
        update_fields += ["submitted_by", "submitted_at"]
    elif to_status == ReportStatus.REVIEWED:
        if not comment:
            raise ValidationError({"comment": _("Write a comment back to the office.")})
        report.reviewed_by, report.reviewed_at, report.ministry_comment = actor, now, comment
        update_fields += ["reviewed_by", "reviewed_at", "ministry_comment"]
    elif to_status == ReportStatus.CLOSED:
        report.closed_at = now
        update_fields.append("closed_at")
    report.status = to_status
    report.save(update_fields=update_fields)
    OfficeReportEvent.objects.create(
        report=report, from_status=from_status, to_status=to_status, actor=actor, comment=comment
    )
    if to_status == ReportStatus.REVIEWED:
        _notify_office_of_review(report=report)
    return report


def _notify_office_of_review(*, report: OfficeReport) -> None:
    """Tell the office its report was reviewed; the comment itself is read on the report page."""
    from complaints.choices import ContactChannel
    from complaints.services.notifications import notification_queue

    if not report.office.notification_email:
        return
    notification_queue(
        channel=ContactChannel.EMAIL,
        recipient=report.office.notification_email,
        template="office_report_reviewed",
        dedupe_key=f"office-report-reviewed:{report.pk}",
        context={"month": f"{report.month:%Y-%m}", "path": report.get_absolute_url()},
        office=report.office,
    )


def office_report_submit(*, report: OfficeReport, actor) -> OfficeReport:
    return office_report_transition(report=report, to_status=ReportStatus.SUBMITTED, actor=actor)


def office_report_review(*, report: OfficeReport, actor, comment: str) -> OfficeReport:
    return office_report_transition(
        report=report, to_status=ReportStatus.REVIEWED, actor=actor, comment=comment
    )


def office_report_close(*, report: OfficeReport, actor) -> OfficeReport:
    return office_report_transition(report=report, to_status=ReportStatus.CLOSED, actor=actor)


@transaction.atomic
def office_report_remind_late(*, now: datetime | None = None) -> int:
    """Queue one reminder per late office, month and head; returns how many were queued now.

    A report is late after REPORT_DUE_DAY of the following month until it is submitted. The outbox
    dedupe key makes a second run (or a redelivered task) queue nothing.
    """
    from complaints.choices import ContactChannel
    from complaints.services.notifications import notification_queue

    now = now or timezone.now()
    today = timezone.localdate(now)
    month = month_previous(month_start(today))
    if today <= report_due_date(month):
        return 0
    queued = 0
    heads = Membership.objects.filter(role=Role.HEAD).select_related("user")
    for office in office_report_late_offices(month=month).order_by("pk"):
        for membership in heads.filter(office=office).order_by("user_id"):
            if not membership.user.email or not membership.user.is_active:
                continue
            row = notification_queue(
                channel=ContactChannel.EMAIL,
                recipient=membership.user.email,
                template=REMINDER_TEMPLATE,
                dedupe_key=f"office-report-late:{office.pk}:{month:%Y-%m}:{membership.user_id}",
                context={
                    "office": office.name,
                    "month": f"{month:%Y-%m}",
                    "due_date": report_due_date(month).isoformat(),
                    "path": reverse("reports:list"),
                },
                office=office,
            )
            queued += row is not None
    return queued
