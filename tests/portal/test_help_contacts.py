"""Help from abroad: the directory API, and the contacts on the public pages."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from portal.help_contacts.models import HelpContact

pytestmark = pytest.mark.django_db

FIELDS = {"name", "kind", "phone", "whatsapp", "address", "hours", "last_checked"}
SEEDED = {"MY", "SA", "TW", "HK", "SG", "KR", "JP", "AE", "QA", "BN"}


@pytest.fixture
def seeded(reference_data):
    """The seed migration's rows (a transactional test elsewhere may have flushed them)."""
    import importlib

    from django.apps import apps

    if not HelpContact.objects.exists():
        module = importlib.import_module("portal.migrations.0012_help_contacts_seed")
        module.seed(apps, None)


def test_help_contacts_api_lists_malaysia_with_the_contract_fields(seeded):
    # when
    response = APIClient().get("/api/v1/help-contacts/", {"country": "my"})
    # then
    assert response.status_code == 200
    rows = response.json()
    assert rows, "Malaysia is seeded"
    assert all(set(row) >= FIELDS for row in rows)
    assert rows[0]["name"] == "KBRI Kuala Lumpur"
    assert rows[0]["phone"].startswith("+60")
    # the national hotline follows the country's own contacts
    assert rows[-1]["kind"] == "hotline"


def test_every_main_destination_is_seeded_and_marked_unchecked_until_verified(seeded):
    countries = set(HelpContact.objects.exclude(country="").values_list("country", flat=True))
    assert countries >= SEEDED
    unchecked = HelpContact.objects.filter(last_checked__isnull=True).exclude(country="")
    assert all("verif" in row.note for row in unchecked)


@pytest.mark.parametrize("country", ["", "ZZ", "xx' OR 1=1", "M"])
def test_unknown_or_bad_country_answers_200_without_foreign_contacts(seeded, country):
    response = APIClient().get("/api/v1/help-contacts/", {"country": country})
    assert response.status_code == 200
    if country:
        assert all(row["kind"] == "hotline" for row in response.json())


def test_home_with_malaysia_chosen_has_kbri_kuala_lumpur_one_tap_away(seeded):
    page = Client().get("/", {"country": "MY"}).content.decode()
    assert "KBRI Kuala Lumpur" in page
    assert 'href="tel:+60321164000"' in page
    # and the hotline is a tel: link too
    assert 'href="tel:08001000"' in page


def test_home_without_a_country_lists_no_embassy(seeded):
    page = Client().get("/").content.decode()
    assert "KBRI Kuala Lumpur" not in page
    assert 'href="tel:08001000"' in page


def test_form_with_danger_now_ticked_shows_the_countrys_embassy(seeded):
    page = (
        Client()
        .post("/pengaduan/lapor/", {"in_danger": "yes", "destination_country": "MY"})
        .content.decode()
    )
    assert "KBRI Kuala Lumpur" in page
    assert 'href="tel:+60321164000"' in page
