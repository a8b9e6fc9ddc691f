"""The village admin picks a village by name (issue 19): the autocomplete lists villages only,
exact names first, each with its district and regency."""

import pytest
from django.contrib.auth import get_user_model

from portal.models import Region

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/"


def test_village_admin_autocomplete_finds_babadan_in_ngajum_by_name(client, reference_data):
    # given
    admin_user = get_user_model().objects.create_superuser("picker", password="x-123-y-456")
    client.force_login(admin_user)
    expected = Region.objects.filter(level=4, name__iexact="babadan").count()
    # when
    response = client.get(
        AUTOCOMPLETE,
        {
            "term": "babadan",
            "app_label": "desa_migran",
            "model_name": "village",
            "field_name": "region",
        },
    )
    # then
    results = response.json()["results"]
    assert response.status_code == 200
    assert {"id": "35.07.20.2007", "text": "Babadan, Ngajum, Kabupaten Malang (35.07.20.2007)"} in (
        results
    )
    assert all(row["text"].startswith("Babadan, ") for row in results[:expected])
    assert all(row["id"].count(".") == 3 for row in results)
