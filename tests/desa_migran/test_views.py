"""Public pages: directory with filters, village page, totals, best-practice library, photos."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from desa_migran import selectors, services
from desa_migran.choices import Pillar, ProgrammeKind, VillageStatus
from desa_migran.models import TaskForceMember
from tests.desa_migran.factories import (
    VillageActivityFactory,
    VillageFactory,
    VillageIndicatorFactory,
    VillageProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    # Pages answer in the browser's language; these tests read the English text.
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def villages(reference_data):
    tulungagung = VillageFactory(within="35.04")
    VillageProgrammeFactory(village=tulungagung, kind=ProgrammeKind.TASK_FORCE, name="Satgas")
    malang = VillageFactory(within="35.07", status=VillageStatus.CANDIDATE)
    indramayu = VillageFactory(within="32.12", status=VillageStatus.ASSESSED)
    withdrawn = VillageFactory(within="32.09", status=VillageStatus.WITHDRAWN)
    return {
        "tulungagung": tulungagung,
        "malang": malang,
        "indramayu": indramayu,
        "withdrawn": withdrawn,
    }


def _names(response) -> set[str]:
    return {village.region.name for village in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"tulungagung", "malang", "indramayu"}),
        ({"province": "35"}, {"tulungagung", "malang"}),
        ({"regency": "35.07"}, {"malang"}),
        ({"status": "assessed"}, {"indramayu"}),
        ({"pillar": Pillar.AMAN}, {"tulungagung"}),
        ({"province": "99"}, {"tulungagung", "malang", "indramayu"}),  # unknown: ignored
        ({"status": "withdrawn"}, {"tulungagung", "malang", "indramayu"}),
    ],
)
def test_directory_filters(client, villages, params, expected):
    response = client.get(reverse("desa_migran:index"), params)
    assert response.status_code == 200
    assert _names(response) == {villages[key].region.name for key in expected}


def test_directory_search_by_village_name(client, villages):
    name = villages["malang"].region.name
    response = client.get(reverse("desa_migran:index"), {"q": name.lower()})
    assert villages["malang"].region.name in _names(response)
    assert villages["indramayu"].region.name not in _names(response)


def test_directory_query_count_does_not_grow_with_villages(
    client, villages, django_assert_max_num_queries
):
    for _ in range(10):
        VillageFactory(within="35.10")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desa_migran:index"))
    assert response.status_code == 200


def test_village_page_shows_profile_indicators_activities_and_public_contact_only(client, villages):
    # given
    village = villages["tulungagung"]
    VillageIndicatorFactory(village=village, year=2024, workers_abroad=120)
    VillageIndicatorFactory(village=village, year=2025, workers_abroad=150)
    VillageActivityFactory(village=village, title="Sosialisasi migrasi aman")
    VillageActivityFactory(village=village, title="Rahasia", is_published=False)
    TaskForceMember.objects.create(village=village, name="Anggota Internal", phone="0812999")
    # when
    response = client.get(village.get_absolute_url())
    # then
    assert response.status_code == 200
    text = response.text
    assert "Latest figures: 2025" in text
    assert "Malaysia" in text
    assert "Taiwan" in text
    assert "Sosialisasi migrasi aman" in text
    assert "Satgas PMI Desa" in text
    assert "Anggota Internal" not in text
    assert "0812999" not in text
    assert "Rahasia" not in text


def test_village_page_query_count_is_constant(client, villages, django_assert_max_num_queries):
    village = villages["tulungagung"]
    for year in range(2018, 2026):
        VillageIndicatorFactory(village=village, year=year)
        VillageActivityFactory(village=village)
    with django_assert_max_num_queries(12):
        client.get(village.get_absolute_url())


@pytest.mark.parametrize("code", ["32.09", "99.99.99.9999"])
def test_withdrawn_or_unknown_village_is_404(client, villages, code):
    if code == "32.09":
        code = villages["withdrawn"].region_id
    assert client.get(reverse("desa_migran:village", args=[code])).status_code == 404


def test_totals_page_counts_by_status_and_province_and_target(client, villages):
    response = client.get(reverse("desa_migran:totals"))
    totals = response.context["totals"]
    assert totals.by_status["desa_migran_emas"] == 1
    assert totals.by_status["candidate"] == 1
    assert totals.target == 400
    assert "1 of 400 target villages" in response.text
    provinces = {row["code"]: row for row in totals.by_province}
    assert provinces["35"]["total"] == 2
    assert provinces["32"]["total"] == 1  # the withdrawn village is not counted publicly


def test_selector_for_dashboards_counts_in_one_query(villages, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = selectors.village_counts_by_status_and_province()
    assert ("35", "Jawa Timur", "candidate", 1) in rows
    assert ("32", "Jawa Barat", "withdrawn", 1) in rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"tulungagung-maju", "indramayu-aman"}),
        ({"pillar": Pillar.MAJU}, {"tulungagung-maju"}),
        ({"province": "32"}, {"indramayu-aman"}),
        ({"pillar": Pillar.MAJU, "province": "32"}, set()),
    ],
)
def test_best_practice_library_filters_by_pillar_and_province(client, villages, params, expected):
    VillageActivityFactory(
        village=villages["tulungagung"], pillar=Pillar.MAJU, title="tulungagung-maju"
    )
    VillageActivityFactory(
        village=villages["indramayu"], pillar=Pillar.AMAN, title="indramayu-aman"
    )
    VillageActivityFactory(village=villages["withdrawn"], pillar=Pillar.AMAN, title="withdrawn")
    response = client.get(reverse("desa_migran:practices"), params)
    assert {a.title for a in response.context["page"].object_list} == expected


def test_photo_is_served_by_a_view_only_for_public_villages(client, villages, make_staff):
    # given
    officer = make_staff("bp3mi-jatim", "officer")
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, format="PNG")
    photo = services.village_photo_add(
        village=villages["tulungagung"],
        upload=SimpleUploadedFile("a.png", buffer.getvalue()),
        caption="Balai desa",
        actor=officer,
    )
    try:
        # when
        response = client.get(reverse("desa_migran:photo", args=[photo.pk]))
        # then
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        page = client.get(villages["tulungagung"].get_absolute_url())
        assert reverse("desa_migran:photo", args=[photo.pk]) in page.text
        services.village_withdraw(
            village=villages["tulungagung"],
            actor=make_staff("kemenp2mi", "ministry_analyst"),
            reason="Mundur",
        )
        assert client.get(reverse("desa_migran:photo", args=[photo.pk])).status_code == 404
    finally:
        photo.image.delete(save=False)


def test_pages_in_indonesian_by_default(client, villages):
    response = Client().get(reverse("desa_migran:index"))
    assert response.status_code == 200
    assert 'lang="id"' in response.text
    assert "Tampilkan desa" in response.text
