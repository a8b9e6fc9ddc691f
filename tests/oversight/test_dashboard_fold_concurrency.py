"""Folds racing each other and the writers, each thread on its own database connection (the
production path: a session lock taken before the transaction, the check in repeatable read):
nothing folded twice, nothing lost."""

import threading

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from complaints.models import Complaint
from oversight.dashboards.models import ComplaintChange
from oversight.dashboards.services import (
    dashboard_summary_check,
    dashboard_summary_fold,
    dashboard_summary_refresh,
)
from tests.complaints.factories import CategoryFactory
from tests.oversight.dashboard_support import Spec, complaints_create

pytestmark = pytest.mark.django_db(transaction=True)

FOLDS = 3
ROUNDS = 6


def test_concurrent_folds_and_writers_leave_no_drift(postgres, offices):
    # given: forty complaints, tables built
    categories = {"race": CategoryFactory(slug="race")}
    now = timezone.now()
    specs = [
        Spec(
            office_code=("bp3mi-jatim", "bp3mi-jabar")[n % 2],
            category_slug="race",
            country=("MY", "TW")[n % 2],
            region="35.04",
            status="received",
            urgent=n % 3 == 0,
            created_hours_ago=5 + 11 * n,
        )
        for n in range(40)
    ]
    ids = [c.pk for c in complaints_create(specs, offices=offices, categories=categories, now=now)]
    dashboard_summary_refresh(now=now)
    barrier = threading.Barrier(FOLDS + 1)
    errors: list[Exception] = []

    def fold() -> None:
        try:
            barrier.wait()
            for _round in range(ROUNDS):
                dashboard_summary_fold(now=now)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    def write() -> None:
        # the writer: set-based escalations and single-row status changes, committed one by one
        try:
            barrier.wait()
            for round_ in range(ROUNDS):
                batch = ids[round_ * 5 : round_ * 5 + 5]
                Complaint.objects.filter(pk__in=batch).update(
                    escalation_level=F("escalation_level") + 1
                )
                Complaint.objects.filter(pk=ids[-1 - round_]).update(status="verified")
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    # when: three threads fold over and over while a fourth writes
    threads = [threading.Thread(target=fold) for _ in range(FOLDS)]
    threads.append(threading.Thread(target=write))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # then: no error, and after a last fold the tables are exactly a full rebuild's
    assert not errors
    result = dashboard_summary_check(now=now)
    assert result.drift_by_table == {}
    assert result.drift_rows == 0
    assert not ComplaintChange.objects.exists()
