"""Public complaint pages: the form, the one-time receipt, tracking and reporter messages.

Thin: parse with a form, call the intake service once, render. Reference and key travel only in
POST bodies, never in URLs; every page here is `never_cache` (a shared phone's browser history or
a proxy must not keep them). Nothing about the request (address, browser) is stored or logged.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from complaints import throttling
from complaints.choices import EventKind, Status
from complaints.forms import (
    ORIGIN_PICKER,
    ComplaintForm,
    ReporterMessageForm,
    TrackForm,
    complaint_form_blank_html,
    step_fields,
    submission_token_issue,
    submission_token_read,
)
from complaints.references import reference_normalise
from complaints.selectors import complaint_event_list_for_reporter, complaint_get_for_reporter
from complaints.services.intake import (
    complaint_reporter_message,
    complaint_submit,
)
from complaints.services.pending_files import (
    pending_files_discard,
    pending_files_keep,
    pending_files_take,
)
from complaints.way_ahead import complaint_way_ahead
from education.selectors import article_list_for_context
from portal.exceptions import ApplicationError
from portal.help_contacts.selectors import help_contacts_for_page
from portal.region_picker import STEP_FIELD

TEMPLATE_FORM = "complaints/complaint_form.html"
TEMPLATE_RECEIPT = "complaints/complaint_receipt.html"
TEMPLATE_TRACK = "complaints/complaint_track.html"
TEMPLATE_DETAIL = "complaints/complaint_track_detail.html"


def _language() -> str:
    return (get_language() or "id")[:2]


def _errors_to_form(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_submit_view(request):
    if request.method == "GET":
        # The blank form's fields come rendered from the reference cache; the token is fresh.
        html = complaint_form_blank_html(token=submission_token_issue())
        return render(request, TEMPLATE_FORM, {"form_html": html})

    if STEP_FIELD in request.POST:
        return _region_step(request)
    form = ComplaintForm(request.POST, request.FILES)
    wait = throttling.submit_wait_seconds(request)
    if wait:
        form.is_valid()
        form.add_error(
            None,
            _("Too many reports from this connection. Please try again in %(minutes)d minutes.")
            % {"minutes": max(1, wait // 60)},
        )
        response = render(request, TEMPLATE_FORM, {"form": form}, status=429)
        response["Retry-After"] = str(wait)
        return response
    throttling.submit_count(request)
    token = submission_token_read(request.POST.get("submission_token", ""))
    if form.is_valid():
        attachments = form.cleaned_data.get("attachments") or pending_files_take(token=token)
        try:
            receipt = complaint_submit(
                data=form.to_input(language=_language()),
                attachments=attachments,
                submission_token=token,
                token_space="form",  # noqa: S106 (a namespace name, not a secret)
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            pending_files_discard(token=token)
            return render(
                request,
                TEMPLATE_RECEIPT,
                {
                    "receipt": receipt,
                    "complaint": receipt.complaint,
                    "reference_groups": receipt.reference.split("-"),
                    "key_groups": receipt.access_key.split("-"),
                    "help_contacts": help_contacts_for_page(
                        country=str(receipt.complaint.destination_country)
                    ),
                    "articles": article_list_for_context(
                        category_slug=receipt.complaint.category.slug,
                        country_code=str(receipt.complaint.destination_country),
                        language=_language(),
                        limit=3,
                    ),
                },
                status=201 if receipt.created else 200,
            )
    kept = pending_files_keep(token=token, files=request.FILES.getlist("attachments"))
    # Danger now: the chosen country's embassy and consulates, right above the form.
    help_contacts = (
        help_contacts_for_page(country=request.POST.get("destination_country", ""))
        if request.POST.get("in_danger") == "yes"
        else []
    )
    return render(
        request,
        TEMPLATE_FORM,
        {"form": form, "files_kept": kept, "help_contacts": help_contacts},
        status=400,
    )


def _region_step(request):
    """The no-script path of the region picker: the same form back, every typed value kept, the
    next select filled with the children of the region just chosen, and no error shown (nothing
    was sent yet). Not counted as a submission."""
    initial = ORIGIN_PICKER.step_initial(request.POST, names=step_fields(ComplaintForm))
    if not initial.get("submission_token"):
        initial["submission_token"] = submission_token_issue()
    form = ComplaintForm(initial=initial)
    token = submission_token_read(initial["submission_token"])
    kept = pending_files_keep(token=token, files=request.FILES.getlist("attachments"))
    return render(request, TEMPLATE_FORM, {"form": form, "region_step": True, "files_kept": kept})


def _timeline(complaint) -> list[dict]:
    """What the reporter reads: public wording only; internal bodies never leave the server."""
    lines = []
    for event in complaint_event_list_for_reporter(complaint=complaint):
        public = event.visibility == "public"
        text = event.public_body or (event.body if public else "")
        if event.kind == EventKind.CREATED:
            title = _("Report received")
        elif event.kind == EventKind.STATUS:
            to = (event.data or {}).get("to", "")
            title = _("Status: %(status)s") % {
                "status": Status(to).label if to in Status.values else to
            }
        elif event.kind == EventKind.REPORTER_MESSAGE:
            title = _("Your message")
        elif event.kind == EventKind.ATTACHMENT:
            title = _("Your files")
        elif event.kind == EventKind.ESCALATION:
            title = _("Passed to a higher office")
        else:
            title = _("Reply from the office")
        lines.append(
            {
                "when": event.created_at,
                "title": title,
                "text": text,
                "by_reporter": event.by_reporter,
                "files": [attachment.original_name for attachment in event.attachments.all()],
            }
        )
    return lines


def _detail(request, complaint, *, access_key: str, message_form=None, notice: str = ""):
    message_form = message_form or ReporterMessageForm(
        initial={"reference": complaint.reference, "access_key": access_key}
    )
    return render(
        request,
        TEMPLATE_DETAIL,
        {
            "complaint": complaint,
            "way_ahead": complaint_way_ahead(complaint=complaint, now=timezone.now()),
            "timeline": _timeline(complaint),
            "message_form": message_form,
            "notice": notice,
        },
    )


def _not_found(request, form):
    form.add_error(
        None,
        _(
            "We could not find a report with this reference and key. Check both and try again; "
            "after several wrong tries you have to wait a few minutes."
        ),
    )
    return render(request, TEMPLATE_TRACK, {"form": form})


def _throttled(request, form, wait: int):
    form.add_error(
        None,
        _("Too many attempts. Please try again in %(minutes)d minutes.")
        % {"minutes": max(1, (wait + 59) // 60)},
    )
    response = render(request, TEMPLATE_TRACK, {"form": form}, status=429)
    response["Retry-After"] = str(wait)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_track_view(request):
    if request.method == "GET":
        return render(request, TEMPLATE_TRACK, {"form": TrackForm()})

    is_message = "body" in request.POST or bool(request.FILES)
    form = (
        ReporterMessageForm(request.POST, request.FILES) if is_message else TrackForm(request.POST)
    )
    track_form = TrackForm(request.POST)
    if not form.is_valid():
        if is_message:
            return _not_found(request, TrackForm(request.POST))
        return render(request, TEMPLATE_TRACK, {"form": form})
    reference = reference_normalise(form.cleaned_data["reference"])
    wait = throttling.tracking_wait_seconds(request)
    if wait:
        return _throttled(request, track_form, wait)
    access_key = form.cleaned_data["access_key"]
    complaint = complaint_get_for_reporter(reference=reference, access_key=access_key)
    if complaint is None:
        throttling.tracking_failure(request, reference)
        return _not_found(request, track_form)
    if not is_message:
        return _detail(request, complaint, access_key=access_key)
    try:
        complaint_reporter_message(
            complaint=complaint,
            body=form.cleaned_data.get("body", ""),
            attachments=form.cleaned_data.get("attachments") or [],
        )
    except ValidationError as error:
        _errors_to_form(form, error)
        return _detail(request, complaint, access_key=access_key, message_form=form)
    return _detail(
        request, complaint, access_key=access_key, notice=_("Your message was sent. Thank you.")
    )
