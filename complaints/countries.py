"""Destination countries with names in the reader's language.

django-countries ships no Indonesian catalogue, so Indonesian names come from
complaints/data/country_names_id.json: generated from Debian's iso-codes translations
(iso_3166-1, LGPL-2.1+) with a few corrections to common Indonesian usage (Taiwan, Ceko, ...).
English (and any other language) uses django-countries.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language
from django_countries import countries

NAMES_ID = Path(__file__).resolve().parent / "data" / "country_names_id.json"


@cache
def _names_id() -> dict[str, str]:
    return json.loads(NAMES_ID.read_text(encoding="utf-8"))


def country_name(code: str, *, language: str | None = None) -> str:
    language = (language or get_language() or "id")[:2]
    if language == "id":
        return _names_id().get(code) or str(countries.name(code))
    return str(countries.name(code))


def country_choices(*, exclude: tuple[str, ...] = ("ID",)) -> list[tuple[str, str]]:
    """The main destination countries first (COUNTRIES_FIRST), then all others by name."""
    language = (get_language() or "id")[:2]
    first = [code for code in getattr(settings, "COUNTRIES_FIRST", []) if code not in exclude]
    rest = sorted(
        (
            (code, country_name(code, language=language))
            for code, _name in countries
            if code not in exclude and code not in first
        ),
        key=lambda item: item[1].casefold(),
    )
    return [(code, country_name(code, language=language)) for code in first] + rest
