"""Forms of the public complaint pages: they parse types; complaint_submit validates the rest.

Everything renders on the server and works without JavaScript. The home region is asked by name
with portal.region_picker: province → regency/city → district → village in steps without scripts,
one search box with them. Staff intake (staff_forms.py) is this form with a few fields more, laid
out by the same `complaint_form_layout`.
"""

from __future__ import annotations

import secrets

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaints.choices import AgencyKind, CategoryKind, ContactChannel, FilerRelation
from complaints.countries import country_choices
from complaints.models import Agency, Category
from complaints.references import SUBMISSION_TOKEN_MAX_AGE
from complaints.safe_contact_forms import safe_contact_fields
from complaints.services.intake import DESCRIPTION_MAX, MESSAGE_MAX, ComplaintInput
from complaints.uploads import max_attachments
from portal.reference_cache import reference_cached
from portal.region_picker import RegionPicker

# The form's own signing namespace: the API's tokens are another space (complaints/references.py).
TOKEN_SALT = "complaints.submit.form"  # noqa: S105 (a signing namespace, not a secret)
# The datalist of known agencies is bounded: the form page has a 50 KB budget.
AGENCY_SUGGESTIONS = 300


FIELDS_TEMPLATE = "complaints/_complaint_form_fields.html"
# Stands for the per-request token in the cached blank form (a token never contains a space).
TOKEN_SLOT = "submission token slot"  # noqa: S105 (a placeholder, not a secret)


def submission_token_issue() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=TOKEN_SALT)


def submission_token_read(signed: str) -> str:
    """The raw token of a form this server issued, or "" (a forged or stale token gives no
    idempotency, never another reporter's receipt)."""
    try:
        return signing.loads(
            signed or "", salt=TOKEN_SALT, max_age=SUBMISSION_TOKEN_MAX_AGE["form"]
        )
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


def _language() -> str:
    return (get_language() or "id")[:2]


def _category_choices():
    """Active categories grouped by kind, in the reader's language (reference cache)."""

    def compute():
        groups: dict[str, list] = {}
        for category in Category.objects.filter(is_active=True).order_by("sort_order", "slug"):
            groups.setdefault(category.kind, []).append((category.slug, category.name))
        labels = dict(CategoryKind.choices)
        return [("", _("Choose a category"))] + [
            (labels[kind], options) for kind, options in groups.items()
        ]

    return reference_cached(("complaints.category_choices", _language()), compute)


def _country_choices():
    first = tuple(getattr(settings, "COUNTRIES_FIRST", ()))
    return reference_cached(
        ("complaints.country_choices", _language(), first),
        lambda: [("", _("Choose a country")), *country_choices()],
    )


def _agency_names() -> list[str]:
    return reference_cached(
        "complaints.agency_names",
        lambda: list(
            Agency.objects.filter(kind=AgencyKind.P3MI, is_verified=True)
            .order_by("name")
            .values_list("name", flat=True)[:AGENCY_SUGGESTIONS]
        ),
    )


# The home region, asked by name step by step (portal.region_picker); `origin_region` keeps the
# name the API and older links use for the regency or city.
ORIGIN_PICKER = RegionPicker(
    province="origin_province",
    regency="origin_region",
    district="origin_district",
    village="origin_village",
)


def step_fields(form_class) -> list[str]:
    """The fields a "Show the list" step carries over: all but the files, which are kept apart
    under the submission token."""
    names = [*form_class.base_fields, *safe_contact_fields()]
    return [name for name in names if name != "attachments"]


def complaint_form_layout(form, *, before=(), report_legend, submit) -> Layout:
    """The complaint form's layout, for the public form and staff intake alike: `before` are the
    intake page's own fields (how the complaint came in), `submit` its button."""
    return Layout(
        "submission_token",
        *before,
        Fieldset(
            report_legend,
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
            ORIGIN_PICKER.crispy_layout(form),
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
        submit,
    )


class ComplaintForm(forms.Form):
    # complaint_form.html shows the form's own errors above it (one message, not two).
    page_shows_errors = True

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
    origin_district = forms.ChoiceField(
        label=_("District (kecamatan)"),
        required=False,
        error_messages={
            "invalid_choice": _("Please choose a district of the regency or city you chose."),
        },
    )
    origin_village = forms.ChoiceField(
        label=_("Village (desa/kelurahan)"),
        help_text=_("Choose the province first, then press “Show the list” for the next step."),
        required=False,
        error_messages={
            "invalid_choice": _("Please choose a village of the district you chose."),
        },
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
        # Safe contact: hours in the worker's local time and discreet messages; this
        # replaces the old free text, which stays visible to staff on older complaints.
        self.fields.update(safe_contact_fields())
        self.fields["category"].choices = _category_choices()
        self.fields["destination_country"].choices = _country_choices()
        ORIGIN_PICKER.fill(self)
        self.fields["in_danger"].help_text = _(
            "If yes: call the Crisis Center (24 hours) at %(phone)s or the nearest Indonesian "
            "embassy or consulate now. Your report will be handled as urgent."
        ) % {"phone": settings.CRISIS_CENTER_PHONE}
        self.fields["attachments"].help_text = self.fields["attachments"].help_text % {
            "count": max_attachments()
        }
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The page's <form> carries the CSRF token; the fields (kept rendered) carry none.
        self.helper.disable_csrf = True
        self.helper.layout = complaint_form_layout(
            self,
            report_legend=_("Your report"),
            submit=Submit("submit", _("Send report"), css_class="btn-lg w-100"),
        )

    @property
    def agency_names(self) -> list[str]:
        """The datalist of known agencies: read only when the form is shown."""
        return _agency_names()

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
            # The most precise region chosen: a district when no village was picked.
            origin_region=data.get("origin_district") or data["origin_region"],
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
        help_text=_("Four groups of five letters and digits, as printed on your receipt."),
        max_length=64,
        # Visible text: a key typed blind on a phone keyboard is typed wrong; it is
        # never remembered by the browser and the page is never cached.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXXX-XXXXX-XXXXX-XXXXX",
                "class": "key-input",
            }
        ),
    )
    # The page shows the errors above the form itself (one message, not two).
    page_shows_errors = True

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


def complaint_form_blank_html(*, token: str) -> str:
    """The fields of a blank complaint form, exactly as `{% crispy form %}` renders them, with
    this request's submission token. Rendering the long selects through crispy-forms and
    Django's widget templates costs tens of milliseconds, so the blank form is rendered once per
    language (and setting it depends on) and kept in the reference cache, which every edit of a
    category, agency or region drops."""
    key = (
        "complaints.blank_form_html",
        _language(),
        settings.CRISIS_CENTER_PHONE,
        max_attachments(),
        tuple(getattr(settings, "COUNTRIES_FIRST", ())),
    )
    html = reference_cached(
        key,
        lambda: render_to_string(
            FIELDS_TEMPLATE, {"form": ComplaintForm(initial={"submission_token": TOKEN_SLOT})}
        ),
    )
    return mark_safe(html.replace(TOKEN_SLOT, escape(token), 1))  # noqa: S308 (our render)
