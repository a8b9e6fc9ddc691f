"""Fixtures shared by the triage, admin and staff API tests (imported by name where used)."""

import pytest

from portal.choices import Role
from tests.complaints.factories import ComplaintFactory

OFFICE_A = "bp3mi-jatim"
OFFICE_A_POST = "p4mi-tulungagung"
OFFICE_B = "bp3mi-jabar"
MINISTRY = "kemenp2mi"


@pytest.fixture
def officer_a(make_staff):
    return make_staff(OFFICE_A, Role.OFFICER, username="petugas-a")


@pytest.fixture
def head_a(make_staff):
    return make_staff(OFFICE_A, Role.HEAD, username="kepala-a")


@pytest.fixture
def officer_b(make_staff):
    return make_staff(OFFICE_B, Role.OFFICER, username="petugas-b")


@pytest.fixture
def analyst(make_staff):
    return make_staff(MINISTRY, Role.MINISTRY_ANALYST, username="analis")


@pytest.fixture
def complaint_in(offices):
    """complaint_in("bp3mi-jatim", status=...) → a complaint of that office."""

    def _make(office_code: str = OFFICE_A, **fields):
        return ComplaintFactory(office=offices[office_code], **fields)

    return _make
