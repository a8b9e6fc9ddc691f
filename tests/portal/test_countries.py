"""portal.countries: one country-name function, Indonesian in `id`, English in `en`."""

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import polib
from django.utils import translation
from django_countries import countries

from portal.countries import country_choices, country_name

ROOT = Path(__file__).resolve().parents[2]
NAMES_ID = json.loads((ROOT / "portal/data/country_names_id.json").read_text())


def test_names_follow_the_language():
    assert country_name("JP", language="id") == "Jepang"
    assert country_name("JP", language="en") == "Japan"
    with translation.override("id"):
        assert country_name("KR") == "Korea Selatan"
        # django-countries itself speaks Indonesian through the generated catalogue
        assert str(countries.name("SA")) == "Arab Saudi"


def test_choices_put_the_main_destinations_first_then_sort_without_accents_or_case(settings):
    settings.COUNTRIES_FIRST = ["MY", "SA"]
    with translation.override("id"):
        choices = country_choices()
    rest = [name for _code, name in choices[2:]]

    def plain(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", name)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    assert [code for code, _name in choices[:2]] == ["MY", "SA"]
    assert "ID" not in dict(choices)
    assert [plain(name) for name in rest] == sorted(plain(name) for name in rest)
    assert len(choices) == len(NAMES_ID) - 1


def test_generated_catalogue_matches_the_names_file(tmp_path):
    # given: the committed catalogue
    committed = ROOT / "portal/data/locale/id/LC_MESSAGES/django.po"
    entries = {entry.msgid: entry.msgstr for entry in polib.pofile(str(committed))}
    # then: every translation is the JSON's Indonesian name of some country
    assert set(entries.values()) <= set(NAMES_ID.values())
    assert entries["Japan"] == NAMES_ID["JP"]
    assert entries["Åland Islands"] == NAMES_ID["AX"]
    # and regenerating it changes nothing
    before = committed.read_text()
    subprocess.run([sys.executable, str(ROOT / "scripts/country_names_po.py")], check=True)
    assert committed.read_text() == before
