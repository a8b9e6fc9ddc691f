"""Staff pages of intake: record a complaint taken at the office, on the phone, by
letter or from a referral; print its receipt; see the inbound messages waiting to be recorded.

Thin: the form parses, `complaint_submit_by_staff` validates and writes, the receipt PDF is
built from the stored complaint and the key the officer posts back (never stored)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from complaints.forms import (
    ORIGIN_PICKER,
    step_fields,
    submission_token_issue,
    submission_token_read,
)
from complaints.receipt_pdf import receipt_pdf
from complaints.references import access_key_check, reference_normalise
from complaints.selectors import (
    complaint_list_for_staff,
    inbound_draft_files_for_staff,
    inbound_draft_list_for_staff,
)
from complaints.services.staff_intake import complaint_submit_by_staff, staff_intake_offices
from complaints.staff_access import staff_page
from complaints.staff_forms import StaffIntakeForm
from portal.exceptions import ApplicationError
from portal.help_contacts.selectors import help_contact_list
from portal.region_picker import STEP_FIELD

TEMPLATE_FORM = "complaints/staff_intake_form.html"
TEMPLATE_RECEIPT = "complaints/staff_intake_receipt.html"
DRAFTS_SHOWN = 50


def _errors_to_form(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _initial_from_draft(request, draft_id: str) -> dict:
    if not draft_id.isdigit():
        return {}
    draft = inbound_draft_list_for_staff(user=request.user).filter(pk=int(draft_id)).first()
    if draft is None:
        return {}
    initial = {
        "inbound_message": draft.pk,
        "channel": draft.channel,
        "received_at": draft.received_at.strftime("%Y-%m-%dT%H:%M"),
        "description": draft.text,
    }
    if draft.gateway == "sp4n_lapor":
        initial.update(referrer="sp4n_lapor", referrer_reference=draft.message_id)
        if draft.sender:
            initial["phone"] = draft.sender
    elif draft.channel == "email":
        initial["email"] = draft.sender
    else:
        initial["whatsapp" if draft.channel == "whatsapp" else "phone"] = draft.sender
    return initial


def _form_page(request, form, *, draft_id: str = "", status: int = 200):
    draft_id = str(draft_id or "")
    return render(
        request,
        TEMPLATE_FORM,
        {
            "form": form,
            "offices": staff_intake_offices(user=request.user),
            "drafts": list(inbound_draft_list_for_staff(user=request.user)[:DRAFTS_SHOWN]),
            # What the officer is about to record with the message: its kept and refused files.
            "draft_files": list(
                inbound_draft_files_for_staff(user=request.user, message_id=int(draft_id))
            )
            if draft_id.isdigit()
            else [],
        },
        status=status,
    )


@staff_page
@never_cache
@require_http_methods(["GET", "POST"])
def staff_intake_view(request):
    if not staff_intake_offices(user=request.user):
        raise PermissionDenied
    if request.method == "GET":
        initial = {"submission_token": submission_token_issue(), "consent": False}
        draft_id = request.GET.get("message", "")
        initial.update(_initial_from_draft(request, draft_id))
        return _form_page(request, StaffIntakeForm(initial=initial), draft_id=draft_id)

    if STEP_FIELD in request.POST:
        # The no-script step of the village picker: the form back with the next list filled,
        # every typed value kept, nothing recorded and no error shown.
        initial = ORIGIN_PICKER.step_initial(request.POST, names=step_fields(StaffIntakeForm))
        if not initial.get("submission_token"):
            initial["submission_token"] = submission_token_issue()
        return _form_page(request, StaffIntakeForm(initial=initial))
    form = StaffIntakeForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            receipt = complaint_submit_by_staff(
                actor=request.user,
                data=form.to_input(language=(get_language() or "id")[:2]),
                channel=data["channel"],
                received_at=data.get("received_at"),
                referrer=data.get("referrer") or "",
                referrer_reference=data.get("referrer_reference") or "",
                inbound_message_id=data.get("inbound_message"),
                attachments=data.get("attachments") or [],
                submission_token=submission_token_read(data.get("submission_token", "")),
                token_space="form",  # noqa: S106 (a namespace name, not a secret)
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return render(
                request,
                TEMPLATE_RECEIPT,
                {"receipt": receipt, "complaint": receipt.complaint},
                status=201 if receipt.created else 200,
            )
    return _form_page(request, form, draft_id=request.POST.get("inbound_message", ""), status=400)


@staff_page
@never_cache
@require_POST
def staff_receipt_pdf_view(request):
    """The printable receipt; the officer's page posts the reference and the one-time key."""
    reference = reference_normalise(request.POST.get("reference", ""))
    complaint = (
        complaint_list_for_staff(user=request.user)
        .select_related("office")
        .filter(reference=reference)
        .first()
        if reference
        else None
    )
    access_key = request.POST.get("access_key", "")[:64]
    encoded = complaint.access_key_hash if complaint is not None else None
    if not access_key_check(access_key, encoded):
        raise Http404
    from django.conf import settings

    document = receipt_pdf(
        complaint=complaint,
        access_key=access_key,
        track_url=request.build_absolute_uri(reverse("complaints:track")),
        hotline=settings.CRISIS_CENTER_PHONE,
        contacts=list(
            help_contact_list(country=str(complaint.destination_country), include_national=False)
        ),
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{complaint.reference}.pdf"'
    return response
