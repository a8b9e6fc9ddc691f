"""Forms of the staff intake page: the public complaint form plus how and when it was received,
laid out by the same `complaint_form_layout` (home village chosen by name, the same fieldsets)."""

from __future__ import annotations

from crispy_forms.layout import Fieldset, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.choices import IntakeChannel, Referrer
from complaints.forms import ComplaintForm, complaint_form_layout


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
        self.helper.layout = complaint_form_layout(
            self,
            before=(
                "inbound_message",
                Fieldset(
                    _("How it came in"),
                    "channel",
                    "received_at",
                    "referrer",
                    "referrer_reference",
                ),
            ),
            report_legend=_("The report"),
            submit=Submit("submit", _("Record the complaint"), css_class="btn-lg"),
        )
