"""Public filter forms (GET): the village directory and the best-practice library."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from desa_migran import selectors
from desa_migran.choices import Pillar, VillageStatus


def _blank(label) -> list[tuple[str, str]]:
    return [("", label)]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by village or regency"), required=False, max_length=80)
    province = forms.ChoiceField(label=_("Province"), required=False)
    regency = forms.ChoiceField(label=_("Regency or city"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("All statuses"))
        + [
            (value, label)
            for value, label in VillageStatus.choices
            if value in selectors.PUBLIC_STATUSES
        ],
    )
    pillar = forms.ChoiceField(
        label=_("Pillar"), required=False, choices=_blank(_("All pillars")) + Pillar.choices
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = _blank(_("All provinces")) + [
            (region.code, region.name) for region in selectors.village_provinces_public()
        ]
        province = (self.data.get("province") or "") if self.is_bound else ""
        if province not in dict(self.fields["province"].choices):
            province = ""
        self.fields["regency"].choices = _blank(_("All regencies and cities")) + [
            (region.code, region.name)
            for region in selectors.village_regencies_public(province=province)
        ]

    def filters(self) -> selectors.DirectoryFilters:
        if not self.is_valid():
            # An unknown choice (an old link) filters nothing rather than failing the page.
            data = {
                name: value for name, value in self.cleaned_data.items() if name not in self.errors
            }
        else:
            data = self.cleaned_data
        return selectors.DirectoryFilters(
            province=data.get("province", ""),
            regency=data.get("regency", ""),
            status=data.get("status", ""),
            pillar=data.get("pillar", ""),
            query=(data.get("q") or "").strip(),
        )


class PracticeFilterForm(forms.Form):
    pillar = forms.ChoiceField(
        label=_("Pillar"), required=False, choices=_blank(_("All pillars")) + Pillar.choices
    )
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = _blank(_("All provinces")) + [
            (region.code, region.name) for region in selectors.village_provinces_public()
        ]

    def values(self) -> dict[str, str]:
        self.is_valid()
        return {
            name: self.cleaned_data.get(name, "")
            for name in ("pillar", "province")
            if name not in self.errors
        }
