"""Fixtures shared by the triage, admin and staff API tests (imported by name where used)."""

import pytest

from portal.choices import Role
from tests.complaints.factories import ComplaintFactory

OFFICE_A = "bp3mi-jatim"
OFFICE_A_POST = "p4mi-tulungagung"
OFFICE_B = "bp3mi-jabar"
MINISTRY = "kemenp2mi"


@pytest.fixture
def officer_a(make_staff):
    return make_staff(OFFICE_A, Role.OFFICER, username="petugas-a")


@pytest.fixture
def head_a(make_staff):
    return make_staff(OFFICE_A, Role.HEAD, username="kepala-a")


@pytest.fixture
def officer_b(make_staff):
    return make_staff(OFFICE_B, Role.OFFICER, username="petugas-b")


@pytest.fixture
def analyst(make_staff):
    return make_staff(MINISTRY, Role.MINISTRY_ANALYST, username="analis")


# What triage tests need on top of the shared factory: a reachable reporter, a passport, an
# agency; and a placeholder key hash (PBKDF2 per row would make the 1,000-row tests slow).
TRIAGE_DEFAULTS = {
    "access_key_hash": "!unusable-test-hash",
    "reporter_email": "pelapor@example.invalid",
    "preferred_channel": "email",
    "passport_number": "C1234567",
    "employer_name": "Syarikat Contoh Sdn Bhd",
    "placement_agency_name": "PT Contoh Penempatan",
}


def category_ensure():
    from complaints.models import Category

    category, _created = Category.objects.get_or_create(
        slug="gaji-tidak-dibayar",
        defaults={"name_id": "Gaji tidak dibayar", "name_en": "Unpaid wages", "kind": "complaint"},
    )
    return category


@pytest.fixture
def complaint_in(offices):
    """complaint_in("bp3mi-jatim", status=...) → a complaint of that office."""

    # The taxonomy comes from a data migration, which a transactional test elsewhere may flush.
    category = category_ensure()

    def _make(office_code: str = OFFICE_A, **fields):
        values = {"category": category, **TRIAGE_DEFAULTS, **fields}
        return ComplaintFactory(office=offices[office_code], **values)

    return _make


@pytest.fixture
def attachment_of(monkeypatch, tmp_path):
    """attachment_of(complaint) → a stored attachment (private storage under tmp_path)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from complaints.models import Attachment

    # The field resolved its storage when the model loaded: swap it on the field itself.
    field = Attachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=str(tmp_path)))

    def _make(complaint):
        attachment = Attachment(
            complaint=complaint,
            original_name="bukti.pdf",
            content_type="application/pdf",
            size=13,
            sha256="0" * 64,
        )
        attachment.file.save("bukti.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        attachment.save()
        return attachment

    return _make


def staff_client(user, *, verified: bool = True):
    """A test client signed in as `user`, past the second factor unless verified=False."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if verified:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
