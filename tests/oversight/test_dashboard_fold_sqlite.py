"""On SQLite (`make run`) there are no triggers: every fold is the full rebuild, and the check,
which compares folded tables with a rebuild, refuses with a clear message."""

import pytest

from tests.support import run_on_fresh_sqlite_portal

pytestmark = pytest.mark.slow

SCRIPT = """
import json

import django

django.setup()
from django.core.management import CommandError, call_command
from django.db import connection

call_command("migrate", verbosity=0)
from oversight.dashboards.models import DashboardRefresh
from oversight.dashboards.services import dashboard_summary_fold

first = dashboard_summary_fold()
second = dashboard_summary_fold()
try:
    call_command("check_dashboard_summary")
    refused = ""
except CommandError as error:
    refused = str(error)
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
    (triggers,) = cursor.fetchone()
print(json.dumps({
    "vendor": connection.vendor,
    "rebuilt": [first.rebuilt, second.rebuilt],
    "folded_at": DashboardRefresh.objects.get(pk=1).folded_at is not None,
    "refused": refused,
    "triggers": triggers,
}))
"""


def test_on_sqlite_every_fold_rebuilds_in_full_and_the_check_refuses(tmp_path):
    # when
    result = run_on_fresh_sqlite_portal(SCRIPT, data_dir=tmp_path)
    # then
    assert result["vendor"] == "sqlite"
    assert result["rebuilt"] == [True, True]
    assert result["folded_at"]
    assert result["triggers"] == 0
    assert "SQLite" in result["refused"]
