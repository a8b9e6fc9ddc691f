"""Reads of the help directory: the contacts of one destination country, then the ministry's
hotlines that serve every country (empty country)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import get_language
from django_countries import countries

from portal.help_contacts.models import HelpContact


def help_contact_list(*, country: str = "", include_national: bool = True) -> QuerySet:
    """Active contacts for an ISO 3166-1 alpha-2 country (embassy first), then the hotlines."""
    code = str(country or "").strip().upper()[:2]
    queryset = HelpContact.objects.filter(is_active=True)
    if code:
        queryset = queryset.filter(country__in=[code, ""] if include_national else [code])
    elif not include_national:
        return HelpContact.objects.none()
    return queryset.annotate(
        national=Case(
            When(country="", then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("national", "sort_order", "name")


def help_contact_countries() -> list[str]:
    """Countries with at least one contact, for the pickers."""
    return sorted(
        set(
            HelpContact.objects.filter(is_active=True)
            .exclude(country="")
            .values_list("country", flat=True)
        )
    )


# django-countries has no Indonesian names; the seeded destinations get theirs here (portal may
# not read complaints' full catalogue: it imports no app above it).
_NAMES_ID = {
    "MY": "Malaysia",
    "SA": "Arab Saudi",
    "TW": "Taiwan",
    "HK": "Hong Kong",
    "SG": "Singapura",
    "KR": "Korea Selatan",
    "JP": "Jepang",
    "AE": "Persatuan Emirat Arab",
    "QA": "Qatar",
    "BN": "Brunei Darussalam",
}


def help_country_name(code: str) -> str:
    if (get_language() or "id").startswith("id") and code in _NAMES_ID:
        return _NAMES_ID[code]
    return str(countries.name(code))


def help_contacts_for_page(*, country: str) -> list:
    """A country's contacts for a public page (embassy first); empty without a known country."""
    code = str(country or "").strip().upper()[:2]
    if not code:
        return []
    return list(help_contact_list(country=code, include_national=False))
