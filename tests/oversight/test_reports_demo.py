"""The demo hooks run twice without duplicating anything."""

import io

import pytest

from education.models import OutreachEvent, StaffGuide
from oversight.reports.models import OfficeReport

pytestmark = pytest.mark.django_db


def test_demo_seeds_are_idempotent(settings):
    from education import demo_staff
    from oversight.reports import demo as reports_demo
    from portal import demo

    context = demo.DemoContext(
        password="demo-password-123", password_generated=False, complaints=0, stdout=io.StringIO()
    )
    demo.seed(context)
    for _run in range(2):
        demo_staff.seed(context)
        reports_demo.seed(context)
    assert StaffGuide.objects.count() >= 6
    assert OutreachEvent.objects.count() == len(demo_staff.DEMO_EVENTS)
    report = OfficeReport.objects.get()
    assert (report.office.code, report.status) == ("bp3mi-jabar", "submitted")
