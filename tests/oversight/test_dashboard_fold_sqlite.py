"""On SQLite (`make run`) there are no triggers: every fold is the full rebuild, and the check,
which compares folded tables with a rebuild, refuses with a clear message. On PostgreSQL the same
calls fold incrementally once the tables are built.

Marked `sqlite`: `make test` runs it on PostgreSQL in the main run and again on the portal's
default SQLite set-up (a second pytest with DATABASE_URL unset).
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from complaints.models import Complaint
from oversight.dashboards.models import ComplaintSummaryFact, DashboardRefresh
from oversight.dashboards.services import dashboard_summary_fold
from tests.complaints.sla_support import overdue_complaints

pytestmark = pytest.mark.sqlite


@pytest.mark.django_db
def test_sqlite_rebuilds_on_every_fold_and_postgresql_folds_once_built(offices):
    # given: one complaint, no tables built yet
    overdue_complaints(office=offices["bp3mi-jatim"], count=1, now=timezone.now())
    DashboardRefresh.objects.all().delete()
    # when
    first = dashboard_summary_fold()
    second = dashboard_summary_fold()
    # then: both build the contributions from the complaints
    assert ComplaintSummaryFact.objects.count() == Complaint.objects.count()
    assert DashboardRefresh.objects.get(pk=1).folded_at is not None
    assert first.rebuilt
    if connection.vendor == "sqlite":
        assert second.rebuilt
        with pytest.raises(CommandError, match="SQLite"):
            call_command("check_dashboard_summary")
    else:
        assert not second.rebuilt
        out = io.StringIO()
        call_command("check_dashboard_summary", stdout=out)
        assert out.getvalue().startswith("drift 0 rows;")
