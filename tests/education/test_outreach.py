"""Outreach events (sosialisasi): bad input, office scope, public calendar and API, counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from education.models import OutreachEvent, OutreachFormat
from education.outreach.selectors import (
    outreach_counts_by_office_and_month,
    outreach_event_list_for_staff,
    outreach_reach_by_province,
)
from education.outreach.services import outreach_event_create, outreach_event_save
from portal.exceptions import ApplicationError
from portal.models import Region

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 10, 14, 9, 0, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgid; Indonesian (the default) has its own test.
    from django.utils import translation

    with translation.override("en"):
        yield


def _event(actor, office, *, region_code="35.04", starts_at=START, hours=2, **fields):
    values = {
        "title": "Sosialisasi migrasi aman",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "format": OutreachFormat.VILLAGE_MEETING,
    }
    values.update(fields)
    return outreach_event_create(actor=actor, office=office, region_code=region_code, **values)


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hours": -1}, "ends_at"),
        ({"region_code": "99.99"}, "region"),
        ({"region_code": "Tulungagung"}, "region"),
        ({"region_code": ""}, "region"),
        ({"audience_women": -3}, "audience_women"),
        ({"audience_men": -1}, "audience_men"),
        ({"format": "karaoke"}, "format"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_event_input_is_refused_and_nothing_stored(make_staff, offices, overrides, field):
    officer = make_staff("bp3mi-jatim", "officer")
    with pytest.raises(ValidationError) as error:
        _event(officer, offices["bp3mi-jatim"], **overrides)
    assert field in error.value.message_dict
    assert not OutreachEvent.objects.exists()


def test_end_before_start_says_so(make_staff, offices):
    officer = make_staff("bp3mi-jatim", "officer")
    with pytest.raises(ValidationError) as error:
        _event(officer, offices["bp3mi-jatim"], hours=-2)
    assert error.value.message_dict["ends_at"] == ["The event cannot end before it starts."]


def test_region_that_is_not_a_kemendagri_code_says_so(make_staff, offices):
    officer = make_staff("bp3mi-jatim", "officer")
    with pytest.raises(ValidationError) as error:
        _event(officer, offices["bp3mi-jatim"], region_code="35.99.99")
    assert "is not a Kemendagri region code" in error.value.message_dict["region"][0]


def test_an_event_of_another_office_is_refused(make_staff, offices):
    officer = make_staff("bp3mi-jatim", "officer")
    with pytest.raises(ApplicationError):
        _event(officer, offices["bp3mi-jabar"], region_code="32.12")
    assert not OutreachEvent.objects.exists()


def test_editing_or_moving_another_office_event_is_refused(make_staff, offices):
    # given
    jabar = make_staff("bp3mi-jabar", "officer")
    jatim = make_staff("bp3mi-jatim", "officer")
    event = _event(jabar, offices["bp3mi-jabar"], region_code="32.12")
    # when: jatim edits jabar's event, and takes it over by changing the office
    event.title = "Diubah kantor lain"
    with pytest.raises(ApplicationError):
        outreach_event_save(actor=jatim, event=event)
    event.office = offices["bp3mi-jatim"]
    with pytest.raises(ApplicationError):
        outreach_event_save(actor=jatim, event=event)
    # then
    stored = OutreachEvent.objects.get(pk=event.pk)
    assert (stored.title, stored.office.code) == ("Sosialisasi migrasi aman", "bp3mi-jabar")


def test_village_must_lie_inside_the_place(make_staff, offices):
    from desa_migran.models import Village

    officer = make_staff("bp3mi-jatim", "officer")
    village_region = Region.objects.filter(level=4, code__startswith="35.04.").first()
    village = Village.objects.create(region=village_region)
    event = _event(officer, offices["bp3mi-jatim"], region_code="35.04", village=village)
    assert event.village == village
    assert event.province_id == "35"
    with pytest.raises(ValidationError) as error:
        _event(officer, offices["bp3mi-jatim"], region_code="35.78", village=village)
    assert "village" in error.value.message_dict
    assert OutreachEvent.objects.count() == 1


# --- scope ---------------------------------------------------------------------------------

SCOPE = [
    ("bp3mi-jatim", "officer", {"jatim", "tulungagung"}),
    ("bp3mi-jatim", "head", {"jatim", "tulungagung"}),
    ("p4mi-tulungagung", "officer", {"tulungagung"}),
    ("bp3mi-jabar", "officer", {"jabar"}),
    ("kemenp2mi", "ministry_analyst", {"jatim", "tulungagung", "jabar"}),
]


@pytest.fixture
def three_events(make_staff, offices):
    admin = make_staff("kemenp2mi", "ministry_analyst")
    return {
        "jatim": _event(admin, offices["bp3mi-jatim"], title="jatim"),
        "tulungagung": _event(admin, offices["p4mi-tulungagung"], title="tulungagung"),
        "jabar": _event(admin, offices["bp3mi-jabar"], region_code="32.12", title="jabar"),
    }


@pytest.mark.parametrize(("office_code", "role", "expected"), SCOPE)
def test_event_scope_table(make_staff, three_events, office_code, role, expected):
    user = make_staff(office_code, role)
    titles = set(outreach_event_list_for_staff(user=user).values_list("title", flat=True))
    assert titles == expected


@pytest.mark.parametrize(("office_code", "role", "expected"), SCOPE)
def test_event_admin_scope_table(client, make_staff, three_events, office_code, role, expected):
    # given
    client.force_login(make_staff(office_code, role))
    # when
    listing = client.get(reverse("admin:education_outreachevent_changelist"))
    pages = {
        (name, view): client.get(reverse(f"admin:education_outreachevent_{view}", args=[event.pk]))
        for name, event in three_events.items()
        for view in ("change", "history", "delete")
    }
    # then
    assert listing.status_code == 200
    shown = {name for name in three_events if f">{name}</a>" in listing.content.decode()}
    assert shown == expected
    for view in ("change", "history", "delete"):
        opened = {
            name for (name, kind), page in pages.items() if kind == view and page.status_code == 200
        }
        assert opened == expected, view


# The photo inline's management form, empty: the admin form posts it with every event.
PHOTO_MANAGEMENT = {
    "photos-TOTAL_FORMS": "0",
    "photos-INITIAL_FORMS": "0",
    "photos-MIN_NUM_FORMS": "0",
    "photos-MAX_NUM_FORMS": "1000",
}


def test_admin_refuses_an_event_for_another_office(client, make_staff, offices):
    client.force_login(make_staff("bp3mi-jatim", "officer"))
    response = client.post(
        reverse("admin:education_outreachevent_add"),
        {
            "office": offices["bp3mi-jabar"].pk,
            "title": "Menyusup",
            "starts_at_0": "2026-10-14",
            "starts_at_1": "09:00",
            "ends_at_0": "2026-10-14",
            "ends_at_1": "11:00",
            "region": "32.12",
            "format": "radio",
            "audience_women": "0",
            "audience_men": "0",
            **PHOTO_MANAGEMENT,
        },
    )
    assert response.status_code == 200
    assert "office" in response.context["adminform"].form.errors
    assert not OutreachEvent.objects.exists()


# --- public calendar and API -----------------------------------------------------------------


@pytest.fixture
def calendar_events(make_staff, offices):
    from django.utils import timezone

    admin = make_staff("kemenp2mi", "ministry_analyst")
    soon = timezone.now() + timedelta(days=3)
    return {
        "upcoming-jatim": _event(admin, offices["bp3mi-jatim"], starts_at=soon, title="Desa A"),
        "upcoming-jabar": _event(
            admin, offices["bp3mi-jabar"], region_code="32.12", starts_at=soon, title="Desa B"
        ),
        "past": _event(
            admin, offices["bp3mi-jatim"], starts_at=soon - timedelta(days=30), title="Sudah lewat"
        ),
        "private": _event(
            admin,
            offices["bp3mi-jatim"],
            starts_at=soon,
            title="Rapat internal",
            is_public=False,
            follow_up="Catatan internal",
        ),
    }


def test_public_calendar_lists_upcoming_public_events_by_province(client, calendar_events):
    page = client.get(reverse("outreach:calendar")).content.decode()
    assert "Desa A" in page
    assert "Desa B" in page
    assert "Sudah lewat" not in page
    assert "Rapat internal" not in page
    jatim = client.get(reverse("outreach:calendar"), {"provinsi": "35"}).content.decode()
    assert "Desa A" in jatim
    assert "Desa B" not in jatim


def test_outreach_api_is_public_paginated_and_hides_internal_fields(client, calendar_events):
    response = client.get("/api/v1/outreach/", {"province": "32"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["title"] == "Desa B"
    assert body["results"][0]["province_code"] == "32"
    assert "follow_up" not in body["results"][0]
    everything = client.get("/api/v1/outreach/").json()
    assert {row["title"] for row in everything["results"]} == {"Desa A", "Desa B"}


def test_outreach_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/outreach/" in schema


# --- counts for the ministry -------------------------------------------------------------------


def test_counts_by_office_and_month_equal_a_direct_count(make_staff, offices):
    # given
    admin = make_staff("kemenp2mi", "ministry_analyst")
    rows = [
        ("bp3mi-jatim", datetime(2026, 9, 30, 23, 30, tzinfo=JAKARTA), 10, 5),  # September in WIB
        ("bp3mi-jatim", datetime(2026, 10, 1, 0, 30, tzinfo=JAKARTA), 7, 3),
        ("bp3mi-jatim", datetime(2026, 10, 20, 9, 0, tzinfo=JAKARTA), 1, 1),
        ("bp3mi-jabar", datetime(2026, 10, 2, 9, 0, tzinfo=JAKARTA), 4, 0),
    ]
    for code, start, women, men in rows:
        _event(
            admin,
            offices[code],
            region_code="35.04" if code.endswith("jatim") else "32.12",
            starts_at=start,
            audience_women=women,
            audience_men=men,
        )
    # when
    counts = {
        (row["office_name"], row["month"].isoformat()): (row["events"], row["audience"])
        for row in outreach_counts_by_office_and_month(user=admin)
    }
    # then
    jatim, jabar = offices["bp3mi-jatim"].name, offices["bp3mi-jabar"].name
    assert counts == {
        (jatim, "2026-09-01"): (1, 15),
        (jatim, "2026-10-01"): (2, 12),
        (jabar, "2026-10-01"): (1, 4),
    }
    officer = make_staff("bp3mi-jabar", "officer")
    assert {row["office_name"] for row in outreach_counts_by_office_and_month(user=officer)} == {
        jabar
    }
    reach = {row["province_code"]: row["events"] for row in outreach_reach_by_province(user=admin)}
    assert reach == {"35": 3, "32": 1}


def test_report_figures_count_the_office_and_its_posts_outreach(make_staff, offices):
    from datetime import date

    from oversight.reports.selectors import office_report_figures

    admin = make_staff("kemenp2mi", "ministry_analyst")
    _event(admin, offices["bp3mi-jatim"], audience_women=10, audience_men=2)
    _event(admin, offices["p4mi-tulungagung"], audience_women=3)
    _event(admin, offices["bp3mi-jabar"], region_code="32.12", audience_men=50)
    _event(admin, offices["bp3mi-jatim"], starts_at=START + timedelta(days=40), audience_men=9)
    figures = office_report_figures(office=offices["bp3mi-jatim"], month=date(2026, 10, 1))
    assert (figures.outreach_events, figures.outreach_audience) == (2, 15)


def test_outreach_api_query_count_does_not_grow_with_events(
    client, make_staff, offices, django_assert_max_num_queries
):
    from django.utils import timezone

    admin = make_staff("kemenp2mi", "ministry_analyst")
    soon = timezone.now() + timedelta(days=2)
    for index in range(12):
        _event(admin, offices["bp3mi-jatim"], starts_at=soon, title=f"Acara {index}")
    with django_assert_max_num_queries(4):  # count, page, guides of the page (+ savepoint slack)
        response = client.get("/api/v1/outreach/")
    assert response.json()["count"] == 12


@pytest.mark.parametrize(("region", "stored"), [("35.04", True), ("99.99", False)])
def test_admin_records_an_event_of_the_own_office(client, make_staff, offices, region, stored):
    officer = make_staff("bp3mi-jatim", "officer")
    client.force_login(officer)
    response = client.post(
        reverse("admin:education_outreachevent_add"),
        {
            "office": offices["bp3mi-jatim"].pk,
            "title": "Sosialisasi di SMK",
            "starts_at_0": "2026-10-14",
            "starts_at_1": "09:00",
            "ends_at_0": "2026-10-14",
            "ends_at_1": "11:00",
            "region": region,
            "format": "school",
            "audience_women": "30",
            "audience_men": "25",
            "is_public": "on",
            **PHOTO_MANAGEMENT,
        },
    )
    if stored:
        assert response.status_code == 302
        event = OutreachEvent.objects.get()
        assert (event.created_by, event.province_id, event.audience_total) == (officer, "35", 55)
    else:
        assert "region" in response.context["adminform"].form.errors
        assert not OutreachEvent.objects.exists()


# --- schemathesis: the outreach API answers as its schema says ---------------------------------

import schemathesis  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from portal.wsgi import application  # noqa: E402

outreach_schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(
    path_regex=r"^/api/v1/outreach/"
)


@outreach_schema.parametrize()
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
def test_outreach_api_conforms_to_its_schema(case, calendar_events, keep_db_connection):
    response = case.call()
    case.validate_response(
        response,
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.status_code_conformance,
            schemathesis.checks.response_schema_conformance,
        ],
    )
