"""Form fields of safe contact, shared by the public form and staff intake."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# The hours offered for safe contact: whole and half hours are what people say.
SAFE_HOURS = [("", _("Any time"))] + [
    (f"{hour:02d}:{minute:02d}", f"{hour:02d}.{minute:02d}")
    for hour in range(24)
    for minute in (0, 30)
]


def safe_contact_fields() -> dict[str, forms.Field]:
    """The structured safe-contact fields, shared by the staff form (and any form that asks)."""
    return {
        "safe_contact_from": forms.TimeField(
            label=_("Safe to contact from (local time)"),
            required=False,
            widget=forms.Select(choices=SAFE_HOURS),
        ),
        "safe_contact_until": forms.TimeField(
            label=_("Safe to contact until (local time)"),
            required=False,
            widget=forms.Select(choices=SAFE_HOURS),
            help_text=_("Messages wait until this window opens, e.g. 21.00 to 23.00."),
        ),
        "discreet": forms.BooleanField(
            label=_("Discreet messages only"),
            help_text=_(
                'Messages say only "Portal PMI: ada pembaruan, kode PMI-…": no word about '
                "complaints, employers or agencies."
            ),
            required=False,
        ),
    }
