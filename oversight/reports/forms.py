from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oversight.reports.choices import ReportStatus
from oversight.reports.selectors import month_parse
from oversight.reports.services import NARRATIVE_MAX_CHARS
from portal.models import Office


class MonthField(forms.CharField):
    """A month as YYYY-MM (what <input type="month"> sends), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"})

    def to_python(self, value) -> date | None:
        value = super().to_python(value)
        if not value:
            return None
        month = month_parse(value)
        if month is None:
            raise ValidationError(_("Give the month as YYYY-MM, e.g. 2026-10."))
        return month


class ReportCreateForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    month = MonthField(label=_("Month"))

    def __init__(self, *args, offices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        if len(offices) == 1:
            self.fields["office"].initial = offices[0]


class ReportNarrativeForm(forms.Form):
    achievements = forms.CharField(
        label=_("Achievements"),
        required=False,
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("What the office achieved this month, with figures where you have them."),
    )
    problems = forms.CharField(
        label=_("Problems met"),
        required=False,
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    requests = forms.CharField(
        label=_("Requests to the ministry"),
        required=False,
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    good_practices = forms.CharField(
        label=_("Good practices worth copying"),
        required=False,
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("Something other offices could do the same way."),
    )


class ReportReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the office"),
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class ReportSearchForm(forms.Form):
    q = forms.CharField(label=_("Words in the report"), required=False, max_length=100)
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ReportStatus.choices],
    )
    month_from = MonthField(label=_("From month"), required=False)
    month_to = MonthField(label=_("To month"), required=False)

    def __init__(self, *args, offices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["office"].empty_label = _("All offices")
        _style(self)


def _style(form: forms.Form) -> None:
    """Bootstrap classes on every widget (the templates render fields one by one)."""
    for field in form.fields.values():
        is_select = isinstance(field.widget, forms.Select)
        field.widget.attrs.setdefault("class", "form-select" if is_select else "form-control")
