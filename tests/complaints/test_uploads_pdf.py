"""Uploaded PDFs are parsed for real (issue 15, item 4): active content is refused wherever it
hides (object streams, filters, escaped names), unreadable PDFs are refused with a clear
message, and ordinary documents pass unchanged."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from complaints.uploads import upload_check
from tests.complaints.pdf_corpus import (
    CATALOG,
    PAGE,
    PAGES,
    TEXT,
    one_page,
    pdf_with_object_stream,
    stream,
)

JS_ACTION = b"<< /S /JavaScript /JS (app.alert(1)) >>"


def _check(content: bytes):
    return upload_check(SimpleUploadedFile("kontrak.pdf", content, "application/pdf"))


HOSTILE = {
    "open action javascript in a hex-encoded object stream": pdf_with_object_stream(
        [CATALOG % b"/OpenAction 6 0 R ", PAGES, PAGE % b"", TEXT],
        [b"<< /Type /Annot >>", b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"],
        stream_filter="ASCIIHexDecode",
    ),
    "open action javascript in a flate object stream, endstream right after the data": (
        pdf_with_object_stream(
            [CATALOG % b"/OpenAction 5 0 R ", PAGES, PAGE % b"", TEXT],
            [JS_ACTION],
            stream_filter="FlateDecode",
            eol_before_end=False,
        )
    ),
    "link whose action is javascript, in a hex-encoded object stream": pdf_with_object_stream(
        [CATALOG % b"", PAGES, PAGE % b"/Annots [5 0 R] ", TEXT],
        [b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A 6 0 R >>", JS_ACTION],
        stream_filter="ASCIIHexDecode",
    ),
    "additional action on a page opening a web address": one_page(
        page=b"/AA << /O << /S /URI /URI (https://evil.example/track) >> >> "
    ),
    "additional action hidden in an object stream": pdf_with_object_stream(
        [CATALOG % b"", PAGES, PAGE % b"/AA 5 0 R ", TEXT],
        [b"<< /O 6 0 R >>", b"<< /S /URI /URI (https://evil.example/) >>"],
        stream_filter="FlateDecode",
    ),
    "launch on open": one_page(catalog=b"/OpenAction << /S /Launch /F (cmd.exe) >> "),
    "web address on open": one_page(
        catalog=b"/OpenAction << /S /URI /URI (https://evil.example/) >> "
    ),
    "open action through a reference": one_page(
        catalog=b"/OpenAction 5 0 R ", extra=[b"<< /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >>"]
    )
    + b"",
    "embedded file": one_page(
        catalog=b"/Names << /EmbeddedFiles << /Names [(gaji.exe) 5 0 R] >> >> ",
        extra=[
            b"<< /Type /Filespec /F (gaji.exe) /EF << /F 6 0 R >> >>",
            stream(b"/Type /EmbeddedFile", b"MZ\x90\x00"),
        ],
    ),
    "embedded file with escaped names in an object stream": pdf_with_object_stream(
        [CATALOG % b"/Names 5 0 R ", PAGES, PAGE % b"", TEXT],
        [b"<< /Embedded#46iles << /Names [(a.exe) 6 0 R] >> >>", b"<< /Type /Filespec >>"],
        stream_filter="FlateDecode",
    ),
    "xfa form": one_page(
        catalog=b"/AcroForm << /Fields [] /XFA 5 0 R >> ",
        extra=[stream(b"", b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")],
    ),
    "rich media annotation": one_page(
        page=b"/Annots [5 0 R] ",
        extra=[b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>"],
    ),
    "javascript name tree with hex-escaped names": one_page(
        catalog=b"/Names << /J#61va#53cript << /Names [(a) 5 0 R] >> >> ",
        extra=[b"<< /S /J#61vaScript /J#53 5 0 R >>"],
    ),
    "javascript in a compressed stream not listed anywhere": one_page()
    + b"9 0 obj\n"
    + stream(b"/Filter /FlateDecode", zlib.compress(JS_ACTION))
    + b"\nendobj\n",
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_pdf_is_refused(content):
    # when
    with pytest.raises(ValidationError) as error:
        _check(content)
    # then
    assert error.value.code == "file_active_content"


def test_the_corpus_parses_as_pdf_so_the_refusal_is_about_content():
    """Each hostile document is well formed: pypdf reads its pages (the refusals above are not
    parse failures in disguise)."""
    from pypdf import PdfReader

    for content in HOSTILE.values():
        assert len(PdfReader(io.BytesIO(content)).pages) == 1


def _pillow_pdf() -> bytes:
    """What a phone's "save as PDF" of a photo looks like: an image on a page."""
    output = io.BytesIO()
    Image.new("RGB", (120, 80), (240, 240, 230)).save(output, "PDF")
    return output.getvalue()


def _pypdf_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Kontrak kerja"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


BENIGN = {
    "one page of text": one_page(),
    "open action that is only a destination": one_page(catalog=b"/OpenAction [3 0 R /Fit] "),
    "a link the reader may click": one_page(
        page=b"/Annots [5 0 R] ",
        extra=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] "
            b"/A << /S /URI /URI (https://bp2mi.go.id/) >> >>"
        ],
    ),
    "objects in a flate object stream": pdf_with_object_stream(
        [CATALOG % b"", PAGES, PAGE % b"", TEXT],
        [b"<< /Producer (Scanner) >>"],
        stream_filter="FlateDecode",
    ),
    "a photo saved as pdf": _pillow_pdf(),
    "a pdf written by pypdf": _pypdf_pdf(),
}


@pytest.mark.parametrize("content", BENIGN.values(), ids=BENIGN.keys())
def test_ordinary_pdf_is_accepted_unchanged(content):
    # when
    checked = _check(content)
    # then
    assert checked.content == content
    assert checked.content_type == "application/pdf"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n" + b"\x00\xff" * 200,
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF",
        one_page()[:-200],
    ],
    ids=["garbage after the header", "no pages at all", "cut off"],
)
def test_a_pdf_that_cannot_be_parsed_is_refused_with_a_message_in_the_users_language(content):
    # when
    messages = {}
    for language in ("en", "id"):
        with translation.override(language), pytest.raises(ValidationError) as error:
            _check(content)
        with translation.override(language):
            messages[language] = error.value.messages[0]
    # then
    assert error.value.code == "file_broken"
    assert "cannot be read" in messages["en"]
    assert "tidak dapat dibaca" in messages["id"]
    assert "kontrak" in messages["en"]
