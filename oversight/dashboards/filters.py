"""The dashboard filter form: every bad value becomes a clear message and the default view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.choices import IntakeChannel
from complaints.models import Category
from portal.countries import country_choices
from portal.models import Office, Region

# Complaints under the 2017 migrant-worker protection law start in 2017; the dashboards never go
# further back, and a date more than a year ahead is a typing error, not a plan.
EARLIEST_DATE = date(2017, 1, 1)
LATEST_DAYS_AHEAD = 366
# The default view: the last twelve months including the current one.
DEFAULT_MONTHS = 12


def default_date_from(today: date) -> date:
    month_index = today.year * 12 + today.month - 1 - (DEFAULT_MONTHS - 1)
    return date(month_index // 12, month_index % 12 + 1, 1)


@dataclass(frozen=True)
class DashboardFilters:
    date_from: date
    date_to: date
    province: str = ""
    office_ids: tuple[int, ...] = ()
    office_id: int | None = None
    category_id: int | None = None
    country: str = ""
    channel: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def default(cls, today: date) -> DashboardFilters:
        return cls(date_from=default_date_from(today), date_to=today)

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (for CSV links and drill-downs)."""
        query = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}
        if self.province:
            query["province"] = self.province
        if self.office_id:
            query["office"] = str(self.office_id)
        if self.category_id:
            query["category"] = str(self.category_id)
        if self.country:
            query["country"] = self.country
        if self.channel:
            query["channel"] = self.channel
        return query


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    province = forms.ModelChoiceField(
        label=_("Origin province"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All provinces"),
        error_messages={"invalid_choice": _("Unknown province code.")},
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices in your scope"),
        error_messages={"invalid_choice": _("This office is unknown or outside your scope.")},
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("All categories"),
        error_messages={"invalid_choice": _("Unknown category.")},
    )
    country = forms.ChoiceField(
        label=_("Destination country"),
        required=False,
        error_messages={"invalid_choice": _("Unknown destination country code.")},
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All channels")), *IntakeChannel.choices],
        error_messages={"invalid_choice": _("Unknown channel.")},
    )

    def __init__(self, *args, offices, provinces, categories, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["province"].queryset = provinces
        self.fields["office"].queryset = offices
        self.fields["category"].queryset = categories
        self.fields["country"].choices = [
            ("", _("All countries")),
            *country_choices(exclude=(), first=()),
        ]
        self.fields["date_from"].widget.attrs.update(
            {"min": EARLIEST_DATE.isoformat(), "max": self._latest().isoformat()}
        )
        self.fields["date_to"].widget.attrs.update(
            {"min": EARLIEST_DATE.isoformat(), "max": self._latest().isoformat()}
        )
        for name, form_field in self.fields.items():
            css = "form-control" if name.startswith("date") else "form-select"
            form_field.widget.attrs["class"] = f"{css} {css}-sm"

    def _latest(self) -> date:
        return self.today + timedelta(days=LATEST_DAYS_AHEAD)

    def _clean_day(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value and not (EARLIEST_DATE <= value <= self._latest()):
            raise forms.ValidationError(
                _("Dates must lie between %(earliest)s and %(latest)s."),
                params={
                    "earliest": EARLIEST_DATE.isoformat(),
                    "latest": self._latest().isoformat(),
                },
            )
        return value

    def clean_date_from(self) -> date | None:
        return self._clean_day("date_from")

    def clean_date_to(self) -> date | None:
        return self._clean_day("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date lies after the end date."))
        return cleaned

    def filters(self) -> DashboardFilters:
        """The valid filters; call only after is_valid()."""
        data = self.cleaned_data
        default = DashboardFilters.default(self.today)
        office = data.get("office")
        office_ids: tuple[int, ...] = ()
        if office is not None:
            # An office means the office and the posts below it, as in the scope rule.
            office_ids = (
                office.pk,
                *[o.pk for o in self.fields["office"].queryset if o.parent_id == office.pk],
            )
        return DashboardFilters(
            date_from=data.get("date_from") or default.date_from,
            date_to=data.get("date_to") or default.date_to,
            province=data["province"].code if data.get("province") else "",
            office_ids=office_ids,
            office_id=office.pk if office else None,
            category_id=data["category"].pk if data.get("category") else None,
            country=data.get("country") or "",
            channel=data.get("channel") or "",
        )

    def error_messages_list(self) -> list[str]:
        messages = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        return messages
