"""Compile locale/**/*.po into .mo with polib, so `make run` needs no gettext binaries."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "staticfiles", "var"}


def main() -> None:
    compiled = 0
    for po_path in ROOT.rglob("locale/*/LC_MESSAGES/*.po"):
        if SKIP & set(po_path.relative_to(ROOT).parts):
            continue
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled += 1
    print(f"translations: {compiled} catalogue(s) compiled")


if __name__ == "__main__":
    main()
