"""Office scope of the Desa Migran Emas admin: a BP3MI officer edits only villages (and their
indicators) in the provinces their office covers; a P4MI post only its regency; the ministry all."""

import pytest
from django.urls import reverse

from desa_migran.models import VillageIndicator
from portal.services import role_groups_sync
from tests.desa_migran.factories import VillageFactory, VillageIndicatorFactory

pytestmark = pytest.mark.django_db

# Villages: Tulungagung (35.04, Jawa Timur), Malang (35.07, Jawa Timur), Indramayu (32.12, Jabar).
SCOPE_TABLE = [
    ("bp3mi-jatim", "officer", {"tulungagung", "malang"}),
    ("bp3mi-jatim", "head", {"tulungagung", "malang"}),
    ("p4mi-tulungagung", "officer", {"tulungagung"}),
    ("bp3mi-jabar", "officer", {"indramayu"}),
    ("bp3mi-ntb", "head", set()),
    ("kemenp2mi", "ministry_analyst", {"tulungagung", "malang", "indramayu"}),
]


@pytest.fixture
def villages(offices):
    role_groups_sync()
    return {
        "tulungagung": VillageFactory(within="35.04"),
        "malang": VillageFactory(within="35.07"),
        "indramayu": VillageFactory(within="32.12"),
    }


@pytest.mark.parametrize(("office", "role", "visible"), SCOPE_TABLE)
def test_village_changelist_and_change_page_follow_office_scope(
    client, make_staff, villages, office, role, visible
):
    # given
    client.force_login(make_staff(office, role))
    # when
    listing = client.get(reverse("admin:desa_migran_village_changelist"))
    # then
    assert listing.status_code == 200
    shown = {key for key, village in villages.items() if village.region.name in listing.text}
    assert shown == visible
    for key, village in villages.items():
        page = client.get(reverse("admin:desa_migran_village_change", args=[village.pk]))
        assert page.status_code == (200 if key in visible else 404), key
        history = client.get(reverse("admin:desa_migran_village_history", args=[village.pk]))
        assert history.status_code == (200 if key in visible else 404), key


@pytest.mark.parametrize(("office", "role", "visible"), SCOPE_TABLE)
def test_village_edit_outside_scope_is_404_and_changes_nothing(
    client, make_staff, villages, office, role, visible
):
    # given
    client.force_login(make_staff(office, role))
    for key, village in villages.items():
        # when
        response = client.post(
            reverse("admin:desa_migran_village_change", args=[village.pk]),
            {
                "profile": "Diubah",
                "population": "4000",
                "contact_name": "",
                "contact_phone": "",
                "contact_email": "",
                **_empty_inlines(),
            },
        )
        # then
        village.refresh_from_db()
        if key in visible:
            assert response.status_code == 302, response.context and response.context["errors"]
            assert village.profile == "Diubah"
        else:
            assert response.status_code == 404
            assert village.profile != "Diubah"


def _village_steps(region) -> dict[str, str]:
    """What the add page posts for a village chosen by name: its province, regency, district."""
    return {
        "province_choice": region.code[:2],
        "regency_choice": region.code[:5],
        "district_choice": region.code[:8],
        "region": region.code,
    }


def _empty_inlines() -> dict[str, str]:
    data = {}
    for prefix in ("programmes", "task_force_members", "partners", "photos", "status_changes"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


@pytest.mark.parametrize(("office", "role", "visible"), SCOPE_TABLE)
def test_indicator_admin_follows_office_scope(client, make_staff, villages, office, role, visible):
    # given
    indicators = {key: VillageIndicatorFactory(village=v) for key, v in villages.items()}
    client.force_login(make_staff(office, role))
    for key, indicator in indicators.items():
        # when
        page = client.get(reverse("admin:desa_migran_villageindicator_change", args=[indicator.pk]))
        # then
        assert page.status_code == (200 if key in visible else 404), key


@pytest.mark.parametrize(("office", "role", "visible"), SCOPE_TABLE)
def test_indicator_cannot_be_added_for_a_village_outside_scope(
    client, make_staff, villages, office, role, visible
):
    client.force_login(make_staff(office, role))
    for key, village in villages.items():
        response = client.post(
            reverse("admin:desa_migran_villageindicator_add"),
            {
                "village": village.pk,
                "year": "2025",
                "period": "year",
                "workers_abroad": "100",
                "workers_by_country": '{"MY": 60}',
                "returnees": "10",
                "trained": "5",
                "returnee_businesses": "1",
                "remittances_idr": "500000000",
            },
        )
        written = VillageIndicator.objects.filter(village=village).exists()
        assert written == (key in visible), key
        if key not in visible:
            assert response.status_code == 200  # the form again, with "select a valid choice"


def test_officer_adds_a_village_only_inside_scope(client, make_staff, offices):
    # given
    from tests.desa_migran.factories import village_region

    role_groups_sync()
    client.force_login(make_staff("bp3mi-jatim", "officer"))
    data = {
        "profile": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        **_empty_inlines(),
    }
    inside, outside = village_region("35.04", 5), village_region("32.12", 5)
    # when
    client.post(reverse("admin:desa_migran_village_add"), {**data, **_village_steps(inside)})
    response = client.post(
        reverse("admin:desa_migran_village_add"), {**data, **_village_steps(outside)}
    )
    # then
    from desa_migran.models import Village

    assert Village.objects.filter(region=inside).exists()
    assert not Village.objects.filter(region=outside).exists()
    assert "di luar provinsi kantor Anda" in response.text  # Indonesian, the default
