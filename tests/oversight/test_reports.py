"""Monthly office reports: workflow table, bad input, scope, pre-filled figures, reminders."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from complaints.choices import EventKind, Status
from complaints.models import Complaint, ComplaintEvent, Notification
from oversight.reports import services
from oversight.reports.choices import ReportStatus
from oversight.reports.models import OfficeReport, OfficeReportEvent
from oversight.reports.selectors import (
    office_report_figures,
    office_report_list_for_staff,
    office_report_month_overview,
    office_report_search,
)
from portal.exceptions import ApplicationError
from portal.models import Office
from tests.complaints.factories import ComplaintEventFactory, ComplaintFactory
from tests.oversight.reports_factories import NARRATIVE, local, report_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgid; Indonesian (the default) has its own test.
    from django.utils import translation

    with translation.override("en"):
        yield


OCTOBER = date(2026, 10, 1)
IN_NOVEMBER = local(2026, 11, 5, 9, 0)


@pytest.fixture
def head_jatim(make_staff):
    return make_staff("bp3mi-jatim", "head")


@pytest.fixture
def analyst(make_staff):
    return make_staff("kemenp2mi", "ministry_analyst")


def _draft(head, *, month=OCTOBER, now=IN_NOVEMBER) -> OfficeReport:
    office = Office.objects.get(code="bp3mi-jatim")
    report = services.office_report_create(office=office, month=month, actor=head, now=now)
    return services.office_report_update_narrative(report=report, actor=head, **NARRATIVE)


# --- workflow ------------------------------------------------------------------------------

ALL = list(ReportStatus)
ALLOWED = {
    ("draft", "submitted"): "head",
    ("submitted", "reviewed"): "ministry",
    ("reviewed", "closed"): "ministry",
}


@pytest.mark.parametrize("from_status", ALL)
@pytest.mark.parametrize("to_status", ALL)
@pytest.mark.parametrize("actor_kind", ["head", "ministry", "officer", "other_head"])
def test_report_workflow_transitions_table(make_staff, offices, from_status, to_status, actor_kind):
    # given
    users = {
        "head": make_staff("bp3mi-jatim", "head"),
        "ministry": make_staff("kemenp2mi", "ministry_analyst"),
        "officer": make_staff("bp3mi-jatim", "officer"),
        "other_head": make_staff("bp3mi-jabar", "head"),
    }
    report = report_make(office_code="bp3mi-jatim", month=OCTOBER, status=from_status, **NARRATIVE)
    allowed = ALLOWED.get((from_status, to_status)) == actor_kind
    # when / then
    if allowed:
        services.office_report_transition(
            report=report, to_status=to_status, actor=users[actor_kind], comment="Baik."
        )
        report.refresh_from_db()
        assert report.status == to_status
        step = OfficeReportEvent.objects.get(report=report)
        assert (step.from_status, step.to_status) == (from_status, to_status)
    else:
        with pytest.raises(ApplicationError):
            services.office_report_transition(
                report=report, to_status=to_status, actor=users[actor_kind], comment="Baik."
            )
        report.refresh_from_db()
        assert report.status == from_status
        assert not OfficeReportEvent.objects.exists()


def test_services_transition_table_is_the_documented_one():
    assert {(a.value, b.value): who.value for (a, b), who in services.TRANSITIONS.items()} == (
        ALLOWED
    )


def test_head_submits_and_ministry_reviews_with_a_comment_back(head_jatim, analyst):
    # given
    report = _draft(head_jatim)
    # when
    services.office_report_submit(report=report, actor=head_jatim)
    services.office_report_review(
        report=report, actor=analyst, comment="Terima kasih; lanjutkan pos keliling."
    )
    # then
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEWED
    assert report.ministry_comment == "Terima kasih; lanjutkan pos keliling."
    assert report.submitted_by == head_jatim
    assert report.reviewed_by == analyst
    notice = Notification.objects.get(dedupe_key=f"office-report-reviewed:{report.pk}")
    assert notice.recipient == report.office.notification_email


def test_review_without_a_comment_is_refused(head_jatim, analyst):
    report = _draft(head_jatim)
    services.office_report_submit(report=report, actor=head_jatim)
    with pytest.raises(ValidationError) as error:
        services.office_report_review(report=report, actor=analyst, comment="  ")
    assert "comment" in error.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_an_empty_narrative_cannot_be_submitted(head_jatim):
    office = Office.objects.get(code="bp3mi-jatim")
    report = services.office_report_create(
        office=office, month=OCTOBER, actor=head_jatim, now=IN_NOVEMBER
    )
    with pytest.raises(ValidationError):
        services.office_report_submit(report=report, actor=head_jatim)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


# --- bad input -----------------------------------------------------------------------------


def test_a_second_report_for_the_same_month_is_refused(head_jatim):
    # given
    first = _draft(head_jatim)
    services.office_report_submit(report=first, actor=head_jatim)
    # when
    with pytest.raises(ValidationError) as error:
        services.office_report_create(
            office=first.office, month=date(2026, 10, 17), actor=head_jatim, now=IN_NOVEMBER
        )
    # then
    assert "already has a report for" in error.value.message_dict["month"][0]
    assert OfficeReport.objects.count() == 1


def test_submitting_the_same_report_twice_is_refused(head_jatim):
    report = _draft(head_jatim)
    services.office_report_submit(report=report, actor=head_jatim)
    with pytest.raises(ApplicationError) as error:
        services.office_report_submit(report=report, actor=head_jatim)
    assert "already submitted" in error.value.message
    assert OfficeReportEvent.objects.filter(report=report).count() == 1


@pytest.mark.parametrize("status", ["submitted", "reviewed", "closed"])
def test_the_office_cannot_edit_a_submitted_report(head_jatim, status):
    # given
    report = report_make(office_code="bp3mi-jatim", month=OCTOBER, status=status, **NARRATIVE)
    # when
    with pytest.raises(ApplicationError) as error:
        services.office_report_update_narrative(
            report=report, actor=head_jatim, achievements="Diubah setelah dikirim"
        )
    with pytest.raises(ApplicationError):
        services.office_report_refresh_figures(report=report, actor=head_jatim)
    # then
    assert "can no longer be changed" in error.value.message
    report.refresh_from_db()
    assert report.achievements == NARRATIVE["achievements"]


def test_only_the_head_of_the_office_writes_its_report(make_staff, offices):
    officer = make_staff("bp3mi-jatim", "officer")
    other_head = make_staff("bp3mi-jabar", "head")
    for actor in (officer, other_head):
        with pytest.raises(ApplicationError):
            services.office_report_create(
                office=offices["bp3mi-jatim"], month=OCTOBER, actor=actor, now=IN_NOVEMBER
            )
    report = report_make(office_code="bp3mi-jatim", month=OCTOBER)
    with pytest.raises(ApplicationError):
        services.office_report_update_narrative(report=report, actor=other_head, problems="x")
    assert OfficeReport.objects.count() == 1


def test_future_months_and_posts_are_refused(head_jatim, make_staff, offices):
    with pytest.raises(ValidationError) as error:
        services.office_report_create(
            office=offices["bp3mi-jatim"],
            month=date(2026, 12, 1),
            actor=head_jatim,
            now=IN_NOVEMBER,
        )
    assert "future month" in error.value.message_dict["month"][0]
    post_head = make_staff("p4mi-tulungagung", "head")
    with pytest.raises(ValidationError):
        services.office_report_create(
            office=offices["p4mi-tulungagung"], month=OCTOBER, actor=post_head, now=IN_NOVEMBER
        )
    assert not OfficeReport.objects.exists()


def test_an_overlong_narrative_is_refused_and_nothing_saved(head_jatim):
    report = _draft(head_jatim)
    with pytest.raises(ValidationError):
        services.office_report_update_narrative(
            report=report,
            actor=head_jatim,
            achievements="ok",
            problems="x" * (services.NARRATIVE_MAX_CHARS + 1),
        )
    report.refresh_from_db()
    assert report.achievements == NARRATIVE["achievements"]


# --- scope ---------------------------------------------------------------------------------

SCOPE = [
    # (office, role) → reports visible among: jatim draft, jatim submitted, jabar draft, jabar
    # submitted. Office A never sees office B's reports; the ministry never sees drafts.
    ("bp3mi-jatim", "head", {"jatim-draft", "jatim-submitted"}),
    ("bp3mi-jatim", "officer", {"jatim-draft", "jatim-submitted"}),
    ("p4mi-tulungagung", "officer", set()),
    ("bp3mi-jabar", "head", {"jabar-draft", "jabar-submitted"}),
    ("kemenp2mi", "ministry_analyst", {"jatim-submitted", "jabar-submitted"}),
    # Issue 15: a content editor of the ministry is not national: reports hold complaint figures.
    ("kemenp2mi", "content_editor", set()),
]


@pytest.mark.parametrize(("office_code", "role", "expected"), SCOPE)
def test_report_scope_table(make_staff, offices, office_code, role, expected):
    # given
    names = {}
    for code in ("jatim", "jabar"):
        names[report_make(office_code=f"bp3mi-{code}", month=OCTOBER).pk] = f"{code}-draft"
        names[
            report_make(office_code=f"bp3mi-{code}", month=date(2026, 9, 1), status="submitted").pk
        ] = f"{code}-submitted"
    user = make_staff(office_code, role)
    # when
    visible = {
        names[pk] for pk in office_report_list_for_staff(user=user).values_list("pk", flat=True)
    }
    searched = {names[report.pk] for report in office_report_search(user=user)}
    # then
    assert visible == expected
    assert searched == expected


def test_month_overview_lists_every_bp3mi_beside_its_report(analyst, offices):
    report_make(office_code="bp3mi-jatim", month=OCTOBER, status="submitted", **NARRATIVE)
    report_make(office_code="bp3mi-jabar", month=OCTOBER)  # a draft: not shown to the ministry
    rows = office_report_month_overview(user=analyst, month=OCTOBER)
    by_code = {office.code: report for office, report in rows}
    assert by_code["bp3mi-jatim"].achievements == NARRATIVE["achievements"]
    assert by_code["bp3mi-jabar"] is None
    assert "kemenp2mi" not in by_code
    assert "p4mi-tulungagung" not in by_code


def test_search_finds_past_reports_by_words_and_months(analyst):
    report_make(
        office_code="bp3mi-jatim",
        month=date(2026, 8, 1),
        status="closed",
        problems="Kapal penampungan di Batam penuh.",
    )
    report_make(
        office_code="bp3mi-jabar",
        month=date(2026, 9, 1),
        status="reviewed",
        achievements="Bursa kerja di Indramayu.",
    )
    assert [r.office.code for r in office_report_search(user=analyst, text="batam")] == [
        "bp3mi-jatim"
    ]
    assert [
        r.office.code for r in office_report_search(user=analyst, month_from=date(2026, 9, 1))
    ] == ["bp3mi-jabar"]


# --- figures -------------------------------------------------------------------------------


def _generate_complaints(seed: int) -> None:
    """Complaints across offices and months, with resolutions, deadlines and escalations."""
    rng = random.Random(seed)
    codes = ["bp3mi-jatim", "p4mi-tulungagung", "bp3mi-jabar", "kemenp2mi"]
    offices = {code: Office.objects.get(code=code) for code in codes}
    for _index in range(60):
        office = offices[rng.choice(codes)]
        created = local(2026, rng.choice([9, 10, 11]), rng.randint(1, 28), rng.randint(0, 23))
        status = rng.choice(list(Status))
        complaint = ComplaintFactory(office=office, status=status)
        resolved_at = None
        resolve_missed = None
        if status in (Status.RESOLVED, Status.CLOSED):
            resolved_at = created + timedelta(days=rng.randint(0, 40))
            # The service standard's record of a late resolution (set by the sweep).
            if rng.random() < 0.5:
                resolve_missed = resolved_at - timedelta(days=rng.randint(0, 5))
        Complaint.objects.filter(pk=complaint.pk).update(
            created_at=created,
            resolved_at=resolved_at,
            due_at=IN_NOVEMBER + timedelta(days=rng.randint(-20, 20)),
            standard_verify_due_at=IN_NOVEMBER + timedelta(days=rng.randint(-20, 20)),
            resolve_breached_at=resolve_missed,
        )
        if rng.random() < 0.4:
            event = ComplaintEventFactory(
                complaint=complaint,
                kind=EventKind.ESCALATION,
                level=1,
                data={"from_office": office.pk, "to_office": office.parent_id},
            )
            ComplaintEvent.objects.filter(pk=event.pk).update(
                created_at=created + timedelta(days=rng.randint(0, 30))
            )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_prefilled_figures_equal_a_direct_count(offices, seed):
    # given
    _generate_complaints(seed)
    family = {offices["bp3mi-jatim"].pk, offices["p4mi-tulungagung"].pk}
    start, end = local(2026, 10, 1), local(2026, 11, 1)
    complaints = [c for c in Complaint.objects.all() if c.office_id in family]
    resolved = [c for c in complaints if c.resolved_at and start <= c.resolved_at < end]
    escalations = [
        e
        for e in ComplaintEvent.objects.filter(kind=EventKind.ESCALATION)
        if e.data.get("from_office") in family and start <= e.created_at < end
    ]
    # when
    figures = office_report_figures(office=offices["bp3mi-jatim"], month=OCTOBER, now=IN_NOVEMBER)
    # then
    assert figures.complaints_received == len(
        [c for c in complaints if start <= c.created_at < end]
    )
    assert figures.complaints_resolved == len(resolved)
    # Overdue (open past the service standard) and compliance are the dashboard's own figures,
    # checked against the rule in tests/oversight/test_standard_property.py.
    assert figures.escalations == len(escalations)
    assert figures.complaints_received > 0


def test_create_stores_the_figures_of_the_month(head_jatim, offices):
    _generate_complaints(7)
    report = _draft(head_jatim)
    expected = office_report_figures(office=offices["bp3mi-jatim"], month=OCTOBER, now=IN_NOVEMBER)
    for field, value in expected.as_fields().items():
        assert getattr(report, field) == value
    assert report.figures_computed_at == IN_NOVEMBER


# --- late reminders ------------------------------------------------------------------------


def test_late_report_reminder_is_sent_exactly_once(make_staff, offices):
    # given: jatim's head has no October report; jabar submitted its own
    head = make_staff("bp3mi-jatim", "head", email="kepala.jatim@example.invalid")
    make_staff("bp3mi-jabar", "head", email="kepala.jabar@example.invalid")
    report_make(office_code="bp3mi-jabar", month=OCTOBER, status="submitted", **NARRATIVE)
    # when: before the due day nothing; after it, twice on the same day and again a day later
    with time_machine.travel(local(2026, 11, 10, 20, 0), tick=False):
        assert services.office_report_remind_late() == 0
    with time_machine.travel(local(2026, 11, 11, 8, 0), tick=False):
        first = services.office_report_remind_late()
        second = services.office_report_remind_late()
    with time_machine.travel(local(2026, 11, 12, 8, 0), tick=False):
        third = services.office_report_remind_late()
    # then
    reminders = Notification.objects.filter(template=services.REMINDER_TEMPLATE)
    mine = reminders.filter(recipient=head.email)
    assert mine.count() == 1
    assert (
        mine.get().dedupe_key == f"office-report-late:{offices['bp3mi-jatim'].pk}:2026-10:{head.pk}"
    )
    assert not reminders.filter(recipient="kepala.jabar@example.invalid").exists()
    assert first >= 1
    assert (second, third) == (0, 0)


def test_a_draft_does_not_stop_the_reminder(make_staff):
    head = make_staff("bp3mi-jatim", "head", email="kepala.jatim@example.invalid")
    report_make(office_code="bp3mi-jatim", month=OCTOBER)
    with time_machine.travel(local(2026, 11, 15, 8, 0), tick=False):
        services.office_report_remind_late()
    assert Notification.objects.filter(recipient=head.email).count() == 1


def test_the_celery_task_calls_the_service(make_staff):
    from oversight.tasks import remind_late_reports

    head = make_staff("bp3mi-jatim", "head", email="kepala.jatim@example.invalid")
    with time_machine.travel(local(2026, 11, 15, 8, 0), tick=False):
        remind_late_reports.apply()
        remind_late_reports.apply()
    assert Notification.objects.filter(recipient=head.email).count() == 1


def test_errors_are_translated_to_indonesian(head_jatim):
    from django.utils import translation

    report = report_make(office_code="bp3mi-jatim", month=OCTOBER, status="submitted")
    with translation.override("id"), pytest.raises(ApplicationError) as error:
        services.office_report_update_narrative(report=report, actor=head_jatim, problems="x")
    assert error.value.message == (
        "Laporan ini sudah dikirim dan tidak dapat diubah lagi oleh kantor."
    )


def test_reminder_and_review_notices_render_in_indonesian(make_staff, analyst, head_jatim):
    from complaints.services.delivery import notification_render

    make_staff("bp3mi-jabar", "head", email="kepala.jabar@example.invalid")
    with time_machine.travel(local(2026, 11, 15, 8, 0), tick=False):
        services.office_report_remind_late()
    reminder = Notification.objects.filter(template=services.REMINDER_TEMPLATE).first()
    report = _draft(head_jatim)
    services.office_report_submit(report=report, actor=head_jatim)
    services.office_report_review(report=report, actor=analyst, comment="Baik.")
    reviewed = Notification.objects.get(template="office_report_reviewed")
    subject, text = notification_render(notification=reminder)
    assert "2026-10" in subject
    assert "terlambat" in subject
    assert "/staf/laporan/" in text
    subject, text = notification_render(notification=reviewed)
    assert "meninjau laporan" in subject
    assert report.get_absolute_url() in text


def test_village_indicator_figure_counts_the_office_provinces_in_the_month(offices):
    from desa_migran.models import Village, VillageIndicator
    from portal.models import Region

    # given: indicators of villages in Jawa Timur (35) and Jawa Barat (32), entered in two months
    rows = [
        ("35.", local(2026, 10, 3, 10)),
        ("35.", local(2026, 10, 30, 10)),
        ("35.", local(2026, 9, 30, 10)),
        ("32.", local(2026, 10, 5, 10)),
    ]
    for index, (prefix, entered) in enumerate(rows):
        region = Region.objects.filter(level=4, code__startswith=prefix)[index]
        village = Village.objects.create(region=region)
        indicator = VillageIndicator.objects.create(village=village, year=2026, workers_abroad=3)
        VillageIndicator.objects.filter(pk=indicator.pk).update(updated_at=entered)
    # when
    figures = office_report_figures(office=offices["bp3mi-jatim"], month=OCTOBER, now=IN_NOVEMBER)
    # then
    assert figures.village_indicators_entered == 2
