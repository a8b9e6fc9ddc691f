"""Custom views of the triage admin: the case page's action forms and attachment downloads.

Both are mounted by ComplaintAdmin.get_urls under the admin site (so staff sign-in and the second
factor apply) and read through the staff scope selectors: anything else answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.admin_forms import TRIAGE_FORMS
from complaints.choices import AccessAction
from complaints.models import Complaint
from complaints.selectors import attachment_list_for_staff
from complaints.services.audit import access_record_write
from complaints.services.triage import (
    REOPENABLE_STATUSES,
    complaint_add_note,
    complaint_assign,
    complaint_change_status,
    complaint_forward,
    complaint_mark_duplicate,
    complaint_reopen,
    complaint_reply,
    complaint_request_information,
)
from portal.exceptions import ApplicationError


def _run(action: str, *, complaint: Complaint, actor, data: dict) -> None:
    """Call the one service behind a case-page action."""
    if action == "assign":
        complaint_assign(complaint=complaint, actor=actor, assignee=data["assignee"])
    elif action == "status":
        complaint_change_status(
            complaint=complaint,
            actor=actor,
            status=data["status"],
            public_message=data["public_message"],
        )
    elif action == "reply":
        complaint_reply(complaint=complaint, actor=actor, body=data["body"])
    elif action == "note":
        complaint_add_note(complaint=complaint, actor=actor, body=data["body"])
    elif action == "request_information":
        complaint_request_information(complaint=complaint, actor=actor, question=data["question"])
    elif action == "forward":
        complaint_forward(
            complaint=complaint, actor=actor, office=data["office"], reason=data["reason"]
        )
    elif action == "duplicate":
        complaint_mark_duplicate(
            complaint=complaint,
            actor=actor,
            duplicate_of=data["original"],
            public_message=data["public_message"],
        )
    elif action == "reopen":
        complaint_reopen(complaint=complaint, actor=actor, reason=data["reason"])
    else:  # the URL only lets known actions through
        raise Http404


_SUCCESS = {
    "assign": _("The assignee was changed."),
    "status": _("The status was changed."),
    "reply": _("The public reply was sent."),
    "note": _("The internal note was added."),
    "request_information": _("The question was sent to the reporter."),
    "forward": _("The complaint was forwarded."),
    "duplicate": _("The complaint was marked as a duplicate."),
    "reopen": _("The complaint was reopened."),
}


def triage_apply(request, *, complaint: Complaint, action: str):
    form_class, _label = TRIAGE_FORMS[action]
    form = form_class(request.POST, complaint=complaint, user=request.user)
    if form.is_valid():
        try:
            _run(action, complaint=complaint, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(_SUCCESS[action]))
    else:
        errors = [message for field in form.errors.values() for message in field]
        messages.error(request, " ".join(errors))
    return redirect(reverse("admin:complaints_complaint_change", args=[complaint.pk]))


def triage_forms_for(request, complaint: Complaint) -> list[dict]:
    """The action forms the case page shows for this complaint's status."""
    finished = complaint.status in REOPENABLE_STATUSES
    shown = ["reopen", "note"] if finished else [a for a in TRIAGE_FORMS if a != "reopen"]
    forms = []
    for action in shown:
        form_class, label = TRIAGE_FORMS[action]
        form = form_class(complaint=complaint, user=request.user)
        if action == "status" and not form.fields["status"].choices:
            continue
        forms.append(
            {
                "action": action,
                "label": label,
                "form": form,
                "url": reverse("admin:complaints_complaint_triage", args=[complaint.pk, action]),
            }
        )
    return forms


def attachment_download(request, attachment_id: int):
    """Serve a reporter's file as a download (never inline: it may be hostile HTML or SVG)."""
    attachment = (
        attachment_list_for_staff(user=request.user)
        .select_related("complaint")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None or not request.user.has_perm("complaints.view_attachment"):
        raise Http404
    access_record_write(
        user=request.user,
        complaint=attachment.complaint,
        action=AccessAction.DOWNLOAD,
        detail=f"attachment {attachment.pk}",
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
