"""Outreach photos: images only, re-encoded, private, and reachable only within the office scope."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from education.models import OutreachFormat, OutreachPhoto
from education.outreach.services import (
    outreach_event_create,
    outreach_photo_add,
    outreach_photo_delete,
)
from portal.exceptions import ApplicationError

pytestmark = pytest.mark.django_db

START = datetime(2026, 10, 14, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif)
    return output.getvalue()


@pytest.fixture
def event(make_staff, offices):
    officer = make_staff("bp3mi-jatim", "officer")
    return outreach_event_create(
        actor=officer,
        office=offices["bp3mi-jatim"],
        region_code="35.04",
        title="Sosialisasi",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        format=OutreachFormat.SCHOOL,
    )


def test_a_photo_is_stored_without_its_metadata(event):
    photo = outreach_photo_add(
        actor=event.created_by,
        event=event,
        uploaded=SimpleUploadedFile("foto.jpg", _jpeg_with_exif()),
        caption="Peserta",
    )
    with photo.image.open("rb") as stored:
        data = stored.read()
    assert b"KameraRahasia" not in data
    assert Image.open(io.BytesIO(data)).size == (40, 30)


@pytest.mark.parametrize(
    "content", [b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", b"not an image", b""]
)
def test_anything_but_a_photo_is_refused(event, content):
    with pytest.raises(ValidationError) as error:
        outreach_photo_add(
            actor=event.created_by, event=event, uploaded=SimpleUploadedFile("x.pdf", content)
        )
    assert "image" in error.value.message_dict
    assert not OutreachPhoto.objects.exists()


def test_another_office_cannot_add_or_delete_photos(make_staff, event):
    stranger = make_staff("bp3mi-jabar", "officer")
    upload = SimpleUploadedFile("foto.jpg", _jpeg_with_exif())
    with pytest.raises(ApplicationError):
        outreach_photo_add(actor=stranger, event=event, uploaded=upload)
    photo = outreach_photo_add(actor=event.created_by, event=event, uploaded=upload)
    with pytest.raises(ApplicationError):
        outreach_photo_delete(actor=stranger, photo=photo)
    assert OutreachPhoto.objects.count() == 1


@pytest.mark.parametrize(
    ("office_code", "role", "status"),
    [
        ("bp3mi-jatim", "officer", 200),
        ("kemenp2mi", "ministry_analyst", 200),
        ("bp3mi-jabar", "head", 404),
        ("p4mi-tulungagung", "officer", 404),
        # Issue 15: a content editor of the ministry is not national and reads no office's data.
        ("kemenp2mi", "content_editor", 404),
        # Staff URL (portal.middleware): an anonymous visitor is sent to the sign-in.
        (None, None, 302),
    ],
)
def test_photo_view_scope(client, make_staff, event, office_code, role, status):
    photo = outreach_photo_add(
        actor=event.created_by, event=event, uploaded=SimpleUploadedFile("f.jpg", _jpeg_with_exif())
    )
    if office_code:
        client.force_login(make_staff(office_code, role))
    response = client.get(reverse("outreach:photo", args=[photo.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]


def test_admin_inline_uploads_through_the_service(client, event, offices):
    client.force_login(event.created_by)
    url = reverse("admin:education_outreachevent_change", args=[event.pk])
    data = {
        "office": offices["bp3mi-jatim"].pk,
        "title": "Sosialisasi",
        "starts_at_0": "2026-10-14",
        "starts_at_1": "09:00",
        "ends_at_0": "2026-10-14",
        "ends_at_1": "11:00",
        "region": "35.04",
        "format": "school",
        "audience_women": "0",
        "audience_men": "0",
        "is_public": "on",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-caption": "Di kelas",
    }
    bad = client.post(url, {**data, "photos-0-image": SimpleUploadedFile("a.jpg", b"no")})
    assert bad.status_code == 200
    assert not OutreachPhoto.objects.exists()
    good = client.post(
        url, {**data, "photos-0-image": SimpleUploadedFile("a.jpg", _jpeg_with_exif())}
    )
    assert good.status_code == 302
    photo = OutreachPhoto.objects.get()
    assert (photo.caption, photo.uploaded_by) == ("Di kelas", event.created_by)
