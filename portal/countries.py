"""Country names in the reader's language: the one place every page, filter, export, API label
and chart asks.

django-countries ships no Indonesian catalogue. Indonesian names live in
portal/data/country_names_id.json (generated from Debian's iso-codes translations, iso_3166-1,
LGPL-2.1+, with a few corrections to common Indonesian usage: Taiwan, Ceko, ...), and
portal/data/locale/id/LC_MESSAGES/django.po gives django-countries' own English names those
Indonesian translations (scripts/country_names_po.py writes it from the JSON), so that country
names rendered by django-countries itself (form fields, admin filters, `{% get_country %}`) are
Indonesian too. Lists are sorted by the language's own order: letters compared without their
accents and case ("Åland" beside "Aland"), then by the exact name.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django_countries import countries

NAMES_ID_PATH = Path(__file__).resolve().parent / "data" / "country_names_id.json"


@cache
def _names_id() -> dict[str, str]:
    return json.loads(NAMES_ID_PATH.read_text(encoding="utf-8"))


def _language(language: str | None) -> str:
    return (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]


def country_name(code: str, *, language: str | None = None) -> str:
    """The name of the ISO 3166-1 alpha-2 `code` in `language` (default: the active one);
    the code itself when it is unknown."""
    code = str(code or "").upper()
    if not code:
        return ""
    if _language(language) == "id":
        name = _names_id().get(code)
        if name:
            return name
    with translation.override(_language(language)):
        return str(countries.name(code)) or code


def collation_key(text: str) -> tuple[str, str]:
    """Sort key of a name in Indonesian or English: letters without accents and case first."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return (base.casefold(), text)


def country_sorted(codes: Iterable[str], *, language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs of `codes`, ordered by name in `language`."""
    language = _language(language)
    pairs = [(code, country_name(code, language=language)) for code in codes]
    return sorted(pairs, key=lambda pair: collation_key(pair[1]))


def country_choices(
    *, exclude: tuple[str, ...] = ("ID",), first: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """The main destination countries first (COUNTRIES_FIRST), then all others by name."""
    language = _language(None)
    first = [
        code
        for code in (getattr(settings, "COUNTRIES_FIRST", []) if first is None else first)
        if code not in exclude
    ]
    rest = country_sorted(
        (code for code, _name in countries if code not in exclude and code not in first),
        language=language,
    )
    return [(code, country_name(code, language=language)) for code in first] + rest


def country_msgids() -> list[tuple[str, str]]:
    """(code, English msgid) of every name django-countries marks for translation, official and
    common; what scripts/country_names_po.py translates."""
    from django_countries import data

    def msgid(name) -> str:
        args = getattr(name, "_args", None)
        return str(args[0]) if args else str(name)

    pairs = [(code, msgid(name)) for code, name in data.COUNTRIES.items()]
    pairs += [(code, msgid(name)) for code, name in countries.COMMON_NAMES.items()]
    return pairs
