"""Forms of the case page's triage actions. They only translate input; services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.choices import Status
from complaints.models import Complaint, ReplyTemplate
from complaints.selectors import (
    complaint_assignee_candidates,
    complaint_list_for_staff,
    reply_template_list_for_complaint,
)
from complaints.services.triage import MAX_TEXT_LENGTH, allowed_targets
from portal.choices import Role
from portal.models import Office

_TEXT = {"max_length": MAX_TEXT_LENGTH, "widget": forms.Textarea(attrs={"rows": 4})}

# Statuses that have their own form (they need more than a message).
_OWN_FORM_STATUSES = {Status.DUPLICATE, Status.WAITING_REPORTER}


class TriageForm(forms.Form):
    """A case-page action form: knows the complaint and the acting user."""

    def __init__(self, *args, complaint: Complaint, user, **kwargs):
        self.complaint = complaint
        self.user = user
        super().__init__(*args, **kwargs)


def _candidate_label(user) -> str:
    """Label "Name (username) · Office": a BP3MI officer and a post officer are told apart."""
    name = user.get_full_name().strip()
    who = f"{name} ({user.get_username()})" if name else user.get_username()
    handling = (Role.OFFICER, Role.HEAD)
    offices = sorted({m.office.name for m in user.memberships.all() if m.role in handling})
    return f"{who} · {', '.join(offices)}" if offices else who


class AssignForm(TriageForm):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, complaint: Complaint, user, **kwargs):
        super().__init__(*args, complaint=complaint, user=user, **kwargs)
        self.fields["assignee"].queryset = complaint_assignee_candidates(
            complaint=complaint, actor=user
        ).prefetch_related("memberships__office")
        self.fields["assignee"].label_from_instance = _candidate_label


class StatusForm(TriageForm):
    status = forms.ChoiceField(label=_("New status"))
    public_message = forms.CharField(
        label=_("Message to the reporter (optional)"), required=False, **_TEXT
    )

    def __init__(self, *args, complaint: Complaint, user, **kwargs):
        super().__init__(*args, complaint=complaint, user=user, **kwargs)
        self.fields["status"].choices = [
            (status, Status(status).label)
            for status in allowed_targets(current=complaint.status)
            if status not in _OWN_FORM_STATUSES
        ]


class ReplyForm(TriageForm):
    template = forms.ModelChoiceField(
        label=_("Saved reply"),
        queryset=ReplyTemplate.objects.none(),
        required=False,
        help_text=_("Leave the text empty to send the saved reply as it is."),
    )
    body = forms.CharField(label=_("Public reply"), required=False, **_TEXT)

    def __init__(self, *args, complaint: Complaint, user, **kwargs):
        super().__init__(*args, complaint=complaint, user=user, **kwargs)
        self.fields["template"].queryset = reply_template_list_for_complaint(complaint=complaint)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("body") or "").strip():
            template = cleaned.get("template")
            if template is None:
                raise forms.ValidationError(_("Write a reply or choose a saved reply."))
            cleaned["body"] = template.body
        return cleaned


class NoteForm(TriageForm):
    body = forms.CharField(label=_("Internal note"), **_TEXT)


class RequestInformationForm(TriageForm):
    question = forms.CharField(label=_("What do you need from the reporter?"), **_TEXT)


class ForwardForm(TriageForm):
    office = forms.ModelChoiceField(label=_("Forward to office"), queryset=None)
    reason = forms.CharField(label=_("Reason"), **_TEXT)

    def __init__(self, *args, complaint: Complaint, user, **kwargs):
        super().__init__(*args, complaint=complaint, user=user, **kwargs)
        self.fields["office"].queryset = (
            Office.objects.filter(is_active=True)
            .exclude(pk=complaint.office_id)
            .order_by("kind", "name")
        )


class DuplicateForm(TriageForm):
    original = forms.CharField(
        label=_("Reference of the original complaint"),
        max_length=20,
        help_text=_("For example PMI-7K3M-9QXR."),
    )
    public_message = forms.CharField(
        label=_("Message to the reporter (optional)"), required=False, **_TEXT
    )

    def clean_original(self):
        reference = self.cleaned_data["original"].strip().upper()
        original = complaint_list_for_staff(user=self.user).filter(reference=reference).first()
        if original is None:
            raise forms.ValidationError(_("No complaint with this reference in your offices."))
        return original


class ReopenForm(TriageForm):
    reason = forms.CharField(label=_("Why reopen?"), **_TEXT)


# action name → (form class, label of its button)
TRIAGE_FORMS: dict[str, tuple[type[TriageForm], str]] = {
    "assign": (AssignForm, _("Assign")),
    "status": (StatusForm, _("Change status")),
    "reply": (ReplyForm, _("Send public reply")),
    "note": (NoteForm, _("Add internal note")),
    "request_information": (RequestInformationForm, _("Ask the reporter")),
    "forward": (ForwardForm, _("Forward")),
    "duplicate": (DuplicateForm, _("Mark as duplicate")),
    "reopen": (ReopenForm, _("Reopen")),
}
