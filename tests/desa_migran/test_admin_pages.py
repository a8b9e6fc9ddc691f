"""Admin pages render for office staff, and the assessment checklist goes through the service."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from desa_migran.choices import Criterion, VillageStatus
from portal.services import role_groups_sync
from tests.desa_migran.factories import VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, make_staff):
    role_groups_sync()
    user = make_staff("bp3mi-jatim", "officer")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "name",
    [
        "admin:desa_migran_village_add",
        "admin:desa_migran_village_changelist",
        "admin:desa_migran_villageindicator_add",
        "admin:desa_migran_villageindicator_changelist",
        "admin:desa_migran_villageindicator_import",
        "admin:desa_migran_villageactivity_add",
        "admin:desa_migran_villageassessment_add",
        "admin:desa_migran_villageassessment_changelist",
    ],
)
def test_admin_pages_render_for_an_officer(client, officer, name):
    assert client.get(reverse(name)).status_code == 200


def test_assessment_checklist_in_admin_scores_and_marks_assessed(client, officer):
    # given
    village = VillageFactory(status=VillageStatus.CANDIDATE)
    # Yesterday on the suite's frozen clock: a fixed date would be "in the future" on some runs.
    assessed_on = timezone.localdate() - dt.timedelta(days=1)
    data = {
        "village": village.pk,
        "assessed_on": assessed_on.isoformat(),
        "notes": "Kunjungan lapangan",
    }
    for criterion in Criterion.values:
        data[f"score_{criterion}"] = "2"
        data[f"evidence_{criterion}"] = "Dilihat langsung"
    # when
    response = client.post(reverse("admin:desa_migran_villageassessment_add"), data)
    # then
    assert response.status_code == 302
    assessment = village.assessments.get()
    assert (assessment.score, assessment.passed, assessment.assessor) == (100, True, officer)
    assert assessment.items.count() == len(Criterion.values)
    village.refresh_from_db()
    assert village.status == VillageStatus.ASSESSED


def test_activity_added_in_admin_goes_through_the_service(client, officer):
    village = VillageFactory()
    response = client.post(
        reverse("admin:desa_migran_villageactivity_add"),
        {
            "village": village.pk,
            "held_on": "2025-03-01",
            "pillar": "maju",
            "title": "Pelatihan usaha",
            "description": "Pelatihan tiga hari.",
            "outcome": "",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert village.activities.get().created_by == officer


def test_withdraw_action_asks_for_a_reason_then_withdraws(client, make_staff):
    # given
    role_groups_sync()
    client.force_login(make_staff("bp3mi-jatim", "head"))
    village = VillageFactory()
    url = reverse("admin:desa_migran_village_changelist")
    selection = {"action": "withdraw", "_selected_action": [village.pk]}
    # when: the action asks for the reason first
    page = client.post(url, selection)
    # then
    assert page.status_code == 200
    assert "reason" in page.text
    village.refresh_from_db()
    assert village.status == VillageStatus.DESA_MIGRAN_EMAS
    # when: confirmed with a reason
    done = client.post(url, {**selection, "confirm": "1", "reason": "Desa mengundurkan diri."})
    # then
    assert done.status_code == 302
    village.refresh_from_db()
    assert village.status == VillageStatus.WITHDRAWN
    assert village.withdrawal_reason == "Desa mengundurkan diri."


def test_officer_cannot_withdraw(client, officer):
    village = VillageFactory()
    client.post(
        reverse("admin:desa_migran_village_changelist"),
        {"action": "withdraw", "_selected_action": [village.pk], "confirm": "1", "reason": "x"},
    )
    village.refresh_from_db()
    assert village.status == VillageStatus.DESA_MIGRAN_EMAS


def test_officer_edits_what_the_village_runs_through_the_inline(client, officer):
    # given
    village = VillageFactory()
    url = reverse("admin:desa_migran_village_change", args=[village.pk])
    form = client.get(url)
    assert "programmes-TOTAL_FORMS" in form.text
    data = {
        "profile": "Profil",
        "population": "3000",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "programmes-TOTAL_FORMS": "1",
        "programmes-INITIAL_FORMS": "0",
        "programmes-0-kind": "info_service_post",
        "programmes-0-name": "Pos Layanan",
        "programmes-0-opening_hours": "Senin-Jumat 08.00-15.00",
        "programmes-0-is_active": "on",
    }
    for prefix in ("task_force_members", "partners", "photos", "status_changes"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 302
    programme = village.programmes.get()
    assert (programme.pillar, programme.opening_hours) == ("edukatif", "Senin-Jumat 08.00-15.00")
