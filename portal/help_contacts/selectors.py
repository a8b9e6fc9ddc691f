"""Reads of the help directory: the contacts of one destination country, then the ministry's
hotlines that serve every country (empty country)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

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


def help_country_name(*, code: str) -> str:
    """The country's name in the active language (portal.countries: Indonesian names too)."""
    from portal.countries import country_name

    return country_name(code)


def help_contacts_for_page(*, country: str) -> list:
    """A country's contacts for a public page (embassy first); empty without a known country."""
    code = str(country or "").strip().upper()[:2]
    if not code:
        return []
    return list(help_contact_list(country=code, include_national=False))
