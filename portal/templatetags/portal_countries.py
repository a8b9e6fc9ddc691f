"""`{{ code|country_name }}`: a country's name in the reader's language (portal.countries)."""

from django import template

from portal.countries import country_name as _country_name

register = template.Library()


@register.filter
def country_name(code) -> str:
    return _country_name(getattr(code, "code", code) or "")
