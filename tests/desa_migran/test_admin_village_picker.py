"""The village admin chooses a village by name, like the public form: province → regency →
district → village, step by step without scripts ("Show the list" posts the add page back,
nothing saved), and refuses a village outside the chosen district with a plain message."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from desa_migran.models import Village
from portal.models import Region
from tests.desa_migran.test_admin import _empty_inlines

pytestmark = pytest.mark.django_db

ADD = reverse("admin:desa_migran_village_add")
BABADAN_NGAJUM = "35.07.20.2007"
BABADAN_PONOROGO = "35.02.16.2013"
VILLAGE_ERROR = "Pilih desa dari kecamatan yang Anda pilih."


@pytest.fixture
def admin_client(client, reference_data):
    user = get_user_model().objects.create_superuser("picker", password="x-123-y-456")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    return client


def _options(html: str, field: str) -> dict[str, str]:
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S).group(0)
    return {
        value: label.strip()
        for value, label in re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select)
    }


def _form(**values) -> dict[str, str]:
    return {
        "profile": "Desa asal pekerja migran.",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        **_empty_inlines(),
        **values,
    }


def _step(admin_client, data: dict) -> str:
    response = admin_client.post(ADD, {**data, "region_step": "1"})
    assert response.status_code == 200
    assert Village.objects.count() == 0
    html = response.content.decode()
    assert 'class="errorlist' not in html
    return html


def test_add_page_lists_provinces_only_with_the_step_and_the_search(admin_client):
    # when
    html = admin_client.get(ADD).content.decode()
    # then: no 83,762-option select, no raw code to type; the search box's settings are there
    assert len(_options(html, "province_choice")) == Region.objects.filter(level=1).count()
    assert _options(html, "region") == {}
    assert 'name="region_step"' in html
    assert 'data-region-search="/api/v1/regions/villages/"' in html
    assert (
        'data-region-fields="id_province_choice id_regency_choice id_district_choice id_region"'
        in html
    )
    assert "portal/js/region_picker.js" in html


def test_admin_picks_babadan_in_ngajum_by_name_step_by_step(admin_client):
    # given: the province chosen, the profile typed
    data = _form(province_choice="35")
    html = _step(admin_client, data)
    assert _options(html, "regency_choice")["35.07"] == "Kabupaten Malang"
    assert "Desa asal pekerja migran." in html
    # when: Kabupaten Malang → its districts; Ngajum → its villages
    data["regency_choice"] = "35.07"
    html = _step(admin_client, data)
    assert _options(html, "district_choice")["35.07.20"] == "Ngajum"
    data["district_choice"] = "35.07.20"
    html = _step(admin_client, data)
    villages = _options(html, "region")
    assert villages == dict(
        Region.objects.filter(level=4, parent_id="35.07.20").values_list("code", "name")
    )
    # when: Babadan chosen and saved
    response = admin_client.post(ADD, {**data, "region": BABADAN_NGAJUM})
    # then
    assert response.status_code == 302
    assert Village.objects.get().region_id == BABADAN_NGAJUM


def test_a_changed_province_empties_the_steps_below(admin_client):
    html = _step(
        admin_client,
        _form(province_choice="32", regency_choice="35.07", district_choice="35.07.20"),
    )
    assert all(code.startswith("32.") for code in _options(html, "regency_choice"))
    assert _options(html, "district_choice") == {}
    assert _options(html, "region") == {}


@pytest.mark.parametrize(
    "village",
    [BABADAN_PONOROGO, "35.07.20.9999", "Babadan", ""],
    ids=["babadan-of-another-district", "unknown-code", "a-name", "none"],
)
def test_a_village_outside_the_chosen_district_is_refused(admin_client, village):
    # when
    data = _form(
        province_choice="35", regency_choice="35.07", district_choice="35.07.20", region=village
    )
    response = admin_client.post(ADD, data)
    # then: the form again, the village field says why in Indonesian, nothing stored
    html = response.content.decode()
    assert response.status_code == 200
    assert Village.objects.count() == 0
    row = re.search(r'<div class="form-row[^"]*field-region.*?</select>', html, re.S).group(0)
    expected = "Pilih desa/kelurahan" if not village else VILLAGE_ERROR
    assert expected in row


def test_change_page_shows_the_village_read_only_without_the_steps(admin_client):
    # given
    data = _form(
        province_choice="35",
        regency_choice="35.07",
        district_choice="35.07.20",
        region=BABADAN_NGAJUM,
    )
    admin_client.post(ADD, data)
    village = Village.objects.get()
    # when
    html = admin_client.get(
        reverse("admin:desa_migran_village_change", args=[village.pk])
    ).content.decode()
    # then
    assert "province_choice" not in html
    assert 'name="region_step"' not in html
    assert "Babadan" in html
