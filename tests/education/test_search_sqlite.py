"""The forgiving search gives the same answers on SQLite (`make run`) as on PostgreSQL.

The SQLite leg runs in a subprocess with no DATABASE_URL (the portal's default set-up, its
migrations loading the starter content); the same queries run in this process on the suite's
database (PostgreSQL in CI), and both must give the oracle's corrections and suggestions.
"""

import json

import pytest

from education.content.loader import load_starter_content
from education.search import content_search
from tests.support import run_on_fresh_sqlite_portal

pytestmark = pytest.mark.slow

# (language, typed, what is searched instead, what is offered beside the results)
CASES = [
    ("id", "pasprot", "paspor", None),
    ("id", "paspo", None, "paspor"),
    ("id", "paspor", None, None),
    ("en", "pasport", "passport", None),
    ("en", "passpo", None, "passport"),
    ("en", "passport", None, None),
]
FAQ_PASSPORT = "Bolehkah majikan atau agen menyimpan paspor saya?"
GUIDE_DOCUMENTS = "Dokumen wajib sebelum berangkat"

SCRIPT = """
import json
import sys

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
from education.search import content_search

answers = []
for language, typed in json.loads(sys.argv[1]):
    result = content_search(query=typed, language=language)
    answers.append({
        "corrected": result.corrected,
        "suggestion": result.suggestion,
        "titles": [hit.title for hit in result.hits],
    })
print(json.dumps({"vendor": django.db.connection.vendor, "answers": answers}))
"""


def _answer(result) -> dict:
    return {
        "corrected": result.corrected,
        "suggestion": result.suggestion,
        "titles": [hit.title for hit in result.hits],
    }


def _check(answers: list[dict]) -> None:
    for (_language, typed, corrected, suggestion), answer in zip(CASES, answers, strict=True):
        assert (answer["corrected"], answer["suggestion"]) == (corrected, suggestion), typed
        assert answer["titles"], typed
    # "pasprot" finds the passport guide and the FAQ answer
    assert FAQ_PASSPORT in answers[0]["titles"]
    assert GUIDE_DOCUMENTS in answers[0]["titles"]


def test_search_on_sqlite_corrects_and_suggests_like_the_suite_database(tmp_path, db):
    # given: the suite's database (PostgreSQL in CI) with the starter content
    load_starter_content()
    here = [_answer(content_search(query=typed, language=lang)) for lang, typed, *_ in CASES]
    # when: the same queries on a fresh SQLite portal
    result = run_on_fresh_sqlite_portal(
        SCRIPT,
        json.dumps([[lang, typed] for lang, typed, *_ in CASES]),
        data_dir=tmp_path / "var",
    )
    # then: both databases give the oracle's answers, and the same results in the same order
    assert result["vendor"] == "sqlite"
    _check(result["answers"])
    _check(here)
    assert result["answers"] == here
