"""Indonesian is the default language and complete: every msgid of our own has a translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.support import require

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted((ROOT / "locale" / "id" / "LC_MESSAGES").glob("*.po"))


def test_indonesian_catalogue_exists():
    assert any(path.name == "django.po" for path in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_every_indonesian_entry_is_translated(path):
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue if not entry.translated() and not entry.obsolete]
    assert missing == [], f"{len(missing)} untranslated in {path.name}: {missing[:20]}"


def test_catalogue_holds_every_string_of_the_source(tmp_path):
    """Run makemessages into a copy; any new msgid means a string was added without translating."""
    require(bool(shutil.which("xgettext")), "gettext is not installed (CI installs it)")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "staticfiles", "node_modules", "*.mo", "__pycache__"
        ),
    )
    subprocess.run(
        [sys.executable, "scripts/make_messages.py"], cwd=copy, check=True, capture_output=True
    )
    for path in CATALOGUES:
        fresh = polib.pofile(str(copy / "locale" / "id" / "LC_MESSAGES" / path.name))
        committed = {entry.msgid for entry in polib.pofile(str(path))}
        new = sorted({entry.msgid for entry in fresh} - committed)
        assert new == [], f"strings missing from locale/id/{path.name}: {new[:20]}"
