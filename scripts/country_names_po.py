"""Write portal/data/locale/id/LC_MESSAGES/django.po from portal/data/country_names_id.json.

django-countries ships no Indonesian catalogue. This catalogue gives each of its English country
names (official and common, exactly as django-countries marks them for translation) the
Indonesian name from the JSON, so that every place that shows a country through django-countries
(forms, admin filters, `{% get_country %}`, exports) speaks Indonesian; `portal.countries` is the
one function the portal's own code calls. Run after editing the JSON; tests check both agree.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import polib  # noqa: E402

from portal.countries import NAMES_ID_PATH, country_msgids  # noqa: E402

PO_PATH = ROOT / "portal" / "data" / "locale" / "id" / "LC_MESSAGES" / "django.po"


def build() -> polib.POFile:
    names = json.loads(NAMES_ID_PATH.read_text(encoding="utf-8"))
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": "portal country names",
        "Language": "id",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    seen: set[str] = set()
    for code, msgid in country_msgids():
        if msgid in seen or code not in names:
            continue
        seen.add(msgid)
        po.append(polib.POEntry(msgid=msgid, msgstr=names[code], occurrences=[(code, "")]))
    return po


def main() -> None:
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    build().save(str(PO_PATH))
    print(f"{PO_PATH.relative_to(ROOT)} written")


if __name__ == "__main__":
    main()
