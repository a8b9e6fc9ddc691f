"""Forms of the staff intake page: the public complaint form plus how and when it was received."""

from __future__ import annotations

from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.choices import IntakeChannel, Referrer
from complaints.forms import ComplaintForm


class StaffIntakeForm(ComplaintForm):
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[("", _("Choose a channel")), *IntakeChannel.choices],
        error_messages={"required": _("Please choose how the complaint was received.")},
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        help_text=_("Date and time the complaint came in; empty means now. Never in the future."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    referrer = forms.ChoiceField(
        label=_("Referred by"),
        choices=[("", _("Nobody (the worker or family came directly)")), *Referrer.choices],
        required=False,
    )
    referrer_reference = forms.CharField(
        label=_("Referrer's reference"),
        help_text=_("The number the referring body gave it (SP4N-LAPOR!, KBRI letter, ...)."),
        required=False,
        max_length=80,
    )
    inbound_message = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "The worker (or the person reporting) agreed that KemenP2MI processes this report."
        )
        self.helper.layout = Layout(
            "submission_token",
            "inbound_message",
            Fieldset(
                _("How it came in"),
                "channel",
                "received_at",
                "referrer",
                "referrer_reference",
            ),
            Fieldset(
                _("The report"),
                "filer_relation",
                "category",
                "in_danger",
                "description",
                "started_on",
            ),
            Fieldset(
                _("Where"),
                "destination_country",
                "destination_city",
                "origin_province",
                "origin_region",
                "origin_village",
            ),
            Fieldset(
                _("Work and placement"),
                "employer_name",
                "placement_agency_name",
                "foreign_agency_name",
                "departure_date",
                "is_procedural",
                "passport_number",
            ),
            Fieldset(
                _("Contact"),
                "is_anonymous",
                "is_confidential",
                Div(
                    "reporter_name",
                    "phone",
                    "whatsapp",
                    "email",
                    "preferred_channel",
                    "safe_contact_from",
                    "safe_contact_until",
                    "discreet",
                ),
            ),
            Fieldset(_("Files and consent"), "attachments", "consent"),
            Submit("submit", _("Record the complaint"), css_class="btn-lg"),
        )
