"""Backups of the database and the private media in one archive, and their restore.

An archive is a tar file holding
    manifest.json         row counts per table, sha256 and size of every file, migrations applied
    database/db.dump      PostgreSQL: `pg_dump --format=custom`; SQLite: database/db.sqlite3 (a
                          consistent copy made with SQLite's online backup API)
    media/private/...     PRIVATE_MEDIA_ROOT (complaint attachments, photos)
    media/public/...      MEDIA_ROOT, when it has files
optionally encrypted as a whole with `age` to a public key (BACKUP_AGE_RECIPIENT): the archive then
holds personal data only in encrypted form, and only the holder of the private key can restore it.

On PostgreSQL the counts and the dump read the same snapshot (`pg_export_snapshot()` passed to
`pg_dump --snapshot`), so the manifest describes exactly what the dump holds even while the portal
keeps writing. Restore refuses a database that has any table, and media folders that have any file:
it never merges into live data.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from portal.exceptions import ApplicationError

FORMAT_VERSION = 1
AGE_MAGIC = b"age-encryption.org/v1"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    tables: int
    rows: int
    files: int
    encrypted: bool


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_roots() -> dict[str, Path]:
    return {"private": Path(settings.PRIVATE_MEDIA_ROOT), "public": Path(settings.MEDIA_ROOT)}


def _files_under(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _pg_args(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    database = connections[alias].settings_dict
    args = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _tables(cursor) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def _counts(cursor, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (introspected names)
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [list(row) for row in cursor.fetchall()]


def _dump_postgres(target: Path) -> dict:
    """Counts, migrations and the dump from one snapshot."""
    args, env = _pg_args()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _tables(cursor)
            counts = _counts(cursor, tables)
            migrations = _migrations(cursor)
            subprocess.run(
                [
                    *("pg_dump", "--format=custom", "--no-owner", "--no-acl"),
                    *("--snapshot", snapshot, "--file", str(target), *args),
                ],
                env=env,
                check=True,
                capture_output=True,
            )
        finally:
            cursor.execute("ROLLBACK")
    return {"vendor": "postgresql", "counts": counts, "migrations": migrations}


def _dump_sqlite(target: Path) -> dict:
    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)
    finally:
        source.close()
    try:
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = sorted(row[0] for row in cursor.fetchall())
        counts = {}
        for table in tables:
            counts[table] = cursor.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        migrations = [
            list(row)
            for row in cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        ]
    finally:
        copy.close()
    return {"vendor": "sqlite", "counts": counts, "migrations": migrations}


def backup_create(*, path: Path, recipient: str = "") -> BackupResult:
    """Write one archive to `path` (atomically: a partial file never has the final name)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="portal-backup-", dir=path.parent) as work:
        work_dir = Path(work)
        if connection.vendor == "postgresql":
            dump = work_dir / "db.dump"
            database = _dump_postgres(dump)
        elif connection.vendor == "sqlite":
            dump = work_dir / "db.sqlite3"
            database = _dump_sqlite(dump)
        else:
            raise ApplicationError(
                f"backups support PostgreSQL and SQLite, not {connection.vendor}"
            )
        files = {}
        for name, root in _media_roots().items():
            for file in _files_under(root):
                member = f"media/{name}/{file.relative_to(root).as_posix()}"
                files[member] = {"sha256": _sha256(file), "size": file.stat().st_size}
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {
                **database,
                "file": f"database/{dump.name}",
                "sha256": _sha256(dump),
                "size": dump.stat().st_size,
            },
            "files": files,
        }
        manifest_path = work_dir / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True))
        plain = work_dir / "archive.tar"
        with tarfile.open(plain, "w") as archive:
            archive.add(manifest_path, arcname="manifest.json")
            archive.add(dump, arcname=f"database/{dump.name}")
            for name, root in _media_roots().items():
                for file in _files_under(root):
                    archive.add(file, arcname=f"media/{name}/{file.relative_to(root).as_posix()}")
        partial = path.with_name(path.name + ".partial")
        if recipient:
            subprocess.run(
                [
                    "age",
                    "--encrypt",
                    "--recipient",
                    recipient,
                    "--output",
                    str(partial),
                    str(plain),
                ],
                check=True,
                capture_output=True,
            )
        else:
            shutil.move(plain, partial)
        partial.chmod(0o600)
        partial.replace(path)
    return BackupResult(
        path=path,
        size=path.stat().st_size,
        tables=len(database["counts"]),
        rows=sum(database["counts"].values()),
        files=len(files),
        encrypted=bool(recipient),
    )


# --- restore ------------------------------------------------------------------------------------


def _decrypt_if_needed(path: Path, work_dir: Path, identity: str) -> Path:
    with path.open("rb") as handle:
        encrypted = handle.read(len(AGE_MAGIC)) == AGE_MAGIC
    if not encrypted:
        return path
    if not identity:
        raise ApplicationError(
            "the archive is encrypted with age: give the private key file "
            "(--identity or BACKUP_AGE_IDENTITY_FILE)"
        )
    plain = work_dir / "archive.tar"
    result = subprocess.run(
        ["age", "--decrypt", "--identity", identity, "--output", str(plain), str(path)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ApplicationError(f"age could not decrypt the archive: {result.stderr.strip()}")
    return plain


def _database_is_empty() -> list[str]:
    with connection.cursor() as cursor:
        return _tables(cursor)


def _safe_member(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def backup_restore(*, path: Path, identity: str = "") -> dict:
    """Restore an archive into the empty database of DATABASE_URL and the empty media folders,
    checking every checksum before and every count after. Returns what was restored."""
    path = Path(path)
    if not path.is_file():
        raise ApplicationError(f"no such archive: {path}")
    existing = _database_is_empty()
    if existing:
        raise ApplicationError(
            f"the database is not empty ({len(existing)} tables, e.g. {existing[0]}): restore "
            "only into a new, empty database (createdb, then DATABASE_URL pointing to it)"
        )
    for name, root in _media_roots().items():
        if _files_under(root):
            raise ApplicationError(f"the {name} media folder is not empty: {root}")
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        work_dir = Path(work)
        plain = _decrypt_if_needed(path, work_dir, identity)
        extracted = work_dir / "extracted"
        with tarfile.open(plain, "r") as archive:
            members = archive.getmembers()
            unsafe = [
                m.name for m in members if not (_safe_member(m.name) and (m.isfile() or m.isdir()))
            ]
            if unsafe:
                raise ApplicationError(f"the archive has unsafe entries: {unsafe[:3]}")
            archive.extractall(extracted, filter="data")
        manifest_path = extracted / "manifest.json"
        if not manifest_path.is_file():
            raise ApplicationError("the archive has no manifest.json: not a portal backup")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise ApplicationError(f"unknown backup format {manifest.get('format')!r}")
        database = manifest["database"]
        # Every byte checked before anything is written.
        expected = {database["file"]: database["sha256"]}
        expected.update({name: entry["sha256"] for name, entry in manifest["files"].items()})
        for member, digest in expected.items():
            file = extracted / member
            if not file.is_file() or _sha256(file) != digest:
                raise ApplicationError(f"checksum mismatch for {member}: the archive is damaged")
        if database["vendor"] != connection.vendor:
            raise ApplicationError(
                f"the archive holds a {database['vendor']} database; DATABASE_URL is "
                f"{connection.vendor}"
            )
        if connection.vendor == "postgresql":
            connection.close()
            args, env = _pg_args()
            result = subprocess.run(
                [
                    *("pg_restore", "--no-owner", "--no-acl", "--exit-on-error"),
                    *("--single-transaction", *args, str(extracted / database["file"])),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise ApplicationError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
        else:
            connection.close()
            target = Path(settings.DATABASES["default"]["NAME"])
            shutil.copyfile(extracted / database["file"], target)
        for name, root in _media_roots().items():
            source = extracted / "media" / name
            if source.is_dir():
                root.mkdir(parents=True, exist_ok=True)
                shutil.copytree(source, root, dirs_exist_ok=True)
        # And checked again where it landed.
        with connection.cursor() as cursor:
            counts = _counts(cursor, _tables(cursor))
            migrations = _migrations(cursor)
    if counts != database["counts"]:
        different = sorted(
            table
            for table in set(counts) | set(database["counts"])
            if counts.get(table) != database["counts"].get(table)
        )
        raise ApplicationError(f"row counts differ from the manifest after restore: {different}")
    if migrations != database["migrations"]:
        raise ApplicationError("the migration state differs from the manifest after restore")
    for member, entry in manifest["files"].items():
        _prefix, name, relative = member.split("/", 2)
        if _sha256(_media_roots()[name] / relative) != entry["sha256"]:
            raise ApplicationError(f"checksum mismatch after restore: {member}")
    return {
        "tables": len(counts),
        "rows": sum(counts.values()),
        "files": len(manifest["files"]),
        "created_at": manifest["created_at"],
    }
