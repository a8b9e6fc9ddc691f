"""Triage that works for a BP3MI (issue 14, item 6): the officers and heads of a BP3MI take and
assign the cases held by the posts (P4MI) below it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from complaints.choices import EventKind, Status
from complaints.selectors import complaint_assignee_candidates
from complaints.services.triage import complaint_assign
from portal.choices import Role
from portal.exceptions import ApplicationError
from tests.complaints.triage_support import MINISTRY, OFFICE_A, OFFICE_A_POST, OFFICE_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_officer(make_staff):
    return make_staff(OFFICE_A_POST, Role.OFFICER, username="petugas-pos")


def test_bp3mi_officer_takes_a_case_held_by_a_post_below(officer_a, complaint_in):
    # given: a case held by P4MI Tulungagung, below BP3MI Jawa Timur
    complaint = complaint_in(OFFICE_A_POST)
    # when
    complaint_assign(complaint=complaint, actor=officer_a, assignee=officer_a)
    # then
    complaint.refresh_from_db()
    assert complaint.assignee == officer_a
    event = complaint.events.get(kind=EventKind.ASSIGNMENT)
    assert event.data == {"from": None, "to": "petugas-a"}


def test_bp3mi_head_gives_a_post_case_to_an_officer_of_the_bp3mi(head_a, officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A_POST)
    complaint_assign(complaint=complaint, actor=head_a, assignee=officer_a)
    complaint.refresh_from_db()
    assert complaint.assignee == officer_a


def test_bp3mi_officer_can_still_give_a_post_case_to_the_post_officer(
    officer_a, post_officer, complaint_in
):
    complaint = complaint_in(OFFICE_A_POST)
    complaint_assign(complaint=complaint, actor=officer_a, assignee=post_officer)
    complaint.refresh_from_db()
    assert complaint.assignee == post_officer


def test_post_officer_can_hand_a_case_up_to_an_officer_of_his_bp3mi(
    post_officer, officer_a, complaint_in
):
    complaint = complaint_in(OFFICE_A_POST)
    complaint_assign(complaint=complaint, actor=post_officer, assignee=officer_a)
    complaint.refresh_from_db()
    assert complaint.assignee == officer_a


def test_candidates_of_a_post_case_are_the_handling_staff_of_the_post_and_its_bp3mi(
    make_staff, officer_a, head_a, officer_b, analyst, post_officer, complaint_in
):
    # given: staff of every kind around the post
    ministry_officer = make_staff(MINISTRY, Role.OFFICER, username="petugas-kementerian")
    editor = make_staff(OFFICE_A, Role.CONTENT_EDITOR, username="editor-a")
    gone = make_staff(OFFICE_A, Role.OFFICER, username="pensiun-a", is_active=False)
    complaint = complaint_in(OFFICE_A_POST)
    # when
    names = set(
        complaint_assignee_candidates(complaint=complaint, actor=officer_a).values_list(
            "username", flat=True
        )
    )
    # then: the post's officer and BP3MI Jawa Timur's officer and head; nobody else
    assert names == {"petugas-pos", "petugas-a", "kepala-a"}
    assert not {ministry_officer.username, editor.username, gone.username} & names
    assert officer_b.username not in names
    assert analyst.username not in names


def test_ministry_staff_are_candidates_only_for_a_ministry_user(
    make_staff, officer_a, analyst, complaint_in
):
    # given
    ministry_officer = make_staff(MINISTRY, Role.OFFICER, username="petugas-kementerian")
    complaint = complaint_in(OFFICE_A_POST)

    def names(actor):
        return set(
            complaint_assignee_candidates(complaint=complaint, actor=actor).values_list(
                "username", flat=True
            )
        )

    # then
    assert ministry_officer.username not in names(officer_a)
    assert ministry_officer.username in names(analyst)
    # and a BP3MI officer cannot hand a post case to the ministry this way
    with pytest.raises(ValidationError):
        complaint_assign(complaint=complaint, actor=officer_a, assignee=ministry_officer)


def test_officer_of_another_bp3mi_cannot_take_the_case(officer_b, complaint_in):
    complaint = complaint_in(OFFICE_A_POST)
    with pytest.raises(ApplicationError):
        complaint_assign(complaint=complaint, actor=officer_b, assignee=officer_b)
    complaint.refresh_from_db()
    assert complaint.assignee is None


def test_giving_a_post_case_to_an_officer_of_another_bp3mi_is_refused(
    officer_a, officer_b, complaint_in
):
    complaint = complaint_in(OFFICE_A_POST)
    with pytest.raises(ValidationError) as refused:
        complaint_assign(complaint=complaint, actor=officer_a, assignee=officer_b)
    assert "assignee" in refused.value.message_dict
    complaint.refresh_from_db()
    assert complaint.assignee is None
    assert not complaint.events.exists()


def test_a_ministry_analyst_taking_a_case_is_told_he_does_not_handle_cases(analyst, complaint_in):
    complaint = complaint_in(OFFICE_A_POST)
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            complaint_assign(complaint=complaint, actor=analyst, assignee=analyst)
        assert "not an officer or head" in " ".join(refused.value.messages)


def test_a_finished_post_case_is_refused_with_its_status(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A_POST, status=Status.CLOSED)
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        complaint_assign(complaint=complaint, actor=officer_a, assignee=officer_a)
    assert "Closed" in str(refused.value.message)


def test_bp3mi_b_case_candidates_leave_out_bp3mi_a(officer_a, officer_b, complaint_in):
    complaint = complaint_in(OFFICE_B)
    names = set(
        complaint_assignee_candidates(complaint=complaint, actor=officer_b).values_list(
            "username", flat=True
        )
    )
    assert names == {"petugas-b"}


def test_demo_officer_of_jawa_timur_assigns_a_tulungagung_case_to_himself(
    settings, offices, complaint_in
):
    # given: the real demo offices and users (seed_demo's portal step)
    from django.contrib.auth import get_user_model

    from portal import demo

    demo.seed(
        demo.DemoContext(
            password="demo-pass", password_generated=False, complaints=0, stdout=io.StringIO()
        )
    )
    officer = get_user_model().objects.get(username="petugas-jatim")
    complaint = complaint_in("p4mi-tulungagung")
    assert complaint.office.parent.code == "bp3mi-jatim"
    # when
    complaint_assign(complaint=complaint, actor=officer, assignee=officer)
    # then
    complaint.refresh_from_db()
    assert complaint.assignee.username == "petugas-jatim"
    candidates = complaint_assignee_candidates(complaint=complaint, actor=officer)
    assert set(candidates.values_list("username", flat=True)) == {
        "kepala-jatim",
        "petugas-jatim",
        "petugas-tulungagung",
    }
