"""The home region asked by name: province → regency → district → village without scripts, and
the village search endpoint the script uses."""

import re

import pytest
from django.urls import reverse

from complaints.models import Complaint
from portal.models import Region
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
SEARCH = reverse("region-village-search")
BABADAN_NGAJUM = "35.07.20.2007"


def _options(html: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S).group(0)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


def test_first_render_lists_only_provinces(client):
    # when
    html = client.get(SUBMIT).content.decode()
    # then: 38 provinces, and no regency, district or village options yet
    assert len(_options(html, "origin_province")) == Region.objects.filter(level=1).count()
    assert _options(html, "origin_region") == []
    assert _options(html, "origin_district") == []
    assert _options(html, "origin_village") == []


def test_show_the_list_step_fills_the_next_select_and_keeps_what_was_typed(client):
    # given: a half-filled form, the province chosen
    data = form_data(client, origin_region="", description="Paspor saya ditahan agen.")
    data["region_step"] = "1"
    # when
    response = client.post(SUBMIT, data)
    # then: regencies of Jawa Timur listed, nothing sent, no error, the description kept
    html = response.content.decode()
    expected = sorted(
        Region.objects.filter(level=2, code__startswith="35.").values_list("code", flat=True)
    )
    assert response.status_code == 200
    assert sorted(_options(html, "origin_region")) == expected
    assert "Paspor saya ditahan agen." in html
    assert "is-invalid" not in html
    assert Complaint.objects.count() == 0


def test_without_scripts_a_worker_reaches_babadan_in_ngajum_step_by_step(client):
    # given
    data = form_data(client, origin_region="35.07")
    data["region_step"] = "1"
    # when: regency chosen → districts of Kabupaten Malang
    html = client.post(SUBMIT, data).content.decode()
    assert "35.07.20" in _options(html, "origin_district")
    # when: district Ngajum chosen → its villages
    data["origin_district"] = "35.07.20"
    html = client.post(SUBMIT, data).content.decode()
    assert '<option value="35.07.20.2007">Babadan</option>' in html
    # when: village chosen and the report sent
    del data["region_step"]
    data["origin_village"] = BABADAN_NGAJUM
    response = client.post(SUBMIT, data)
    # then
    assert response.status_code == 201
    assert Complaint.objects.get().origin_region_id == BABADAN_NGAJUM


def test_changing_the_province_in_a_step_empties_the_steps_below(client):
    # given: Kabupaten Malang and Ngajum chosen, then the province changed to Jawa Barat
    data = form_data(client, origin_province="32", origin_region="35.07")
    data.update(origin_district="35.07.20", region_step="1")
    # when
    html = client.post(SUBMIT, data).content.decode()
    # then
    assert all(code.startswith("32.") for code in _options(html, "origin_region"))
    assert _options(html, "origin_district") == []


def test_a_village_of_another_district_is_refused_with_a_field_error(client):
    # given: Ngajum chosen, a Babadan of Ponorogo sent
    data = form_data(client, origin_region="35.07", origin_district="35.07.20")
    data["origin_village"] = "35.02.16.2013"
    # when
    response = client.post(SUBMIT, data)
    # then
    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    assert 'id="error_1_id_origin_village"' in response.content.decode()


def test_search_by_name_finds_every_babadan_with_district_and_regency(client):
    # given: the oracle from the regions table itself
    expected = set(
        Region.objects.filter(level=4, name__iexact="babadan").values_list("code", flat=True)
    )
    # when
    response = client.get(SEARCH, {"q": "babadan"})
    # then
    results = response.json()["results"]
    assert response.status_code == 200
    assert expected <= {row["code"] for row in results}
    assert len(expected) >= 17
    malang = next(row for row in results if row["code"] == BABADAN_NGAJUM)
    assert malang["label"] == "Babadan, Ngajum, Kabupaten Malang"
    assert (malang["district_code"], malang["regency_code"], malang["province_code"]) == (
        "35.07.20",
        "35.07",
        "35",
    )
    # exact names come before names that only start the same way
    names = [row["name"].casefold() for row in results]
    assert names[: len(expected)] == ["babadan"] * len(expected)


def test_search_narrows_with_the_district_name(client):
    response = client.get(SEARCH, {"q": "babadan ngajum"})
    assert [row["code"] for row in response.json()["results"]] == [BABADAN_NGAJUM]


@pytest.mark.parametrize("query", ["", "ba", "  b ", "%%%", "x" * 500, "'; drop table--"])
def test_search_answers_short_or_odd_text_with_a_list_never_an_error(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_search_is_throttled_per_address(client):
    # when: more requests in a minute than the documented 60
    codes = [client.get(SEARCH, {"q": "babadan"}).status_code for _ in range(61)]
    # then
    assert codes[:60] == [200] * 60
    assert codes[60] == 429
