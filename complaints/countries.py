"""Destination countries: names and lists come from `portal.countries`, the one place."""

from portal.countries import country_choices, country_name

__all__ = ["country_choices", "country_name"]
