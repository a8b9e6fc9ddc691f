"""Factories for the complaints app (shared: each engineer appends below their own section)."""

from __future__ import annotations

import datetime as dt

import factory
import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from complaints.choices import EventKind, Status, Visibility
from complaints.models import Agency, Category, Complaint, ComplaintEvent
from complaints.references import access_key_generate, reference_generate
from complaints.services.intake import ComplaintInput
from portal.models import Office

# --- intake -----------------------------------------------------------------------------------

# A regency with its own post (P4MI Tulungagung under BP3MI Jawa Timur) and one without a post.
REGENCY_WITH_POST = "35.04"
REGENCY_WITHOUT_POST = "35.15"
# A key every factory-made complaint opens with (tests of tracking use it).
FACTORY_ACCESS_KEY = "ABCDE-FGHJK-MNPQR-STVWX"

# A complaint a reporter files: the web form's fields and the public API's body.
FILED_DESCRIPTION = "Gaji saya tidak dibayar selama tiga bulan oleh majikan."


def public_form_fields(**overrides) -> dict:
    """What the public complaint form posts (no token, no CSRF: the caller adds its own)."""
    return {
        "filer_relation": "self",
        "category": "gaji-tidak-dibayar",
        "in_danger": "no",
        "description": FILED_DESCRIPTION,
        "destination_country": "MY",
        "origin_province": "35",
        "origin_region": REGENCY_WITH_POST,
        "reporter_name": "Siti Aminah",
        "phone": "0812 3456 7890",
        "consent": "on",
        **overrides,
    }


def public_api_body(**overrides) -> dict:
    """The same complaint as `POST /api/v1/complaints/` takes it."""
    return {
        "category": "gaji-tidak-dibayar",
        "description": FILED_DESCRIPTION,
        "origin_region": REGENCY_WITH_POST,
        "destination_country": "MY",
        "consent": True,
        "reporter_name": "Siti Aminah",
        "phone": "081234567890",
        **overrides,
    }


@pytest.fixture
def clear_cache():
    """Rate-limit counters live in the cache: each test starts with none (and with a fresh
    reference-cache generation, as the cleared cache no longer holds one)."""
    from django.core.cache import cache

    from portal.reference_cache import reference_cache_invalidate

    cache.clear()
    reference_cache_invalidate()
    yield
    cache.clear()


def complaint_input(**overrides) -> ComplaintInput:
    values = {
        "category": "gaji-tidak-dibayar",
        "description": "Gaji saya tidak dibayar selama tiga bulan oleh majikan.",
        "origin_region": REGENCY_WITH_POST,
        "destination_country": "MY",
        "consent": True,
        "reporter_name": "Siti Aminah",
        "phone": "0812 3456 7890",
        "email": "siti@example.com",
    }
    values.update(overrides)
    return ComplaintInput(**values)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kategori-uji-{n}")
    name_id = factory.LazyAttribute(lambda c: f"Kategori {c.slug}")
    name_en = factory.LazyAttribute(lambda c: f"Category {c.slug}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("kind", "normalized_name")

    kind = "p3mi"
    name = factory.Sequence(lambda n: f"PT Contoh Penempatan {n}")
    normalized_name = factory.LazyAttribute(lambda a: a.name.upper().removeprefix("PT ").strip())


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A stored complaint without going through intake (for triage, SLA and dashboard tests).

    Needs the reference data (regions, offices): use the `offices` fixture."""

    class Meta:
        model = Complaint

    reference = factory.LazyFunction(reference_generate)
    access_key_hash = factory.LazyFunction(lambda: make_password(FACTORY_ACCESS_KEY))
    category = factory.LazyFunction(lambda: Category.objects.get(slug="gaji-tidak-dibayar"))
    kind = factory.LazyAttribute(lambda c: c.category.kind)
    status = Status.RECEIVED
    description = "Gaji tidak dibayar tiga bulan."
    destination_country = "MY"
    origin_region_id = REGENCY_WITH_POST
    office = factory.LazyFunction(lambda: Office.objects.get(code="p4mi-tulungagung"))
    reporter_name = "Siti Aminah"
    reporter_phone = "+6281234567890"
    consent_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))


class ComplaintEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintEvent

    complaint = factory.SubFactory(ComplaintFactory)
    kind = EventKind.PUBLIC_REPLY
    visibility = Visibility.PUBLIC
    body = "Pengaduan Anda sedang kami periksa."


def new_access_key() -> str:
    return access_key_generate()


def categories_ensure() -> None:
    """The taxonomy comes from a data migration; transactional tests flush it, so reload it."""
    import importlib

    from django.apps import apps

    if not Category.objects.exists():
        migration = importlib.import_module("complaints.migrations.0002_intake_seed_categories")
        migration.seed(apps, None)


@pytest.fixture
def categories(db) -> None:
    categories_ensure()
