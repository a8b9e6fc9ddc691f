import datetime
import io

import pytest
import time_machine
from django.utils.html import escape

from desa_migran import demo
from desa_migran.choices import VillageStatus
from desa_migran.models import Village, VillageActivity, VillageIndicator
from portal import demo as portal_demo
from portal.models import Region

pytestmark = pytest.mark.django_db


def test_demo_villages_use_real_kemendagri_codes_and_names(reference_data):
    regions = Region.objects.in_bulk([code for code, *_rest in demo.DEMO_VILLAGES])
    for code, name, *_rest in demo.DEMO_VILLAGES:
        assert regions[code].name == name
        assert regions[code].level == 4
    provinces = {code[:2] for code, *_rest in demo.DEMO_VILLAGES}
    assert provinces == {"35", "33", "32", "52", "53", "18"}


def test_seed_creates_villages_with_indicators_and_activities_idempotently(reference_data):
    # given a date after the demo's assessments (January to September 2025): none is in the future
    context = portal_demo.DemoContext(
        password="demo-password-1", password_generated=False, complaints=0, stdout=io.StringIO()
    )
    with time_machine.travel(datetime.datetime(2026, 3, 2, 3, tzinfo=datetime.UTC), tick=False):
        portal_demo.seed(context)
        # when
        demo.seed(context)
        demo.seed(context)
    # then
    assert Village.objects.count() == len(demo.DEMO_VILLAGES)
    statuses = {code: status for code, _name, status, *_rest in demo.DEMO_VILLAGES}
    for village in Village.objects.all():
        assert village.status == statuses[village.region_id]
    designated = Village.objects.filter(status=VillageStatus.DESA_MIGRAN_EMAS)
    assert all(v.designation_confirmed_by and v.designation_proposed_by for v in designated)
    assert VillageIndicator.objects.count() == 2 * len(demo.DEMO_VILLAGES)
    assert VillageActivity.objects.count() == 2 * len(demo.DEMO_VILLAGES)


def _demo_context() -> portal_demo.DemoContext:
    return portal_demo.DemoContext(
        password="demo-password-1", password_generated=False, complaints=0, stdout=io.StringIO()
    )


def test_a_demo_village_page_reads_in_english_after_switching_language(client, reference_data):
    # given the demo seeded (after its 2025 assessments, so none lies in the future)
    from education import demo_staff

    context = _demo_context()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 3, tzinfo=datetime.UTC), tick=False):
        portal_demo.seed(context)
        demo.seed(context)
        demo_staff.seed(context)
        village = Village.objects.get(region_id="35.07.11.2001")  # Putukrejo
        # when: the page in Indonesian, then with the language switched to English
        indonesian = client.get(village.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id")
        english = client.get(village.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
        calendar = client.get("/sosialisasi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    id_html, en_html = indonesian.content.decode(), english.content.decode()
    # then: the profile and both practices in English, none marked "only in Indonesian"
    assert "Putukrejo is the home village of many migrant workers." in en_html
    assert "adalah desa asal banyak pekerja migran" not in en_html
    assert "This profile is only available in Indonesian." not in en_html
    assert "only-indonesian" not in en_html
    activities = list(VillageActivity.objects.filter(village=village))
    assert len(activities) == 2
    for activity in activities:
        assert activity.title_en
        assert f'<span lang="en">{escape(activity.title_en)}</span>' in en_html
        assert escape(activity.title) not in en_html
        # and the Indonesian page keeps the Indonesian texts
        assert escape(activity.title) in id_html
    assert "Desa Putukrejo adalah desa asal banyak pekerja migran." in id_html
    # and the demo's upcoming outreach events are listed in English too
    assert "Official job fair for work abroad" in calendar
    assert "Bursa kerja luar negeri resmi" not in calendar


def test_demo_villages_seeded_without_english_get_it_on_the_next_seed(reference_data):
    # given a demo seeded before its English texts existed
    context = _demo_context()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 3, tzinfo=datetime.UTC), tick=False):
        portal_demo.seed(context)
        demo.seed(context)
        Village.objects.update(profile_en="")
        VillageActivity.objects.update(title_en="", description_en="", outcome_en="")
        edited = Village.objects.get(region_id="35.04.08.2002")
        edited.profile = "Profil yang ditulis ulang oleh petugas."
        edited.save(update_fields=["profile"])
        # when
        demo.seed(context)
    # then: every demo text has its English again, and the officer's own text is left alone
    assert not Village.objects.exclude(pk=edited.pk).filter(profile_en="").exists()
    assert Village.objects.get(pk=edited.pk).profile_en == ""
    assert not VillageActivity.objects.filter(title_en="").exists()
    assert not VillageActivity.objects.filter(description_en="").exists()
