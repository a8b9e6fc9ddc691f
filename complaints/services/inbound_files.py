"""Files of a new incoming e-mail: kept with its draft through the form's upload checks.

Workflow: `inbound_files_check` runs every attached file through `upload_check` (type by
content, images re-encoded without metadata such as EXIF GPS, active PDFs refused) before any
transaction opens; `inbound_files_store` writes, inside the draft's transaction, one row per
file: the checked bytes in private storage, or, for a refused file, no bytes and the reason. A
refused or unstorable file never costs the mail: the draft is stored all the same. When an
officer records the draft through staff intake, `inbound_files_to_complaint` makes the kept files
the new complaint's attachments (same stored bytes, no second copy).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    InboundAttachment,
    InboundMessage,
)
from complaints.uploads import CheckedFile, max_attachments, sanitise_file_name, upload_check

logger = logging.getLogger(__name__)

NAME_MAX = 120


@dataclass(frozen=True)
class InboundFile:
    """One attached file after the checks: `checked` when it may be kept, else the refusal."""

    name: str
    checked: CheckedFile | None = None
    refused_code: str = ""
    refused_reason: str = ""


def _reason(text: str) -> str:
    return str(text)[:200]


def inbound_files_check(*, files: Iterable[tuple[str, bytes, str]]) -> list[InboundFile]:
    """Check (name, bytes, declared type) triples as the form checks uploads. The reasons are
    written in the portal's language, as the rest of the record (staff read them)."""
    verdicts = []
    with translation.override(settings.LANGUAGE_CODE):
        for position, (name, content, declared_type) in enumerate(files):
            shown = sanitise_file_name(name, extension="")[:-1][:NAME_MAX] or "lampiran"
            if position >= max_attachments():
                verdicts.append(
                    InboundFile(
                        name=shown,
                        refused_code="too_many",
                        refused_reason=_reason(
                            gettext("Only the first %(max)d files of a message are kept.")
                            % {"max": max_attachments()}
                        ),
                    )
                )
                continue
            try:
                checked = upload_check(
                    SimpleUploadedFile(name or "lampiran", content, content_type=declared_type)
                )
            except ValidationError as error:
                verdicts.append(
                    InboundFile(
                        name=shown,
                        refused_code=(error.code or "invalid")[:40],
                        refused_reason=_reason(" ".join(error.messages)),
                    )
                )
                continue
            verdicts.append(InboundFile(name=checked.original_name[:NAME_MAX], checked=checked))
    return verdicts


def inbound_files_store(
    *, message: InboundMessage, files: Sequence[InboundFile], stored_names: list[str]
) -> list[InboundAttachment]:
    """Write the rows of a draft's files (call inside its transaction). Names of written files
    go into `stored_names` so that the caller can remove them if the transaction rolls back."""
    rows = []
    for verdict in files:
        row = InboundAttachment(
            message=message,
            original_name=verdict.name,
            refused_code=verdict.refused_code,
            refused_reason=verdict.refused_reason,
        )
        checked = verdict.checked
        if checked is not None:
            try:
                row.file.save(checked.storage_name, ContentFile(checked.content), save=False)
            except OSError:
                # A full or unwritable disk must not lose the mail: the words are kept, the
                # file is recorded as not kept.
                logger.exception("a file of inbound message %s could not be stored", message.pk)
                with translation.override(settings.LANGUAGE_CODE):
                    row.refused_code = "storage"
                    row.refused_reason = _reason(gettext("The file could not be stored."))
            else:
                stored_names.append(row.file.name)
                row.content_type = checked.content_type
                row.size = checked.size
                row.sha256 = checked.sha256
        row.save()
        rows.append(row)
    return rows


def inbound_files_to_complaint(
    *, message: InboundMessage, complaint: Complaint, event: ComplaintEvent | None
) -> int:
    """The draft's kept files become the complaint's attachments (same stored bytes); the
    refused ones stay on the message as its record. Returns how many were moved."""
    kept = list(message.attachments.exclude(file=""))
    Attachment.objects.bulk_create(
        [
            Attachment(
                complaint=complaint,
                event=event,
                file=row.file.name,
                original_name=row.original_name,
                content_type=row.content_type,
                size=row.size,
                sha256=row.sha256,
                by_reporter=True,
            )
            for row in kept
        ]
    )
    # The bytes now belong to the complaint (its retention and deletion rules apply).
    InboundAttachment.objects.filter(pk__in=[row.pk for row in kept]).delete()
    return len(kept)
