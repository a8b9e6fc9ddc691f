"""Reference data the portal ships with: the ministry, the BP3MI offices and demo posts.

Admins edit these rows afterwards; seeding only creates what is missing and never overwrites edits.
The coverage follows the 23 BP3MI offices for 38 provinces (some cover their neighbours).
"""

MINISTRY = {
    "code": "kemenp2mi",
    "name": "Kementerian Pelindungan Pekerja Migran Indonesia (KemenP2MI)",
    "email": "pengaduan@kemenp2mi.go.id",
}

# (code, name, province codes covered)
BP3MI_OFFICES: list[tuple[str, str, list[str]]] = [
    ("bp3mi-aceh", "BP3MI Aceh", ["11"]),
    ("bp3mi-sumut", "BP3MI Sumatera Utara", ["12"]),
    ("bp3mi-sumbar", "BP3MI Sumatera Barat", ["13", "17"]),
    ("bp3mi-riau", "BP3MI Riau", ["14"]),
    ("bp3mi-sumsel", "BP3MI Sumatera Selatan", ["15", "16", "19"]),
    ("bp3mi-lampung", "BP3MI Lampung", ["18"]),
    ("bp3mi-kepri", "BP3MI Kepulauan Riau", ["21"]),
    ("bp3mi-dki", "BP3MI DKI Jakarta", ["31"]),
    ("bp3mi-jabar", "BP3MI Jawa Barat", ["32"]),
    ("bp3mi-jateng", "BP3MI Jawa Tengah", ["33"]),
    ("bp3mi-diy", "BP3MI DI Yogyakarta", ["34"]),
    ("bp3mi-jatim", "BP3MI Jawa Timur", ["35"]),
    ("bp3mi-banten", "BP3MI Banten", ["36"]),
    ("bp3mi-bali", "BP3MI Bali", ["51"]),
    ("bp3mi-ntb", "BP3MI Nusa Tenggara Barat", ["52"]),
    ("bp3mi-ntt", "BP3MI Nusa Tenggara Timur", ["53"]),
    ("bp3mi-kalbar", "BP3MI Kalimantan Barat", ["61", "62"]),
    ("bp3mi-kaltim", "BP3MI Kalimantan Timur", ["63", "64"]),
    ("bp3mi-kaltara", "BP3MI Kalimantan Utara", ["65"]),
    ("bp3mi-sulsel", "BP3MI Sulawesi Selatan", ["72", "73", "74", "76"]),
    ("bp3mi-sulut", "BP3MI Sulawesi Utara", ["71", "75"]),
    ("bp3mi-maluku", "BP3MI Maluku", ["81", "82"]),
    ("bp3mi-papua", "BP3MI Papua", ["91", "92", "93", "94", "95", "96"]),
]

# (code, name, parent BP3MI code, regency codes covered): posts in large sending regencies.
POSTS: list[tuple[str, str, str, list[str]]] = [
    ("p4mi-tulungagung", "P4MI Tulungagung", "bp3mi-jatim", ["35.04"]),
    ("p4mi-malang", "P4MI Malang", "bp3mi-jatim", ["35.07"]),
    ("p4mi-banyuwangi", "P4MI Banyuwangi", "bp3mi-jatim", ["35.10"]),
    ("p4mi-indramayu", "P4MI Indramayu", "bp3mi-jabar", ["32.12"]),
    ("p4mi-cirebon", "P4MI Cirebon", "bp3mi-jabar", ["32.09"]),
    ("p4mi-cilacap", "P4MI Cilacap", "bp3mi-jateng", ["33.01"]),
    ("p4mi-lombok-timur", "P4MI Lombok Timur", "bp3mi-ntb", ["52.03"]),
]
