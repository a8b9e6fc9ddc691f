"""Choosing a home village by name: province → regency/city → district → village.

One picker for every form that asks for a village: the public complaint form, staff intake and the
village admin. Nobody knows a Kemendagri code ("35.07.20.2007"), so:

- without scripts, each select lists only the children of the region chosen one step above; the
  "Show the list" button posts the form back to itself (nothing is saved, no error is shown, what
  was typed is kept) and the page comes back with the next select filled (`step_initial`);
- with scripts, static/portal/region_picker.js puts one search box above the selects that finds a
  village by its name (GET /api/v1/regions/villages/?q=…, each village shown with its district and
  regency) and fills the four selects, which stay the path when the search is down.

A form names its four fields (`RegionPicker`), calls `picker.fill(form)` in `__init__`, and
validation stays the form's: a village is valid only among the children of the chosen district.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crispy_forms.layout import HTML, Div
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from portal.models import Region
from portal.reference_cache import reference_cached
from portal.selectors import region_list_children, region_list_provinces

# Posted by the "Show the list" button: the view renders the form again instead of saving.
STEP_FIELD = "region_step"
ANCHOR = "region-picker"
PLACEHOLDERS = {
    1: _("Choose a province"),
    2: _("Choose a regency or city"),
    3: _("Choose a district (kecamatan)"),
    4: _("Choose a village (desa/kelurahan)"),
}
# Regencies and districts (7,800 rows in all) are kept once asked for; villages (83,762) are not,
# so a worker's memory does not grow with every district reporters come from.
CACHED_REGION_LEVELS = (2, 3)


def province_choices() -> list:
    """The provinces (reference cache; the placeholder is lazy: it reads in the page's language)."""
    return reference_cached(
        "portal.province_choices",
        lambda: [("", PLACEHOLDERS[1]), *region_list_provinces().values_list("code", "name")],
    )


def region_children(*, parent_code: str, level: int) -> list[tuple[str, str]]:
    if level not in CACHED_REGION_LEVELS:
        return region_list_children(parent_code=parent_code, level=level)
    return reference_cached(
        ("portal.region_children", parent_code, level),
        lambda: region_list_children(parent_code=parent_code, level=level),
    )


def region_step_button() -> str:
    """The no-script step: posts the form back to itself; nothing is sent or saved."""
    return format_html(
        '<p class="region-step"><button type="submit" name="{}" value="1" '
        'id="region-step" class="btn btn-outline-primary" formaction="#{}" '
        'formnovalidate aria-describedby="region-step-help">{}</button> '
        '<span class="form-text" id="region-step-help">{}</span></p>',
        STEP_FIELD,
        ANCHOR,
        _("Show the list"),
        _(
            "Shows the regencies, districts or villages of what you chose, without sending "
            "the report."
        ),
    )


def search_settings() -> dict[str, str]:
    """What region_picker.js needs: the search URL and its texts in the page's language."""
    return {
        "data-region-search": reverse("region-village-search"),
        "data-label": _("Home village (desa/kelurahan): type its name"),
        "data-help": _("For example: Babadan. Then choose your village from the list."),
        "data-found": _("%s villages found: choose yours."),
        "data-none": _("No village of that name. Check the spelling or choose step by step."),
        "data-failed": _("The search is not available now: choose step by step."),
        "data-chosen": _("Chosen: %s"),
        "data-manual": _("Choose step by step instead"),
    }


class VillageStepSelect(forms.Select):
    """The village select of a form rendered by Django's own widgets (the admin): followed by the
    "Show the list" button, and carrying the search box's settings for region_picker.js."""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        return mark_safe(html + region_step_button())  # noqa: S308 (both parts are escaped)


@dataclass(frozen=True)
class RegionPicker:
    """The names of a form's four region fields, top to bottom."""

    province: str
    regency: str
    district: str
    village: str

    @property
    def fields(self) -> tuple[str, str, str, str]:
        return (self.province, self.regency, self.district, self.village)

    def fill(self, form: forms.BaseForm) -> None:
        """Each select lists only the children of the value chosen one step above (the posted
        value, or the initial one when the form comes back from a "Show the list" step)."""
        form.fields[self.province].choices = province_choices()
        steps = zip(self.fields[:-1], self.fields[1:], strict=True)
        for level, (parent_name, name) in enumerate(steps, start=2):
            parent = _value(form, parent_name)
            if name == self.village and not parent:
                # A village sent without its district (the API and older links send only the
                # regency and the village): the village's own district is its parent.
                village, regency = _value(form, self.village), _value(form, self.regency)
                if regency and village.startswith(regency + "."):
                    parent = village.rsplit(".", 1)[0]
            field = form.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = (
                    Region.objects.filter(parent_id=parent, level=level).order_by("name", "code")
                    if parent
                    else Region.objects.none()
                )
                field.empty_label = PLACEHOLDERS[level]
                field.label_from_instance = _region_name
            else:
                field.choices = [
                    ("", PLACEHOLDERS[level]),
                    *region_children(parent_code=parent, level=level),
                ]

    def element_ids(self, form: forms.BaseForm) -> str:
        return " ".join(form.auto_id % form.add_prefix(name) for name in self.fields)

    def script_attrs(self, form: forms.BaseForm) -> dict[str, str]:
        """The attributes region_picker.js reads on the element that holds the picker."""
        return {**search_settings(), "data-region-fields": self.element_ids(form)}

    def crispy_layout(self, form: forms.BaseForm) -> Div:
        """The four selects and the step button in one block, for crispy-forms layouts."""
        attrs = {key.replace("-", "_"): value for key, value in self.script_attrs(form).items()}
        return Div(
            *self.fields, HTML(region_step_button()), css_id=ANCHOR, css_class=ANCHOR, **attrs
        )

    def admin_widget(self, form: forms.BaseForm) -> None:
        """The village select of a form rendered by the admin, with the step and the search."""
        field = form.fields[self.village]
        field.widget = VillageStepSelect(attrs=self.script_attrs(form))
        field.widget.choices = field.choices

    def step_initial(self, data: Mapping[str, str], names) -> dict[str, str]:
        """The initial values of the form shown after a "Show the list" step: every posted value
        of `names`, where a changed province (or regency, district) empties the steps below."""
        initial = {name: data.get(name) for name in names if data.get(name) is not None}
        parent: str | None = ""
        for name in self.fields:
            value = initial.get(name) or ""
            if parent is None or (parent and not value.startswith(parent + ".")):
                initial.pop(name, None)
                parent = None
            else:
                parent = value or None
        return initial


def _region_name(region: Region) -> str:
    return region.name


def _value(form: forms.BaseForm, name: str) -> str:
    source = form.data if form.is_bound else form.initial
    return str(source.get(form.add_prefix(name) if form.is_bound else name) or "").strip()
