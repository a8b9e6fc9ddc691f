"""Backup and restore time and size (`manage.py backup` / `manage.py restore`) on PostgreSQL.

Run against a database of its own, seeded first (`seed_demo --complaints N`); this script adds
`--attachments` files (about 20 KB of JPEG each, written to PRIVATE_MEDIA_ROOT as intake would),
then times a backup, and a restore into a new empty database and media folder, both dropped after.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench PRIVATE_MEDIA_ROOT=/tmp/media \
        .venv/bin/python bench/backup.py --attachments 10000
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django

setup_django()

from django.db import connection  # noqa: E402
from PIL import Image  # noqa: E402

from complaints.models import Attachment, Complaint  # noqa: E402


def jpeg(seed: int) -> bytes:
    image = Image.effect_noise((96, 96), 40 + seed % 50).convert("RGB")
    output = io.BytesIO()
    image.save(output, "JPEG", quality=90)
    return output.getvalue()


def attachments_ensure(count: int) -> None:
    have = Attachment.objects.count()
    if have >= count:
        return
    storage = Attachment._meta.get_field("file").storage
    ids = list(Complaint.objects.order_by("id").values_list("id", flat=True)[: count - have])
    rows = []
    for index, complaint_id in enumerate(ids):
        content = jpeg(index)
        name = storage.save(f"attachments/bench/{complaint_id}-{index}.jpg", io.BytesIO(content))
        rows.append(
            Attachment(
                complaint_id=complaint_id,
                file=name,
                original_name="foto.jpg",
                content_type="image/jpeg",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    Attachment.objects.bulk_create(rows, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attachments", type=int, default=10_000)
    args = parser.parse_args()
    attachments_ensure(args.attachments)
    complaints = Complaint.objects.count()
    files = Attachment.objects.count()
    connection.close()
    database = connection.settings_dict
    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    archive = work / "portal.tar"
    manage = [sys.executable, "manage.py"]
    started = time.monotonic()
    subprocess.run([*manage, "backup", str(archive)], check=True)
    backup_seconds = time.monotonic() - started
    target = f"{database['NAME']}_restore_drill"
    subprocess.run(
        ["dropdb", "-U", "postgres", "-h", "127.0.0.1", "--if-exists", target], check=True
    )
    subprocess.run(["createdb", "-U", "postgres", "-h", "127.0.0.1", target], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{target}",
        "PRIVATE_MEDIA_ROOT": str(work / "restored-media"),
        "PORTAL_DATA_DIR": str(work / "var"),
    }
    try:
        started = time.monotonic()
        subprocess.run([*manage, "restore", str(archive)], check=True, env=env)
        restore_seconds = time.monotonic() - started
    finally:
        subprocess.run(["dropdb", "-U", "postgres", "-h", "127.0.0.1", target], check=False)
    size = archive.stat().st_size
    shutil.rmtree(work)
    print(
        f"| {complaints:,} complaints, {files:,} attachments | backup {backup_seconds:.1f} s | "
        f"archive {size / 1e6:.1f} MB | restore (verified) {restore_seconds:.1f} s |"
    )


if __name__ == "__main__":
    main()
