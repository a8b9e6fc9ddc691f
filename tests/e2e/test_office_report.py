"""Browser: a BP3MI head fills and submits a monthly report; the ministry reviews and comments."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARRATIVE = {
    "achievements": "Sosialisasi migrasi aman di 4 desa Tulungagung; 12 pengaduan gaji selesai.",
    "problems": "Dua P3MI tidak menjawab panggilan.",
    "requests": "Mohon koordinasi dengan KBRI Kuala Lumpur untuk kasus penahanan paspor.",
    "good_practices": "Pos pengaduan keliling di pasar desa setiap Kamis.",
}
COMMENT = "Terima kasih. Pos keliling akan kami bagikan ke BP3MI lain."


@pytest.fixture
def people(offices, settings):
    from portal.services import membership_grant, role_groups_sync
    from tests.factories import UserFactory

    role_groups_sync()  # the transactional flush emptied the groups' permissions
    head = UserFactory(username="kepala-jatim-e2e", first_name="Kepala")
    analyst = UserFactory(username="menteri-e2e", first_name="Analis")
    membership_grant(user=head, office=offices["bp3mi-jatim"], role="head")
    membership_grant(user=analyst, office=offices["kemenp2mi"], role="ministry_analyst")
    return {"head": head, "analyst": analyst}


def _signed_in_page(page_in, live_server, user, language="id"):
    """A browser page with the user's session (the sign-in form is tested elsewhere)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = page_in(language)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def test_head_submits_and_ministry_reviews_a_monthly_report(
    page_in, live_server, assert_accessible, people
):
    from oversight.reports.models import OfficeReport

    # given: the head of BP3MI Jawa Timur on the reports page
    head_page = _signed_in_page(page_in, live_server, people["head"])
    head_page.goto(live_server.url + "/staf/laporan/")
    assert_accessible(head_page)
    # when: they start last month's report, write the narrative and submit it
    head_page.locator("#create-heading ~ form button[type=submit]").click()
    expect(head_page.locator("#figures-heading")).to_be_visible()
    assert_accessible(head_page)
    for field, text in NARRATIVE.items():
        head_page.fill(f"#id_{field}", text)
    head_page.locator("button[name=action][value=save]").click()
    expect(head_page.locator("#id_problems")).to_have_value(NARRATIVE["problems"])
    head_page.locator("button[name=action][value=submit]").click()
    # then: the report is submitted and no longer editable by the office
    expect(head_page.locator("textarea")).to_have_count(0)
    expect(head_page.get_by_text(NARRATIVE["good_practices"])).to_be_visible()
    assert_accessible(head_page)
    report = OfficeReport.objects.get()
    assert report.status == "submitted"

    # when: the ministry opens the month side by side, then the report, and comments
    analyst_page = _signed_in_page(page_in, live_server, people["analyst"])
    analyst_page.goto(live_server.url + f"/staf/laporan/bulan/{report.month:%Y-%m}/")
    assert NARRATIVE["achievements"][:30] in analyst_page.content()
    assert_accessible(analyst_page)
    analyst_page.get_by_role("link", name=report.office.name).first.click()
    analyst_page.fill("#id_comment", COMMENT)
    analyst_page.locator("form[action$='/tinjau/'] button[type=submit]").click()
    # then: the comment is on the report, for the office to read
    expect(analyst_page.locator("#ministry-comment")).to_contain_text(COMMENT)
    assert_accessible(analyst_page)
    head_page.reload()
    assert COMMENT in head_page.locator("#ministry-comment").inner_text()
    report.refresh_from_db()
    assert (report.status, report.ministry_comment) == ("reviewed", COMMENT)


def test_report_pages_in_english_are_accessible(page_in, live_server, assert_accessible, people):
    from datetime import date

    from oversight.reports.models import OfficeReport
    from portal.models import Office

    report = OfficeReport.objects.create(
        office=Office.objects.get(code="bp3mi-jatim"),
        month=date(2026, 9, 1),
        status="submitted",
        **NARRATIVE,
    )
    page = _signed_in_page(page_in, live_server, people["analyst"], language="en")
    for path in ("/staf/laporan/", f"/staf/laporan/{report.pk}/", "/staf/laporan/bulan/2026-09/"):
        page.goto(live_server.url + path)
        assert page.locator("h1").is_visible()
        assert_accessible(page)
    page.goto(live_server.url + f"/staf/laporan/{report.pk}/")
    assert page.get_by_role("button", name="Send the review to the office").is_visible()


@pytest.mark.parametrize("language", ["id", "en"])
def test_outreach_calendar_and_staff_guides_are_accessible(
    page_in, live_server, assert_accessible, people, language
):
    from datetime import timedelta

    from django.utils import timezone

    from education.learning.content import STAFF_GUIDES
    from education.learning.services import staff_guide_upsert
    from education.outreach.services import outreach_event_create
    from portal.models import Office

    # given: an upcoming event and the staff guides (the flush removed the migration's rows)
    for entry in STAFF_GUIDES:
        staff_guide_upsert(**entry)
    soon = timezone.now() + timedelta(days=5)
    outreach_event_create(
        actor=people["head"],
        office=Office.objects.get(code="bp3mi-jatim"),
        region_code="35.04",
        title="Sosialisasi migrasi aman di balai desa",
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        format="village_meeting",
    )
    public = page_in(language)
    public.goto(live_server.url + "/sosialisasi/?provinsi=35")
    assert "Sosialisasi migrasi aman di balai desa" in public.content()
    assert_accessible(public)
    # when: the head reads a guide, marks it studied and looks at the progress of the office
    head = _signed_in_page(page_in, live_server, people["head"], language=language)
    head.goto(live_server.url + "/staf/panduan/")
    assert_accessible(head)
    head.goto(live_server.url + f"/staf/panduan/{STAFF_GUIDES[0]['slug']}/")
    assert_accessible(head)
    head.locator("form[action$='/dipelajari/'] button[type=submit]").click()
    head.goto(live_server.url + "/staf/panduan/kemajuan/")
    # then
    assert "kepala-jatim-e2e" in head.content()
    assert_accessible(head)
