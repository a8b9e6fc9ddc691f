"""Office report pages: scope (out of scope is a 404), the head's form, the ministry's review."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from oversight.reports.choices import ReportStatus
from oversight.reports.models import OfficeReport
from tests.oversight.reports_factories import NARRATIVE, report_make

pytestmark = pytest.mark.django_db

OCTOBER = date(2026, 10, 1)


PAGE_SCOPE = [
    # (office, role, report office, report status) → can the user open the report page?
    ("bp3mi-jatim", "head", "bp3mi-jatim", "draft", True),
    ("bp3mi-jatim", "officer", "bp3mi-jatim", "draft", True),
    ("bp3mi-jatim", "head", "bp3mi-jabar", "draft", False),
    ("bp3mi-jatim", "head", "bp3mi-jabar", "submitted", False),
    ("p4mi-tulungagung", "officer", "bp3mi-jatim", "submitted", False),
    ("kemenp2mi", "ministry_analyst", "bp3mi-jatim", "draft", False),
    ("kemenp2mi", "ministry_analyst", "bp3mi-jatim", "submitted", True),
]


@pytest.mark.parametrize(("office", "role", "report_office", "status", "visible"), PAGE_SCOPE)
def test_report_pages_scope_table(client, make_staff, office, role, report_office, status, visible):
    # given
    report = report_make(office_code=report_office, month=OCTOBER, status=status, **NARRATIVE)
    client.force_login(make_staff(office, role))
    # when
    detail = client.get(reverse("reports:detail", args=[report.pk]))
    listing = client.get(reverse("reports:list")).content.decode()
    month = client.get(reverse("reports:month", args=["2026-10"])).content.decode()
    post = client.post(reverse("reports:update", args=[report.pk]), {"achievements": "Diubah"})
    # then
    assert detail.status_code == (200 if visible else 404)
    assert (report.get_absolute_url() in listing) == visible
    assert (NARRATIVE["good_practices"] in month) == visible
    if not visible:
        assert post.status_code == 404
    report.refresh_from_db()
    if not (visible and role == "head" and status == "draft"):
        assert report.achievements == NARRATIVE["achievements"]


def test_staff_pages_need_a_staff_sign_in(client):
    response = client.get(reverse("reports:list"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# 20 November 2026: October's report is due (a month not yet over would be refused).
@time_machine.travel(datetime(2026, 11, 20, 2, tzinfo=UTC), tick=False)
def test_head_starts_fills_and_submits_a_report(client, make_staff, offices):
    # given
    head = make_staff("bp3mi-jatim", "head")
    client.force_login(head)
    # when
    client.post(
        reverse("reports:create"), {"office": offices["bp3mi-jatim"].pk, "month": "2026-10"}
    )
    report = OfficeReport.objects.get(office=offices["bp3mi-jatim"], month=OCTOBER)
    client.post(reverse("reports:update", args=[report.pk]), {**NARRATIVE, "action": "submit"})
    again = client.post(
        reverse("reports:create"),
        {"office": offices["bp3mi-jatim"].pk, "month": "2026-10"},
        follow=True,
    )
    edit = client.post(
        reverse("reports:update", args=[report.pk]),
        {**NARRATIVE, "problems": "Diubah"},
        follow=True,
    )
    # then
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.problems == NARRATIVE["problems"]
    assert OfficeReport.objects.count() == 1
    assert "sudah memiliki laporan" in again.content.decode() or "already has a report" in (
        again.content.decode()
    )
    assert edit.status_code == 200
    assert "<textarea" not in edit.content.decode()


def test_ministry_reviews_with_a_comment_and_closes(client, make_staff):
    report = report_make(office_code="bp3mi-jatim", month=OCTOBER, status="submitted", **NARRATIVE)
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    empty = client.post(reverse("reports:review", args=[report.pk]), {"comment": ""})
    client.post(reverse("reports:review", args=[report.pk]), {"comment": "Lanjutkan."})
    client.post(reverse("reports:close", args=[report.pk]))
    report.refresh_from_db()
    assert empty.status_code == 400
    assert report.status == ReportStatus.CLOSED
    assert report.ministry_comment == "Lanjutkan."


def test_bad_month_in_the_url_is_a_404_and_bad_month_in_the_form_an_error(
    client, make_staff, offices
):
    client.force_login(make_staff("bp3mi-jatim", "head"))
    assert client.get("/staf/laporan/bulan/2026-13/").status_code == 404
    client.post(reverse("reports:create"), {"office": offices["bp3mi-jatim"].pk, "month": "okt"})
    assert not OfficeReport.objects.exists()


def test_list_search_finds_words_in_past_reports(client, make_staff):
    report_make(
        office_code="bp3mi-jatim",
        month=date(2026, 8, 1),
        status="closed",
        problems="Penampungan di Batam penuh.",
    )
    report_make(office_code="bp3mi-jatim", month=date(2026, 9, 1), status="closed")
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    page = client.get(reverse("reports:list"), {"q": "batam"}).content.decode()
    assert "/staf/laporan/" in page
    assert page.count('href="/staf/laporan/') - page.count('href="/staf/laporan/bulan/') == 1


@pytest.mark.parametrize(
    "url",
    ["/staf/laporan/", "/staf/laporan/bulan/2026-10/", "/staf/panduan/", "/staf/panduan/kemajuan/"],
)
def test_staff_pages_need_the_second_factor_when_the_admin_does(client, make_staff, settings, url):
    # given: a head signed in with the password only, while the second factor is required
    settings.OTP_REQUIRED = True
    client.force_login(make_staff("bp3mi-jatim", "head"))
    # when
    response = client.get(url)
    # then: sent straight on to the code step (portal.middleware), keeping the page to return to
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/otp/?next=")


def test_month_overview_query_count_does_not_grow_with_reports(
    client, make_staff, django_assert_max_num_queries
):
    from portal.models import Office

    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    for office in Office.objects.filter(kind="bp3mi")[:10]:
        report_make(office_code=office.code, month=OCTOBER, status="submitted", **NARRATIVE)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reports:month", args=["2026-10"]))
    assert response.status_code == 200
    assert response.content.decode().count(NARRATIVE["good_practices"]) == 10
