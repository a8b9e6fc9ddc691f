"""Refresh the translation catalogues from the source (needs gettext's xgettext).

Holds a lock so that several people (or agents) working in one tree do not overwrite each other.
Usage: python scripts/make_messages.py [translations.json]
A JSON file {"msgid": "terjemahan", ...} fills Indonesian translations of those msgids afterwards.
"""

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
IGNORES = [".venv", "staticfiles", "var", "tests", "bench", "scripts", "node_modules", "*.egg-info"]


def _makemessages() -> None:
    base = [sys.executable, "manage.py", "makemessages", "-l", "id", "-l", "en", "--no-obsolete"]
    for pattern in IGNORES:
        base += ["--ignore", pattern]
    env = {**os.environ, "DEBUG": "1"}
    subprocess.run(base, cwd=ROOT, check=True, env=env)
    subprocess.run([*base, "-d", "djangojs"], cwd=ROOT, check=True, env=env)


def _fill(translations: dict[str, str]) -> int:
    filled = 0
    for po_path in (ROOT / "locale" / "id" / "LC_MESSAGES").glob("*.po"):
        catalogue = polib.pofile(str(po_path), wrapwidth=100)
        for entry in catalogue:
            if entry.msgid in translations:
                value = translations[entry.msgid]
                if entry.msgid_plural and isinstance(value, list):
                    entry.msgstr_plural = dict(enumerate(value))
                else:
                    entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                filled += 1
        catalogue.save()
    return filled


def main() -> None:
    lock_path = ROOT / "locale" / ".lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _makemessages()
        if len(sys.argv) > 1:
            translations = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
            print(f"filled {_fill(translations)} translations")


if __name__ == "__main__":
    main()
