"""Public API: GET /api/v1/villages/ with the directory's filters, detail, public fields only."""

import pytest

from desa_migran.choices import Pillar, ProgrammeKind, VillageStatus
from desa_migran.models import TaskForceMember
from tests.desa_migran.factories import (
    VillageActivityFactory,
    VillageFactory,
    VillageIndicatorFactory,
    VillageProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def villages(reference_data):
    tulungagung = VillageFactory(within="35.04")
    VillageProgrammeFactory(village=tulungagung, kind=ProgrammeKind.COOPERATIVE, name="BUMDes")
    return {
        "tulungagung": tulungagung,
        "malang": VillageFactory(within="35.07", status=VillageStatus.CANDIDATE),
        "indramayu": VillageFactory(within="32.12", status=VillageStatus.ASSESSED),
        "withdrawn": VillageFactory(within="32.09", status=VillageStatus.WITHDRAWN),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"tulungagung", "malang", "indramayu"}),
        ({"province": "35"}, {"tulungagung", "malang"}),
        ({"regency": "32.12"}, {"indramayu"}),
        ({"status": "candidate"}, {"malang"}),
        ({"pillar": Pillar.MAJU}, {"tulungagung"}),
    ],
)
def test_list_filters_like_the_directory(client, villages, params, expected):
    response = client.get("/api/v1/villages/", params)
    assert response.status_code == 200
    body = response.json()
    assert {row["code"] for row in body["results"]} == {villages[k].region_id for k in expected}
    assert body["count"] == len(expected)


def test_invalid_filter_is_400(client, villages):
    assert client.get("/api/v1/villages/", {"status": "withdrawn"}).status_code == 400


def test_list_query_count_is_constant(client, villages, django_assert_max_num_queries):
    for _ in range(15):
        VillageFactory(within="35.10")
    with django_assert_max_num_queries(3):
        client.get("/api/v1/villages/")


def test_detail_has_public_fields_only(client, villages):
    # given
    village = villages["tulungagung"]
    VillageIndicatorFactory(village=village)
    VillageActivityFactory(village=village, title="Terbuka")
    VillageActivityFactory(village=village, title="Internal", is_published=False)
    TaskForceMember.objects.create(village=village, name="Anggota Internal", phone="0812999")
    # when
    response = client.get(f"/api/v1/villages/{village.region_id}/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["contact"]["phone"] == "+62 812 0000 1111"
    assert body["indicators"][0]["workers_by_country"] == {"MY": 80, "TW": 50}
    assert [a["title"] for a in body["activities"]] == ["Terbuka"]
    assert body["programmes"][0]["pillar"] == "maju"
    text = response.content.decode()
    for private in ("Anggota Internal", "0812999", "designation_proposed_by", "assessments"):
        assert private not in text


@pytest.mark.parametrize("key", ["withdrawn", None])
def test_detail_of_withdrawn_or_unknown_village_is_404(client, villages, key):
    code = villages[key].region_id if key else "35.04.01.9999"
    assert client.get(f"/api/v1/villages/{code}/").status_code == 404


def test_villages_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/villages/" in schema["paths"]
    assert "/api/v1/villages/{code}/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/villages/"]["get"]["parameters"]}
    assert {"province", "regency", "status", "pillar", "q", "page"} <= names
