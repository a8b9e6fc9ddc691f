"""Files chosen on a complaint form that came back with an error.

The worker picked her photos, the form said "description too short": she should not have to pick
them again. The files are checked (type by content, images re-encoded without metadata, see
uploads.py) and kept in private storage under the form's submission token, hashed so that the
token never becomes a path; the second submit of the same form takes them. Kept files nobody
came back for are removed after a day (task `complaints.purge_pending_files`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from complaints.uploads import max_attachments, upload_check

PENDING_DIR = "pending"
# Long enough for a worker who is interrupted and comes back later that day, short enough that
# nothing a reporter abandoned stays around.
PENDING_MAX_AGE = timedelta(days=1)
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class PendingFile:
    name: str
    size: int


def _storage() -> Storage:
    return storages["private"]


def _folder(token: str) -> str:
    return f"{PENDING_DIR}/{hashlib.sha256(token.encode()).hexdigest()[:40]}"


def _manifest(token: str) -> dict[str, Any] | None:
    storage = _storage()
    path = f"{_folder(token)}/{MANIFEST}"
    if not token or not storage.exists(path):
        return None
    with storage.open(path, "rb") as handle:
        manifest: dict[str, Any] = json.loads(handle.read().decode())
        return manifest


def pending_files_keep(
    *, token: str, files: Iterable[UploadedFile] | None, now: datetime | None = None
) -> list[PendingFile]:
    """Keep the files that pass the checks (replacing any kept before) and return them; a file
    that fails is not kept (the second submit reports it again if chosen again)."""
    if not token or not files:
        return pending_files_list(token=token)
    pending_files_discard(token=token)
    storage = _storage()
    folder = _folder(token)
    entries: list[dict[str, Any]] = []
    for position, uploaded in enumerate(list(files)[: max_attachments()]):
        try:
            checked = upload_check(uploaded)
        except ValidationError:
            continue
        stored = storage.save(f"{folder}/{position}.{checked.extension}", _bytes(checked.content))
        entries.append(
            {
                "path": stored,
                "name": checked.original_name,
                "content_type": checked.content_type,
                "size": checked.size,
            }
        )
    if entries:
        created = (now or timezone.now()).isoformat()
        manifest = json.dumps({"created": created, "files": entries}).encode()
        storage.save(f"{folder}/{MANIFEST}", _bytes(manifest))
    return [PendingFile(name=entry["name"], size=entry["size"]) for entry in entries]


def pending_files_list(*, token: str) -> list[PendingFile]:
    manifest = _manifest(token)
    if not manifest:
        return []
    return [PendingFile(name=entry["name"], size=entry["size"]) for entry in manifest["files"]]


def pending_files_take(*, token: str) -> list[SimpleUploadedFile]:
    """The kept files as uploads, for `complaint_submit` (which checks them again)."""
    manifest = _manifest(token)
    if not manifest:
        return []
    storage = _storage()
    uploads = []
    for entry in manifest["files"]:
        if not storage.exists(entry["path"]):
            continue
        with storage.open(entry["path"], "rb") as handle:
            uploads.append(
                SimpleUploadedFile(entry["name"], handle.read(), content_type=entry["content_type"])
            )
    return uploads


def pending_files_discard(*, token: str) -> None:
    if not token:
        return
    _discard_folder(_folder(token))


def _discard_folder(folder: str) -> None:
    storage = _storage()
    if not storage.exists(folder):
        return
    _dirs, names = storage.listdir(folder)
    for name in names:
        storage.delete(f"{folder}/{name}")
    # Storage.delete() removes files only; the empty folder goes too where there is a path.
    with contextlib.suppress(OSError, NotImplementedError):
        os.rmdir(storage.path(folder))


def pending_files_purge(*, now: datetime | None = None) -> int:
    """Remove the kept files of forms older than PENDING_MAX_AGE; returns how many folders."""
    storage = _storage()
    if not storage.exists(PENDING_DIR):
        return 0
    limit = (now or timezone.now()) - PENDING_MAX_AGE
    removed = 0
    folders, _names = storage.listdir(PENDING_DIR)
    for folder in folders:
        path = f"{PENDING_DIR}/{folder}"
        manifest_path = f"{path}/{MANIFEST}"
        created = None
        if storage.exists(manifest_path):
            with storage.open(manifest_path, "rb") as handle:
                created = datetime.fromisoformat(json.loads(handle.read().decode())["created"])
        if created is None or created < limit:
            _discard_folder(path)
            removed += 1
    return removed


def _bytes(content: bytes) -> ContentFile[bytes]:
    from django.core.files.base import ContentFile

    return ContentFile(content)
