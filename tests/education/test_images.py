import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from education import images
from education.models import GuideImage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    from django.utils.translation import override

    with override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    # Changing STORAGES resets default_storage (Django's setting_changed signal).


def _png(width: int, height: int, **info) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG", **info)
    return buffer.getvalue()


def test_upload_is_stored_in_phone_widths_as_webp(client):
    # given a 1600 px wide illustration
    record = images.guide_image_add(
        actor=None, slug="peta-jalur", alt_text="Peta jalur resmi", data=_png(1600, 800)
    )
    # then it is kept in 360, 720 and 1080 px, served as WebP
    assert record.width_list == [360, 720, 1080]
    response = client.get("/panduan/gambar/peta-jalur-360.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert served.size == (360, 180)
    assert "max-age" in response["Cache-Control"]


def test_small_image_is_never_enlarged(client):
    record = images.guide_image_add(actor=None, slug="ikon", alt_text="Ikon", data=_png(200, 200))
    assert record.width_list == [200]
    # every width of the srcset answers with the largest stored file
    assert client.get("/panduan/gambar/ikon-1080.webp").status_code == 200


def test_metadata_of_the_upload_is_not_kept():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Nama Pekerja")
    images.guide_image_add(actor=None, slug="meta", alt_text="x", data=_png(800, 400, pnginfo=info))
    stored = default_storage.open(images.guide_image_path("meta", 720)).read()
    assert b"Nama Pekerja" not in stored


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg><script>alert(1)</script></svg>", "not an image"),
        (b"GIF89a" + b"\x00" * 20, "not an image"),
        (b"\x89PNG" + b"x" * (images.MAX_UPLOAD_BYTES), "too large"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(data, message):
    with pytest.raises(ValidationError) as error:
        images.guide_image_add(actor=None, slug="buruk", alt_text="x", data=data)
    assert message in " ".join(error.value.messages)
    assert not GuideImage.objects.filter(slug="buruk").exists()


def test_decompression_bomb_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    with pytest.raises(ValidationError) as error:
        images.guide_image_add(actor=None, slug="bom", alt_text="x", data=_png(200, 200))
    assert "too large" in " ".join(error.value.messages)


def test_unknown_image_is_404(client):
    assert client.get("/panduan/gambar/tidak-ada-360.webp").status_code == 404


def test_editor_uploads_an_image_in_admin_and_gets_the_markdown(make_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.complaints.triage_support import staff_client

    client = staff_client(make_staff("kemenp2mi", "content_editor"))
    upload = SimpleUploadedFile("peta.png", _png(900, 600), content_type="image/png")
    response = client.post(
        reverse("admin:education_guideimage_add"),
        {"slug": "peta-admin", "alt_text": "Peta", "upload": upload},
        follow=True,
    )
    assert response.status_code == 200
    image = GuideImage.objects.get(slug="peta-admin")
    assert image.width_list == [360, 720]
    page = client.get(reverse("admin:education_guideimage_change", args=[image.pk]))
    assert "![Peta](gambar:peta-admin)" in page.content.decode()


def test_admin_refuses_a_file_that_is_not_an_image(make_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.complaints.triage_support import staff_client

    client = staff_client(make_staff("kemenp2mi", "content_editor"))
    upload = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    response = client.post(
        reverse("admin:education_guideimage_add"),
        {"slug": "palsu", "alt_text": "x", "upload": upload},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not GuideImage.objects.filter(slug="palsu").exists()
