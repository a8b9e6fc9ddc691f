"""Forms of the public complaint pages: they parse types; complaint_submit validates the rest.

Everything renders on the server and works without JavaScript. The regency list is one select
grouped by province (514 options compress to a few KB); intake.js only narrows it to the chosen
province when scripts run.
"""

from __future__ import annotations

import secrets

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from complaints.choices import CategoryKind, ContactChannel, FilerRelation
from complaints.countries import country_choices
from complaints.models import Agency, Category
from complaints.safe_contact_forms import safe_contact_fields
from complaints.services.intake import DESCRIPTION_MAX, MESSAGE_MAX, ComplaintInput
from complaints.uploads import max_attachments
from portal.models import Region

TOKEN_SALT = "complaints.submit"  # noqa: S105 (a signing namespace, not a secret)
# A form left open over a night shift may still be sent the next day.
TOKEN_MAX_AGE = 2 * 24 * 3600
# The datalist of known agencies is bounded: the form page has a 50 KB budget.
AGENCY_SUGGESTIONS = 300


def submission_token_issue() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=TOKEN_SALT)


def submission_token_read(signed: str) -> str:
    """The raw token of a form this server issued, or "" (a forged or stale token gives no
    idempotency, never another reporter's receipt)."""
    try:
        return signing.loads(signed or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [file for file in files if file]


YES_NO = [("no", _("No")), ("yes", _("Yes"))]
YES_NO_UNKNOWN = [("", _("I don't know")), ("yes", _("Yes")), ("no", _("No"))]


def _category_choices():
    groups: dict[str, list] = {}
    for category in Category.objects.filter(is_active=True).order_by("sort_order", "slug"):
        groups.setdefault(category.kind, []).append((category.slug, category.name))
    labels = dict(CategoryKind.choices)
    return [("", _("Choose a category"))] + [
        (labels[kind], options) for kind, options in groups.items()
    ]


def _country_choices():
    return [("", _("Choose a country")), *country_choices()]


def region_choices() -> tuple[list, list]:
    """(provinces, regencies grouped by province), two queries."""
    provinces = list(Region.objects.filter(level=1).order_by("name").values_list("code", "name"))
    by_province: dict[str, list] = {code: [] for code, _name in provinces}
    for code, name in Region.objects.filter(level=2).order_by("name").values_list("code", "name"):
        by_province.setdefault(code.split(".")[0], []).append((code, name))
    province_choices = [("", _("Choose a province")), *provinces]
    regency_choices = [("", _("Choose a regency or city"))] + [
        (name, by_province[code]) for code, name in provinces if by_province.get(code)
    ]
    return province_choices, regency_choices


class ComplaintForm(forms.Form):
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)
    filer_relation = forms.ChoiceField(
        label=_("Who is filing?"),
        choices=FilerRelation.choices,
        initial=FilerRelation.SELF,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        error_messages={
            "required": _("Please choose a category."),
            "invalid_choice": _("Please choose a category from the list."),
        },
    )
    in_danger = forms.ChoiceField(
        label=_("Are you (or the worker) in danger now?"),
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_("Who, what, where and since when. Write in your own words."),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    started_on = forms.DateField(
        label=_("When did it start?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    destination_country = forms.ChoiceField(
        label=_("Country where the worker is (or went)"),
        error_messages={
            "required": _("Please choose the destination country."),
            "invalid_choice": _("Please choose the country abroad from the list."),
        },
    )
    destination_city = forms.CharField(label=_("City abroad"), required=False, max_length=120)
    employer_name = forms.CharField(label=_("Employer"), required=False, max_length=200)
    placement_agency_name = forms.CharField(
        label=_("Placement agency in Indonesia (P3MI)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "agency-list", "autocomplete": "off"}),
    )
    foreign_agency_name = forms.CharField(label=_("Agency abroad"), required=False, max_length=200)
    departure_date = forms.DateField(
        label=_("Departure date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_procedural = forms.ChoiceField(
        label=_("Did the worker leave through the official procedure?"),
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    passport_number = forms.CharField(
        label=_("Passport number (optional)"), required=False, max_length=20
    )
    origin_province = forms.ChoiceField(
        label=_("Home province"),
        error_messages={
            "required": _("Please choose your home province."),
            "invalid_choice": _("Please choose a province from the list."),
        },
    )
    origin_region = forms.ChoiceField(
        label=_("Home regency or city"),
        error_messages={
            "required": _("Please choose your regency or city."),
            "invalid_choice": _("Please choose a regency or city from the Kemendagri list."),
        },
    )
    origin_village = forms.CharField(
        label=_("Village code (optional)"),
        help_text=_("The Kemendagri code of the village, e.g. 35.04.01.2001, if you know it."),
        required=False,
        max_length=13,
    )
    is_anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        help_text=_(
            "We store no name and no contact at all. You can still follow the report with "
            "the reference and the secret key, but we cannot call you back."
        ),
        required=False,
    )
    is_confidential = forms.BooleanField(
        label=_("Keep my identity confidential"),
        help_text=_("Only the staff handling the report see who you are."),
        required=False,
    )
    reporter_name = forms.CharField(label=_("Your name"), required=False, max_length=120)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    preferred_channel = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=[("", _("No preference")), *ContactChannel.choices],
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I agree that KemenP2MI processes this report and my data to handle it."),
        help_text=_(
            "Under Law 27/2022 on personal data protection your data is used only to handle "
            "this report, shared only with the offices that handle it, and deleted when the "
            "retention period ends."
        ),
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        help_text=_("Up to %(count)d files, 10 MB each: JPEG or PNG photos, PDF documents."),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Safe contact (issue 16): hours in the worker's local time and discreet messages; this
        # replaces the old free text, which stays visible to staff on older complaints.
        self.fields.update(safe_contact_fields())
        self.fields["category"].choices = _category_choices()
        self.fields["destination_country"].choices = _country_choices()
        provinces, regencies = region_choices()
        self.fields["origin_province"].choices = provinces
        self.fields["origin_region"].choices = regencies
        self.fields["in_danger"].help_text = _(
            "If yes: call the Crisis Center (24 hours) at %(phone)s or the nearest Indonesian "
            "embassy or consulate now. Your report will be handled as urgent."
        ) % {"phone": settings.CRISIS_CENTER_PHONE}
        self.fields["attachments"].help_text = self.fields["attachments"].help_text % {
            "count": max_attachments()
        }
        self.agency_names = list(
            Agency.objects.filter(kind="p3mi", is_verified=True)
            .order_by("name")
            .values_list("name", flat=True)[:AGENCY_SUGGESTIONS]
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "submission_token",
            Fieldset(
                _("Your report"),
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
                    css_id="contact-fields",
                ),
            ),
            Fieldset(_("Files and consent"), "attachments", "consent"),
            Submit("submit", _("Send report"), css_class="btn-lg w-100"),
        )

    def clean(self):
        cleaned = super().clean()
        province = cleaned.get("origin_province") or ""
        regency = cleaned.get("origin_region") or ""
        if province and regency and not regency.startswith(province + "."):
            self.add_error(
                "origin_region", _("This regency or city is not in the province you chose.")
            )
        return cleaned

    def to_input(self, *, language: str) -> ComplaintInput:
        data = self.cleaned_data
        procedural = {"yes": True, "no": False}.get(data.get("is_procedural") or "")
        return ComplaintInput(
            category=data["category"],
            description=data["description"],
            origin_region=data["origin_region"],
            origin_village=data.get("origin_village", ""),
            destination_country=data["destination_country"],
            consent=bool(data.get("consent")),
            is_anonymous=bool(data.get("is_anonymous")),
            is_confidential=bool(data.get("is_confidential")),
            in_danger=data.get("in_danger") == "yes",
            filer_relation=data["filer_relation"],
            started_on=data.get("started_on"),
            destination_city=data.get("destination_city", ""),
            employer_name=data.get("employer_name", ""),
            placement_agency_name=data.get("placement_agency_name", ""),
            foreign_agency_name=data.get("foreign_agency_name", ""),
            departure_date=data.get("departure_date"),
            is_procedural=procedural,
            passport_number=data.get("passport_number", ""),
            reporter_name=data.get("reporter_name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            whatsapp=data.get("whatsapp", ""),
            preferred_channel=data.get("preferred_channel", ""),
            safe_contact_from=data.get("safe_contact_from"),
            safe_contact_until=data.get("safe_contact_until"),
            discreet=bool(data.get("discreet")),
            language=language,
        )


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    access_key = forms.CharField(
        label=_("Secret key"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=True),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("reference", "access_key", Submit("track", _("Show")))


class ReporterMessageForm(forms.Form):
    """Posted from the tracking page together with the (hidden) reference and key."""

    reference = forms.CharField(widget=forms.HiddenInput, max_length=32)
    access_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Add photos or documents (optional)"),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "reference", "access_key", "body", "attachments", Submit("send", _("Send message"))
        )
