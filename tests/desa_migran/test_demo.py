import datetime
import io

import pytest
import time_machine

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
