"""The forgiving search gives the oracle's corrections and suggestions on SQLite (`make run`) as on
PostgreSQL.

Marked `sqlite`: `make test` runs it on PostgreSQL in the main run and again on the portal's
default SQLite set-up (a second pytest with DATABASE_URL unset); the starter content comes from
the migrations on both.
"""

import pytest

from education.content.loader import load_starter_content
from education.search import content_search

pytestmark = pytest.mark.sqlite
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


def test_search_corrects_and_suggests_on_this_database(db):
    # given: the suite's database with the starter content
    load_starter_content()
    # when: the cases are searched
    answers = [_answer(content_search(query=typed, language=lang)) for lang, typed, *_ in CASES]
    # then: the oracle's corrections, suggestions and documents; a corrected word finds what the
    # word itself finds, in the same order
    _check(answers)
    assert answers[0]["titles"] == answers[2]["titles"]
    assert answers[3]["titles"] == answers[5]["titles"]
