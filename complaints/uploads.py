"""Checks for reporters' files: type by content, size, active PDF content, metadata removal.

A file's name and declared type are the sender's claims; only its bytes count. Images are decoded
and re-encoded with Pillow, which drops EXIF (GPS position, phone model, time) and anything
appended after the image data. PDFs cannot be re-encoded safely here, so any PDF that carries
JavaScript, a launch action or an embedded file is refused.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
import zlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.images import (
    MAX_IMAGE_PIXELS,
    ImageUnreadable,
    image_decode_untrusted,
    image_encode_jpeg,
)

ALLOWED_TYPES = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
# A phone photo of a contract is a few megapixels; 40 MP leaves room and stops decompression bombs.
# Names in a PDF may hide letters as #xx escapes (/J#61vaScript); streams may be compressed.
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
# Inflating every stream of a 10 MB PDF is bounded so that a zip bomb cannot exhaust memory.
_PDF_MAX_INFLATED = 50 * 1024 * 1024
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()]+", re.UNICODE)


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: the bytes to store (re-encoded for images) and their facts."""

    content: bytes
    content_type: str
    extension: str
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def storage_name(self) -> str:
        # The stored name is random: the reporter's file name never becomes a path.
        return f"{uuid.uuid4().hex}.{self.extension}"


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def max_attachments() -> int:
    return int(getattr(settings, "MAX_ATTACHMENTS", 5))


def sanitise_file_name(raw: str, *, extension: str) -> str:
    """The last path component, without control characters or odd symbols, ending in the
    extension its content proved (a "photo.jpg" that is a PDF is kept as "photo.pdf")."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" ._")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:80] or "lampiran"
    return f"{stem}.{extension}"


def upload_check(uploaded) -> CheckedFile:
    """Check one uploaded file (a Django UploadedFile or any object with read/size/name)."""
    limit = max_upload_bytes()
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The file %(name)s is larger than %(limit)s MB."),
            code="file_too_large",
            params={"name": _display_name(uploaded), "limit": limit // (1024 * 1024)},
        )
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file %(name)s is larger than %(limit)s MB."),
            code="file_too_large",
            params={"name": _display_name(uploaded), "limit": limit // (1024 * 1024)},
        )
    if not data:
        raise ValidationError(
            _("The file %(name)s is empty."),
            code="file_empty",
            params={"name": _display_name(uploaded)},
        )
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("The file %(name)s is not a JPEG or PNG photo or a PDF document."),
            code="file_type",
            params={"name": _display_name(uploaded)},
        )
    if mime == "application/pdf":
        _pdf_check(data, uploaded)
        content = data
    else:
        content = _image_reencode(data, mime, uploaded)
    extension = ALLOWED_TYPES[mime]
    return CheckedFile(
        content=content,
        content_type=mime,
        extension=extension,
        original_name=sanitise_file_name(getattr(uploaded, "name", ""), extension=extension),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _display_name(uploaded) -> str:
    return sanitise_file_name(getattr(uploaded, "name", ""), extension="")[:-1] or "?"


def _image_reencode(data: bytes, mime: str, uploaded) -> bytes:
    try:
        image = image_decode_untrusted(data, max_pixels=MAX_IMAGE_PIXELS)
    except ImageUnreadable as error:
        raise ValidationError(
            _("The photo %(name)s cannot be read. Please send another photo."),
            code="file_broken",
            params={"name": _display_name(uploaded)},
        ) from error
    if mime == "image/jpeg":
        return image_encode_jpeg(image)
    output = io.BytesIO()
    mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
    image.convert(mode).save(output, "PNG", optimize=True)
    return output.getvalue()


def _pdf_active_content(blob: bytes) -> bool:
    return bool(_PDF_ACTIVE.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), blob)))


def _pdf_check(data: bytes, uploaded) -> None:
    error = ValidationError(
        _(
            "The PDF %(name)s contains scripts or embedded programs and cannot be accepted. "
            "Please send a photo or a plain PDF."
        ),
        code="file_active_content",
        params={"name": _display_name(uploaded)},
    )
    if _pdf_active_content(data):
        raise error
    budget = _PDF_MAX_INFLATED
    for match in _PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not a Flate stream (images, other filters): nothing to read as names
        budget -= len(inflated)
        if _pdf_active_content(inflated):
            raise error
        if budget <= 0:
            raise error  # more compressed content than any plain scan: refuse rather than guess
