"""Staff intake asks the home village by name, like the public form: province → regency →
district → village step by step without scripts (the "Show the list" button), and it refuses a
village that does not belong to the chosen district with a plain Indonesian message."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Complaint
from portal.choices import Role
from portal.models import Region
from tests.complaints.test_staff_intake_pages import PAGE, _form
from tests.complaints.triage_support import OFFICE_A, category_ensure, staff_client

pytestmark = [pytest.mark.django_db]

NOW = dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC)
BABADAN_NGAJUM = "35.07.20.2007"
BABADAN_PONOROGO = "35.02.16.2013"
VILLAGE_ERROR = "Pilih desa dari kecamatan yang Anda pilih."


@pytest.fixture
def _clock():
    # Sessions and the received-at check read the clock: one instant for the whole test.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client(_clock, make_staff):
    category_ensure()
    officer = make_staff(OFFICE_A, Role.OFFICER, username="petugas-desa")
    client = staff_client(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    return client


def _options(html: str, field: str) -> dict[str, str]:
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S).group(0)
    return {
        value: label
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
        if value
    }


def _step(client, data: dict) -> str:
    response = client.post(PAGE, {**data, "region_step": "1"})
    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    return response.content.decode()


def test_officer_picks_babadan_in_ngajum_by_name_step_by_step(client):
    # given: the first render lists provinces only, with the step button
    html = client.get(PAGE).content.decode()
    assert 'name="region_step"' in html
    assert _options(html, "origin_region") == {}
    # when: Jawa Timur → its regencies, by name
    data = _form(origin_region="", description="Datang ke kantor: gaji tidak dibayar.")
    html = _step(client, data)
    expected = dict(Region.objects.filter(level=2, parent_id="35").values_list("code", "name"))
    assert _options(html, "origin_region") == expected
    assert "Datang ke kantor: gaji tidak dibayar." in html
    assert "is-invalid" not in html
    # when: Kabupaten Malang → its districts; Ngajum → its villages
    data["origin_region"] = "35.07"
    html = _step(client, data)
    assert _options(html, "origin_district")["35.07.20"] == "Ngajum"
    data["origin_district"] = "35.07.20"
    html = _step(client, data)
    villages = _options(html, "origin_village")
    assert villages == dict(
        Region.objects.filter(level=4, parent_id="35.07.20").values_list("code", "name")
    )
    assert villages[BABADAN_NGAJUM] == "Babadan"
    # when: Babadan chosen and the complaint recorded
    data["origin_village"] = BABADAN_NGAJUM
    response = client.post(PAGE, data)
    # then
    assert response.status_code == 201
    assert Complaint.objects.get().origin_region_id == BABADAN_NGAJUM


def test_a_changed_regency_empties_the_district_and_village_steps(client):
    data = _form(origin_region="35.02", origin_district="35.07.20", origin_village=BABADAN_NGAJUM)
    html = _step(client, data)
    assert set(_options(html, "origin_district")) == set(
        Region.objects.filter(level=3, parent_id="35.02").values_list("code", flat=True)
    )
    assert _options(html, "origin_village") == {}


@pytest.mark.parametrize(
    ("district", "village"),
    [
        ("35.07.20", BABADAN_PONOROGO),  # a Babadan, but of another district
        ("35.07.20", "35.07.20.9999"),  # no such village
        ("35.07.20", "Babadan"),  # a name where a code belongs
    ],
)
def test_a_village_outside_the_chosen_district_is_refused_in_indonesian(client, district, village):
    # when
    data = _form(origin_region="35.07", origin_district=district, origin_village=village)
    response = client.post(PAGE, data)
    # then: the page says which field is wrong, in Indonesian, and nothing is stored
    html = response.content.decode()
    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    block = html[html.index('id="div_id_origin_village"') :]
    assert VILLAGE_ERROR in block[: block.index("</select>") + 600]


def test_a_district_of_another_regency_is_refused_in_indonesian(client):
    data = _form(origin_region="35.07", origin_district="35.02.16", origin_village=BABADAN_PONOROGO)
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    assert "Pilih kecamatan dari kabupaten atau kota yang Anda pilih." in response.content.decode()


def test_staff_form_and_public_form_share_their_fieldsets(client):
    # given
    staff = client.get(PAGE).content.decode()
    public = client.get(reverse("complaints:submit")).content.decode()

    def legends(html: str) -> list[str]:
        return re.findall(r"<legend[^>]*>\s*([^<]+?)\s*</legend>", html)

    # then: every fieldset of the public form after its first is in the staff form, in order
    assert legends(public)[1:] == legends(staff)[-len(legends(public)) + 1 :]
    for marker in ('id="region-picker"', 'id="contact-fields"', "data-region-search="):
        assert marker in staff
