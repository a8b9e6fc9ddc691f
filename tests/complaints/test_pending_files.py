"""An attachment chosen before a validation error is kept for the second submit,
under the form's submission token, and removed after a day when nobody comes back for it."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.models import Attachment, Complaint
from complaints.services.pending_files import pending_files_keep, pending_files_purge
from tests.complaints.factories import (  # noqa: F401 (fixtures)
    categories,
    clear_cache,
)
from tests.complaints.test_intake_views import form_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("clear_cache", "categories"),
]

SUBMIT = reverse("complaints:submit")
NOW = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)


def photo(name: str = "kontrak.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _pending_folders() -> list[str]:
    storage = storages["private"]
    return storage.listdir("pending")[0] if storage.exists("pending") else []


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@time_machine.travel(NOW, tick=False)
def test_a_file_chosen_before_an_error_is_sent_with_the_second_submit(client):
    # given: a form with a file and a description that is too short
    data = form_data(client, description="pendek")
    # when
    first = client.post(SUBMIT, {**data, "attachments": photo()})
    # then: the form says the file is kept
    assert first.status_code == 400
    kept = re.search(r'id="files-kept".*?</div>', first.content.decode(), re.S).group(0)
    assert "kontrak.png" in kept
    # when: the corrected form is sent again, without choosing the file again
    data["description"] = "Gaji saya tidak dibayar selama tiga bulan oleh majikan."
    second = client.post(SUBMIT, data)
    # then: the report carries the file, and nothing is left pending
    assert second.status_code == 201
    complaint = Complaint.objects.get()
    assert [a.original_name for a in Attachment.objects.filter(complaint=complaint)] == [
        "kontrak.png"
    ]
    assert _pending_folders() == []


def test_files_of_another_form_are_never_taken(client):
    # given: one form keeps a file
    first = form_data(client, description="pendek")
    client.post(SUBMIT, {**first, "attachments": photo()})
    # when: another form (another token) is sent
    client.post(SUBMIT, form_data(client))
    # then
    assert Attachment.objects.count() == 0


def test_kept_files_are_removed_after_a_day_if_unused():
    # given
    with time_machine.travel(NOW, tick=False):
        pending_files_keep(token="token-a", files=[photo()])
    with time_machine.travel(NOW + timedelta(hours=20), tick=False):
        pending_files_keep(token="token-b", files=[photo()])
    # when: 25 hours after the first
    with time_machine.travel(NOW + timedelta(hours=25), tick=False):
        removed = pending_files_purge()
    # then: only the first is gone
    assert removed == 1
    assert len(_pending_folders()) == 1


def test_a_file_that_fails_the_checks_is_not_kept():
    fake = SimpleUploadedFile("virus.png", b"MZ not an image", content_type="image/png")
    with time_machine.travel(NOW, tick=False):
        kept = pending_files_keep(token="token-c", files=[fake])
    assert kept == []
