"""`manage.py backup` and `manage.py restore`: a restore drill on the real PostgreSQL.

Data with attachments -> backup (encrypted with age) -> everything dropped (schema and media) ->
restore -> every complaint, event, attachment byte and access key works again.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection

from complaints.models import Attachment, Complaint, ComplaintEvent
from complaints.selectors import complaint_get_for_reporter
from complaints.services.intake import (
    complaint_reporter_message,
    complaint_submit,
)
from tests.complaints.factories import complaint_input
from tests.complaints.sla_support import holidays_ensure
from tests.complaints.test_intake_uploads import jpeg_with_exif, png_with_text, upload
from tests.complaints.triage_support import category_ensure
from tests.support import require

pytestmark = [
    pytest.mark.django_db(transaction=True),
]


# Where a test that needs no restore keeps the schema while the database looks empty.
SET_ASIDE = "public_set_aside"


@pytest.fixture(autouse=True)
def _schema_back():
    """A test that empties the database must not leave it without tables for the tests after it
    (the flush at teardown needs them): a schema set aside is put back (instant), else a database
    left empty (a restore that failed) is migrated again."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SET_ASIDE])
        if cursor.fetchone():
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute(f"ALTER SCHEMA {SET_ASIDE} RENAME TO public")
        empty = not connection.introspection.table_names(cursor)
    if empty:
        call_command("migrate", verbosity=0)


@pytest.fixture
def media(settings, tmp_path, monkeypatch):
    """Private media in a folder of this test. The attachments' FileField took its storage when
    the model was loaded, so it is pointed here too: dropping "everything" must never touch the
    developer's var/private."""
    private = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = private
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = FileSystemStorage(location=str(private), base_url=None)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return tmp_path


@pytest.fixture
def age_key(tmp_path) -> tuple[str, str]:
    require(shutil.which("age-keygen") is not None, "age is not installed (apt-get install age)")
    identity = tmp_path / "backup-key.txt"
    subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    recipient = next(
        line.split(": ", 1)[1]
        for line in identity.read_text().splitlines()
        if line.startswith("# public key: ")
    )
    return recipient, str(identity)


@pytest.fixture
def complaints_with_files(postgres, offices, media):
    category_ensure()
    holidays_ensure()
    receipts = [
        complaint_submit(
            data=complaint_input(), attachments=[upload("foto.jpg", jpeg_with_exif())]
        ),
        complaint_submit(data=complaint_input(is_anonymous=True, reporter_name="", phone="")),
    ]
    complaint_reporter_message(
        complaint=receipts[1].complaint,
        body="Ini bukti transfer gaji terakhir.",
        attachments=[upload("bukti.png", png_with_text(), "image/png")],
    )
    return receipts


def _attachment_bytes() -> dict[str, bytes]:
    result = {}
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as handle:
            result[attachment.sha256] = handle.read()
    return result


def _drop_everything(media_folder, *, set_aside: bool = False) -> None:
    """An empty database and no files, as on a new server. `set_aside`: for a test that restores
    nothing, the schema is only renamed (the restore sees no table in public), and put back after
    the test instead of migrating an empty database again."""
    with connection.cursor() as cursor:
        if set_aside:
            cursor.execute(f"ALTER SCHEMA public RENAME TO {SET_ASIDE}")
        else:
            cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    shutil.rmtree(media_folder / "private")


def test_restore_gives_back_every_complaint_event_file_and_key(
    complaints_with_files, media, age_key, tmp_path, client
):
    # given: two complaints, one with a photo, one with a message and a file
    recipient, identity = age_key
    keys = {receipt.reference: receipt.access_key for receipt in complaints_with_files}
    events = sorted(ComplaintEvent.objects.values_list("complaint__reference", "kind", "body"))
    files = _attachment_bytes()
    assert len(files) == 2
    archive = tmp_path / "backup" / "portal.tar.age"

    # when: backed up, encrypted to the operator's key
    call_command("backup", str(archive), recipient=recipient)
    # then: the archive reveals nothing without the key
    raw = archive.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1")
    assert b"Siti Aminah" not in raw
    assert b"manifest.json" not in raw

    # when: the database and the media are lost, and the archive is restored
    _drop_everything(media)
    call_command("restore", str(archive), identity=identity)

    # then: every complaint and its timeline is back
    assert set(Complaint.objects.values_list("reference", flat=True)) == set(keys)
    restored_events = ComplaintEvent.objects.values_list("complaint__reference", "kind", "body")
    assert sorted(restored_events) == events
    # and every attachment byte, read through the application's own storage
    restored = _attachment_bytes()
    assert restored == files
    assert all(hashlib.sha256(content).hexdigest() == sha for sha, content in restored.items())
    # and each reporter's key still opens their complaint, on the page and through the API
    for reference, key in keys.items():
        assert complaint_get_for_reporter(reference=reference, access_key=key) is not None
        response = client.post(
            "/api/v1/complaints/track/",
            data={"reference": reference, "access_key": key},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["reference"] == reference


def test_restore_refuses_a_database_that_is_not_empty(complaints_with_files, tmp_path):
    # given
    archive = tmp_path / "portal.tar"
    call_command("backup", str(archive), recipient="")
    before = Complaint.objects.count()
    # when / then
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    assert Complaint.objects.count() == before


def test_backup_manifest_counts_rows_hashes_files_and_records_migrations(
    complaints_with_files, tmp_path
):
    # given
    archive = tmp_path / "portal.tar"
    # when
    call_command("backup", str(archive), recipient="")
    # then
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["database"]["counts"]["complaints_complaint"] == 2
    assert manifest["database"]["counts"]["complaints_attachment"] == 2
    assert ["complaints", "0001_initial"] in manifest["database"]["migrations"]
    assert len(manifest["files"]) == 2
    for member, entry in manifest["files"].items():
        assert member in names
        assert hashlib.sha256(tar_member_bytes(archive, member)).hexdigest() == entry["sha256"]


def tar_member_bytes(archive, member: str) -> bytes:
    with tarfile.open(archive) as tar:
        return tar.extractfile(member).read()


def test_a_damaged_archive_is_refused_before_anything_is_written(
    complaints_with_files, media, tmp_path
):
    # given: a backup in which one attachment was altered after the manifest was written
    archive = tmp_path / "portal.tar"
    call_command("backup", str(archive), recipient="")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.startswith("media/private/"):
                content = content[:-1] + bytes([content[-1] ^ 0xFF])
            target.addfile(member, fileobj=io.BytesIO(content))
    _drop_everything(media, set_aside=True)
    # when / then
    with pytest.raises(CommandError, match="checksum mismatch"):
        call_command("restore", str(damaged))
    with connection.cursor() as cursor:
        assert connection.introspection.table_names(cursor) == []
