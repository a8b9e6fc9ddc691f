"""Checks for reporters' files: type by content, size, active PDF content, metadata removal.

A file's name and declared type are the sender's claims; only its bytes count. Images are decoded
and re-encoded with Pillow, which drops EXIF (GPS position, phone model, time) and anything
appended after the image data. PDFs are parsed with pypdf, every object and stream decoded, and
any PDF that carries JavaScript, a launch, additional or open action, an embedded file, XFA or
rich media is refused, and so is one that cannot be parsed.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.images import (
    MAX_IMAGE_PIXELS,
    ImageTooLarge,
    ImageUnreadable,
    image_decode_untrusted,
    image_encode_jpeg,
    image_encode_png,
)

ALLOWED_TYPES = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
# Names in a PDF may hide letters as #xx escapes (/J#61vaScript); streams may be compressed.
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
# Decoding every stream of a 10 MB PDF is bounded so that a zip bomb cannot exhaust memory, and
# so is the number of objects (a 300-page scanned contract has a few thousand).
_PDF_MAX_INFLATED = 50 * 1024 * 1024
_PDF_MAX_OBJECTS = 100_000
_PDF_OBJECT_HEADER = re.compile(rb"(?<![0-9])(\d{1,10})[ \t\r\n]+\d{1,5}[ \t\r\n]+obj\b")
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
    except ImageTooLarge as error:
        raise ValidationError(
            _(
                "The photo %(name)s is too large (%(width)d x %(height)d pixels). "
                "Please send a smaller photo."
            ),
            code="file_too_many_pixels",
            params={"name": _display_name(uploaded), "width": error.width, "height": error.height},
        ) from error
    except ImageUnreadable as error:
        raise ValidationError(
            _("The photo %(name)s cannot be read. Please send another photo."),
            code="file_broken",
            params={"name": _display_name(uploaded)},
        ) from error
    try:
        if mime == "image/jpeg":
            return image_encode_jpeg(image)
        return image_encode_png(image)
    finally:
        image.close()  # the pixels go now, not when the request ends: files are checked in turn


def _pdf_active_content(blob: bytes) -> bool:
    return bool(_PDF_ACTIVE.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), blob)))


class _PdfRefused(Exception):
    """The parsed PDF carries active content."""


class _PdfUnreadable(Exception):
    """The PDF cannot be parsed, or is larger inside than any document a reporter sends."""


def _pdf_check(data: bytes, uploaded) -> None:
    """Parse the whole PDF with pypdf and refuse active content wherever it hides.

    Every object of the cross-reference tables and of every object stream is loaded (pypdf
    decodes filters and #xx escapes in names), and every stream is decoded. A file pypdf cannot
    parse is refused too: a viewer may still open it, and what it would run there is unknown.
    """
    params = {"name": _display_name(uploaded)}
    try:
        _pdf_inspect(data)
    except _PdfRefused as refused:
        raise ValidationError(
            _(
                "The PDF %(name)s contains scripts or embedded programs and cannot be accepted. "
                "Please send a photo or a plain PDF."
            ),
            code="file_active_content",
            params=params,
        ) from refused
    except Exception as error:  # pypdf raises many kinds on hostile input; all mean "unreadable"
        raise ValidationError(
            _(
                "The PDF %(name)s cannot be read (it may be damaged or protected with a "
                "password). Please send another copy, or a photo of the document."
            ),
            code="file_broken",
            params=params,
        ) from error


def _pdf_inspect(data: bytes) -> None:
    from pypdf import PdfReader  # imported here: only PDF uploads pay for the import
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        StreamObject,
        read_object,
    )

    # Names that make a viewer run, launch, fetch or unpack something, as dictionary keys or as
    # values (/S /JavaScript, /Type /EmbeddedFile, /Subtype /RichMedia).
    active = {
        "/JS",
        "/JavaScript",
        "/Launch",
        "/AA",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/XFA",
        "/RichMedia",
        "/RichMediaContent",
        "/RichMediaExecute",
        "/ImportData",
        "/SubmitForm",
        "/GoToE",
        "/GoToR",
        "/Rendition",
        "/Sound",
        "/Movie",
    }
    # Plain scan first: cheap, and sees objects no cross-reference table lists.
    if _pdf_active_content(data):
        raise _PdfRefused("active name in the raw bytes")
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise _PdfUnreadable("encrypted")  # its objects cannot be inspected
    budget = [_PDF_MAX_INFLATED]

    def walk(value, depth: int = 0) -> None:
        if depth > 64:
            raise _PdfUnreadable("nested too deep")
        if isinstance(value, IndirectObject):
            return  # every indirect object is visited from the cross-reference loop below
        if isinstance(value, DictionaryObject):
            for key, item in value.items():
                if key in active:
                    raise _PdfRefused(key)
                if key == "/OpenAction":
                    target = item.get_object() if isinstance(item, IndirectObject) else item
                    if isinstance(target, DictionaryObject):
                        raise _PdfRefused("/OpenAction with an action")
                walk(item, depth + 1)
            # Image data is pixels, not names: left to the viewer's decoder (JBIG2 and other
            # scanner codecs would need tools pypdf does not have).
            if isinstance(value, StreamObject) and value.get("/Subtype") != "/Image":
                decoded = value.get_data()
                budget[0] -= len(decoded)
                if budget[0] < 0:
                    raise _PdfUnreadable("more decoded content than any document")
                if _pdf_active_content(decoded):
                    raise _PdfRefused("active name in a decoded stream")
        elif isinstance(value, ArrayObject):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, str) and value in active:  # NameObject is a str
            raise _PdfRefused(value)

    walk(reader.trailer)
    numbers = {
        (number, generation) for generation, table in reader.xref.items() for number in table
    }
    numbers |= {(number, 0) for number in reader.xref_objStm}
    if len(numbers) > _PDF_MAX_OBJECTS:
        raise _PdfUnreadable("too many objects")
    for number, generation in sorted(numbers):
        obj = reader.get_object(IndirectObject(number, generation, reader))
        if obj is None:
            continue
        walk(obj)
    # Objects in the file that no table lists (earlier revisions, or appended after the end):
    # a lenient viewer that rebuilds the table would find them, so they are read as well.
    listed = {offset for table in reader.xref.values() for offset in table.values()}
    for count, match in enumerate(_PDF_OBJECT_HEADER.finditer(data)):
        if count > _PDF_MAX_OBJECTS:
            raise _PdfUnreadable("too many objects")
        if match.start(1) in listed:
            continue
        reader.stream.seek(
            match.end()
            + len(data[match.end() :][:64])
            - len(data[match.end() :][:64].lstrip(b" \t\r\n\f\x00"))
        )
        walk(read_object(reader.stream, reader))
