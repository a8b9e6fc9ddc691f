import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints.models import Attachment, Complaint
from complaints.services.intake import complaint_reporter_message, complaint_submit
from complaints.uploads import sanitise_file_name, upload_check
from tests.complaints.factories import complaint_input
from tests.complaints.pdf_corpus import one_page, one_page_of_size

pytestmark = [pytest.mark.django_db]

GPS_MARKER = b"GPSMARKER-7.2575,112.7521"


def jpeg_with_exif(*, size=(64, 48)) -> bytes:
    """A JPEG whose EXIF carries GPS coordinates and a camera model."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "PhoneModel-X"  # Model
    exif[0x010E] = GPS_MARKER.decode()  # ImageDescription: an easy marker to search for
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (7.0, 15.0, 27.0)
    gps[3] = "E"
    gps[4] = (112.0, 45.0, 7.0)
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif)
    return output.getvalue()


def png_with_text() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", GPS_MARKER.decode())
    output = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(output, "PNG", pnginfo=info)
    return output.getvalue()


PLAIN_PDF = one_page()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_jpeg_is_reencoded_without_exif_or_gps(offices):
    # given
    original = jpeg_with_exif()
    assert GPS_MARKER in original
    # when
    receipt = complaint_submit(data=complaint_input(), attachments=[upload("foto.jpg", original)])
    # then
    attachment = Attachment.objects.get(complaint=receipt.complaint)
    stored = attachment.file.read()
    assert GPS_MARKER not in stored
    assert b"PhoneModel-X" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert image.size == (64, 48)
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.size == len(stored)
    assert attachment.content_type == "image/jpeg"


def test_png_text_chunks_do_not_survive():
    checked = upload_check(upload("layar.png", png_with_text(), "image/png"))
    assert GPS_MARKER not in checked.content
    assert checked.content_type == "image/png"


def test_plain_pdf_is_accepted_as_sent():
    checked = upload_check(upload("kontrak.pdf", PLAIN_PDF, "application/pdf"))
    assert (checked.content, checked.content_type) == (PLAIN_PDF, "application/pdf")


def test_files_are_stored_privately_under_random_names(offices, settings):
    # when
    receipt = complaint_submit(
        data=complaint_input(), attachments=[upload("../../etc/passwd.jpg", jpeg_with_exif())]
    )
    # then
    attachment = Attachment.objects.get(complaint=receipt.complaint)
    assert attachment.original_name == "passwd.jpg"
    assert "passwd" not in attachment.file.name
    assert attachment.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert not attachment.file.path.startswith(str(settings.STATIC_ROOT))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd.jpg"),
        ("C:\\Users\\siti\\foto kontrak.JPG", "foto kontrak.jpg"),
        ("foto\x00.php.jpg", "foto.php.jpg"),
        ("\u202egpj.exe", "gpj.jpg"),
        ("", "lampiran.jpg"),
        ("..", "lampiran.jpg"),
        ("صورة.jpg", "صورة.jpg"),
        ("a" * 300 + ".jpg", "a" * 80 + ".jpg"),
    ],
)
def test_file_names_are_sanitised(raw, expected):
    assert sanitise_file_name(raw, extension="jpg") == expected


BAD_FILES = [
    ("html disguised as jpg", "foto.jpg", b"<html><script>alert(1)</script></html>", "file_type"),
    ("empty", "foto.jpg", b"", "file_empty"),
    ("exe", "foto.jpg", b"MZ\x90\x00" + b"\x00" * 100, "file_type"),
    ("truncated jpeg", "foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "file_broken"),
    ("gif", "foto.gif", b"GIF89a" + b"\x00" * 50, "file_type"),
    (
        "pdf with javascript",
        "kontrak.pdf",
        PLAIN_PDF.replace(
            b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
        ),
        "file_active_content",
    ),
    (
        "pdf with escaped name",
        "kontrak.pdf",
        PLAIN_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /AA << /O << /S /J#61vaScript >> >>"),
        "file_active_content",
    ),
    (
        "pdf with launch action",
        "kontrak.pdf",
        PLAIN_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch >>"),
        "file_active_content",
    ),
    ("pdf named jpg with js", "foto.jpg", PLAIN_PDF + b"/JS (x)", "file_active_content"),
]


@pytest.mark.parametrize(
    ("label", "name", "content", "code"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_bad_files_are_refused(label, name, content, code):
    with pytest.raises(ValidationError) as error:
        upload_check(upload(name, content))
    assert error.value.code == code


def test_javascript_hidden_in_a_compressed_stream_is_found():
    import zlib

    hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    pdf = PLAIN_PDF + b"3 0 obj << /Filter /FlateDecode >>\nstream\n" + hidden + b"\nendstream\n"
    with pytest.raises(ValidationError) as error:
        upload_check(upload("kontrak.pdf", pdf, "application/pdf"))
    assert error.value.code == "file_active_content"


def test_a_file_one_byte_over_10_mb_is_refused_and_nothing_is_written(offices, settings):
    # given
    too_big = upload("besar.pdf", one_page_of_size(10 * 1024 * 1024 + 1))
    # when
    with pytest.raises(ValidationError) as error:
        complaint_submit(data=complaint_input(), attachments=[too_big])
    # then
    assert "attachments" in error.value.message_dict
    assert Complaint.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_exactly_10_mb_is_accepted():
    exact = upload("pas.pdf", one_page_of_size(10 * 1024 * 1024))
    assert upload_check(exact).size == 10 * 1024 * 1024


def test_more_than_five_files_are_refused(offices):
    files = [upload(f"f{i}.jpg", jpeg_with_exif()) for i in range(6)]
    with pytest.raises(ValidationError) as error:
        complaint_submit(data=complaint_input(), attachments=files)
    assert "attachments" in error.value.message_dict
    assert Complaint.objects.count() == 0


def _stored_files() -> set:
    from pathlib import Path

    location = Path(Attachment._meta.get_field("file").storage.location)
    return set(location.rglob("*.*")) if location.exists() else set()


def test_one_bad_file_among_good_ones_writes_nothing(offices):
    # given
    before = _stored_files()
    files = [upload("a.jpg", jpeg_with_exif()), upload("b.jpg", b"<html></html>")]
    # when
    with pytest.raises(ValidationError):
        complaint_submit(data=complaint_input(), attachments=files)
    # then
    assert Complaint.objects.count() == 0
    assert _stored_files() == before


def test_files_of_a_failed_transaction_are_removed_from_storage(offices, monkeypatch):
    # given: the last write of the transaction fails after the files were saved
    before = _stored_files()

    def broken(complaint):
        raise RuntimeError("database went away")

    monkeypatch.setattr("complaints.services.intake._acknowledgement_queue", broken)
    # when
    with pytest.raises(RuntimeError):
        complaint_submit(data=complaint_input(), attachments=[upload("a.jpg", jpeg_with_exif())])
    # then
    assert Complaint.objects.count() == 0
    assert _stored_files() == before


def test_reporter_adds_a_file_from_tracking(offices):
    # given
    complaint = complaint_submit(data=complaint_input()).complaint
    # when
    event = complaint_reporter_message(
        complaint=complaint,
        body="",
        attachments=[upload("bukti.png", png_with_text(), "image/png")],
    )
    # then
    assert event.kind == "attachment"
    assert event.attachments.get().content_type == "image/png"


def test_web_form_upload_with_html_disguised_as_jpg_is_refused_next_to_the_field(client, offices):
    from tests.complaints.test_intake_views import field_block, form_data

    data = form_data(client)
    data["attachments"] = [upload("foto.jpg", b"<html><body>x</body></html>")]
    response = client.post("/pengaduan/lapor/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "bukan foto JPEG" in field_block(html, "attachments")
    assert Complaint.objects.count() == 0


def test_web_form_accepts_up_to_five_photos(client, offices):
    from tests.complaints.test_intake_views import form_data

    data = form_data(client)
    data["attachments"] = [upload(f"foto{i}.jpg", jpeg_with_exif()) for i in range(5)]
    response = client.post("/pengaduan/lapor/", data)
    assert response.status_code == 201
    assert Attachment.objects.count() == 5
