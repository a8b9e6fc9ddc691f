"""Staff pages of office reports: thin, each POST calls one service; out of scope is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from oversight.reports import selectors, services
from oversight.reports.forms import (
    ReportCreateForm,
    ReportNarrativeForm,
    ReportReviewForm,
    ReportSearchForm,
)
from oversight.reports.models import OfficeReport
from portal.access import staff_page
from portal.choices import OfficeKind
from portal.exceptions import ApplicationError
from portal.selectors import office_list_visible_to

PAGE_SIZE = 25


def _report_or_404(request: HttpRequest, report_id: int) -> OfficeReport:
    report = selectors.office_report_get_for_staff(user=request.user, report_id=report_id)
    if report is None:
        raise Http404
    return report


def _error_text(error: ValidationError | ApplicationError) -> str:
    if isinstance(error, ApplicationError):
        return error.message
    return " ".join(error.messages)


@staff_page
@never_cache
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    offices = (
        office_list_visible_to(user=request.user).filter(kind=OfficeKind.BP3MI).order_by("name")
    )
    search = ReportSearchForm(request.GET or None, offices=offices)
    reports = selectors.office_report_list_for_staff(user=request.user).order_by(
        "-month", "office__name"
    )
    if search.is_valid():
        data = search.cleaned_data
        reports = selectors.office_report_search(
            user=request.user,
            text=data["q"],
            office_id=data["office"].pk if data["office"] else None,
            status=data["status"],
            month_from=data["month_from"],
            month_to=data["month_to"],
        )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    headed = selectors.office_list_headed_by(user=request.user)
    query = urlencode([(key, value) for key, value in request.GET.items() if key != "page"])
    last_month = selectors.month_previous(selectors.month_start(timezone.localdate()))
    return render(
        request,
        "oversight/report_list.html",
        {
            "page": page,
            "search": search,
            "query": query,
            "create_form": ReportCreateForm(
                offices=headed, initial={"month": f"{last_month:%Y-%m}"}
            )
            if headed.exists()
            else None,
            "last_month": last_month,
        },
    )


@staff_page
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    headed = selectors.office_list_headed_by(user=request.user)
    form = ReportCreateForm(request.POST, offices=headed)
    if form.is_valid():
        try:
            report = services.office_report_create(
                office=form.cleaned_data["office"],
                month=form.cleaned_data["month"],
                actor=request.user,
            )
        except (ValidationError, ApplicationError) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The report was started with this month's figures."))
            return redirect(report)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("reports:list")


@staff_page
@never_cache
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(request, report_id)
    is_head = (
        selectors.office_list_headed_by(user=request.user).filter(pk=report.office_id).exists()
    )
    is_reviewer = selectors.user_is_report_reviewer(user=request.user)
    return render(
        request,
        "oversight/report_detail.html",
        _detail_context(request, report, is_head=is_head, is_reviewer=is_reviewer),
    )


def _detail_context(request, report, *, is_head: bool, is_reviewer: bool, **forms) -> dict:
    can_edit = is_head and report.is_editable
    return {
        "report": report,
        "events": report.events.select_related("actor"),
        "due_date": selectors.report_due_date(report.month),
        "can_edit": can_edit,
        "narrative_form": forms.get("narrative_form")
        or (
            ReportNarrativeForm(
                initial={field: getattr(report, field) for field in services.NARRATIVE_FIELDS}
            )
            if can_edit
            else None
        ),
        "can_review": is_reviewer and report.status == "submitted",
        "review_form": forms.get("review_form") or ReportReviewForm(),
        "can_close": is_reviewer and report.status == "reviewed",
    }


@staff_page
@require_POST
def report_update(request: HttpRequest, report_id: int) -> HttpResponse:
    """Save the narrative; with action=submit, submit the report right after."""
    report = _report_or_404(request, report_id)
    form = ReportNarrativeForm(request.POST)
    if not form.is_valid():
        is_head = (
            selectors.office_list_headed_by(user=request.user).filter(pk=report.office_id).exists()
        )
        context = _detail_context(
            request, report, is_head=is_head, is_reviewer=False, narrative_form=form
        )
        return render(request, "oversight/report_detail.html", context, status=400)
    try:
        report = services.office_report_update_narrative(
            report=report, actor=request.user, **form.cleaned_data
        )
        if request.POST.get("action") == "submit":
            services.office_report_submit(report=report, actor=request.user)
            messages.success(request, _("The report was submitted to the ministry."))
        else:
            messages.success(request, _("The draft was saved."))
    except (ValidationError, ApplicationError) as error:
        messages.error(request, _error_text(error))
    return redirect(report)


@staff_page
@require_POST
def report_refresh(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(request, report_id)
    try:
        services.office_report_refresh_figures(report=report, actor=request.user)
        messages.success(request, _("The figures were computed again."))
    except (ValidationError, ApplicationError) as error:
        messages.error(request, _error_text(error))
    return redirect(report)


@staff_page
@require_POST
def report_review(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(request, report_id)
    form = ReportReviewForm(request.POST)
    if not form.is_valid():
        context = _detail_context(
            request,
            report,
            is_head=False,
            is_reviewer=selectors.user_is_report_reviewer(user=request.user),
            review_form=form,
        )
        return render(request, "oversight/report_detail.html", context, status=400)
    try:
        services.office_report_review(
            report=report, actor=request.user, comment=form.cleaned_data["comment"]
        )
        messages.success(request, _("The review was sent back to the office."))
    except (ValidationError, ApplicationError) as error:
        messages.error(request, _error_text(error))
    return redirect(report)


@staff_page
@require_POST
def report_close(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(request, report_id)
    try:
        services.office_report_close(report=report, actor=request.user)
        messages.success(request, _("The report was closed."))
    except (ValidationError, ApplicationError) as error:
        messages.error(request, _error_text(error))
    return redirect(report)


@staff_page
@never_cache
@require_GET
def report_month(request: HttpRequest, month: str) -> HttpResponse:
    """All BP3MI offices' reports of one month, side by side."""
    month_date = selectors.month_parse(month)
    if month_date is None:
        raise Http404
    rows = selectors.office_report_month_overview(user=request.user, month=month_date)
    reports = [report for _office, report in rows if report is not None]
    return render(
        request,
        "oversight/report_month.html",
        {
            "month": month_date,
            "rows": rows,
            "reports": reports,
            "totals": selectors.office_report_totals(reports=reports),
            "previous": selectors.month_previous(month_date),
            "next": selectors.month_next(month_date),
            "due_date": selectors.report_due_date(month_date),
            "offices_total": len(rows),
        },
    )
