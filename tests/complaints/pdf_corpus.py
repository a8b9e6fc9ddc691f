"""A small PDF writer for the hostile-PDF corpus: every shape is built here, byte by byte, so the
tests need no sample files and show exactly what each hostile document contains."""

from __future__ import annotations

import binascii
import zlib


def stream(entries: bytes, data: bytes, *, eol_before_end: bool = True) -> bytes:
    """A stream object's body; without the EOL, `endstream` follows the data directly."""
    return (
        b"<< "
        + entries
        + b" /Length %d >>\nstream\n" % len(data)
        + data
        + (b"\n" if eol_before_end else b"")
        + b"endstream"
    )


def pdf_classic(objects: list[bytes], *, trailer: bytes = b"", padding: int = 0) -> bytes:
    """Objects 1..n in order, a classic cross-reference table; object 1 is the catalog.
    `padding` adds a comment line of that many bytes in all after the header (for sizes)."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    if padding:
        assert padding >= 2
        out += b"%" + b"0" * (padding - 2) + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return out


def pdf_with_object_stream(
    plain: list[bytes],
    packed: list[bytes],
    *,
    stream_filter: str = "",
    eol_before_end: bool = True,
) -> bytes:
    """Objects 1..p written plainly (1 is the catalog), objects p+1..p+k packed into an object
    stream (number p+k+1), found through a cross-reference stream (number p+k+2), as PDF 1.5+
    writers do. The object stream is encoded with /ASCIIHexDecode or /FlateDecode if asked."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    entries: list[tuple[int, int, int]] = [(0, 0, 65535)]
    for number, body in enumerate(plain, start=1):
        entries.append((1, len(out), 0))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    first_packed = len(plain) + 1
    stream_number = first_packed + len(packed)
    header_parts, bodies, position = [], b"", 0
    for index, body in enumerate(packed):
        header_parts.append(b"%d %d" % (first_packed + index, position))
        bodies += body + b"\n"
        position = len(bodies)
        entries.append((2, stream_number, index))
    header = b" ".join(header_parts) + b"\n"
    content = header + bodies
    filter_entry = b""
    if stream_filter == "ASCIIHexDecode":
        content = binascii.hexlify(content) + b">"
        filter_entry = b"/Filter /ASCIIHexDecode "
    elif stream_filter == "FlateDecode":
        content = zlib.compress(content)
        filter_entry = b"/Filter /FlateDecode "
    entries.append((1, len(out), 0))
    out += (
        b"%d 0 obj\n" % stream_number
        + stream(
            b"/Type /ObjStm /N %d /First %d " % (len(packed), len(header)) + filter_entry,
            content,
            eol_before_end=eol_before_end,
        )
        + b"\nendobj\n"
    )
    xref_number = stream_number + 1
    xref_at = len(out)
    entries.append((1, xref_at, 0))
    rows = b"".join(
        kind.to_bytes(1, "big") + field2.to_bytes(4, "big") + field3.to_bytes(2, "big")
        for kind, field2, field3 in entries
    )
    out += (
        b"%d 0 obj\n" % xref_number
        + stream(
            b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % (xref_number + 1),
            rows,
        )
        + b"\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return out


CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s>>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R %s>>"
TEXT = stream(b"/Filter /FlateDecode", zlib.compress(b"BT /F1 12 Tf 72 720 Td (Kontrak) Tj ET"))


def one_page(
    *, catalog: bytes = b"", page: bytes = b"", extra: list[bytes] = (), padding: int = 0
) -> bytes:
    """A one-page document; `catalog` and `page` add entries, `extra` objects 5, 6, ..."""
    return pdf_classic([CATALOG % catalog, PAGES, PAGE % page, TEXT, *extra], padding=padding)


def one_page_of_size(size: int) -> bytes:
    """A well-formed one-page document of exactly `size` bytes."""
    padding = size - len(one_page())
    while len(one_page(padding=padding)) != size:  # the end offset may gain digits
        padding += size - len(one_page(padding=padding))
    return one_page(padding=padding)
