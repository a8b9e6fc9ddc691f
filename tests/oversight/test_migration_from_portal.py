"""A database at the head before the oversight app (portal 0008, complaints 0005) migrates
forward with its dashboard and report rows in place: same tables, no data copied, and the
permissions granted on the moved models keep working under the `oversight` label."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# Today's head before the move: the last migration of every app that had one then.
OLD_HEAD = [
    ("oversight", None),
    ("portal", "0008_dashboard_filter_marginals"),
    ("complaints", "0005_complaint_index_diet"),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def _old_head_apps(executor: MigrationExecutor):
    """The models as they were at the old head: every other app at its last migration."""
    moved = {"oversight", "portal"}
    nodes = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in moved]
    return executor.loader.project_state([*nodes, OLD_HEAD[1]]).apps


def test_rows_of_the_moved_tables_survive_the_migration_and_read_through_oversight_models(
    reference_data,
):
    # given: a database at the old head, with rows written through the portal models of then
    old = _old_head_apps(_migrate(OLD_HEAD))
    office = old.get_model("portal", "Office").objects.get(code="bp3mi-jatim")
    report = old.get_model("portal", "OfficeReport").objects.create(
        office_id=office.pk, month=date(2026, 10, 1), complaints_received=7, achievements="Baik"
    )
    old.get_model("portal", "OfficeReportEvent").objects.create(
        report_id=report.pk, from_status="draft", to_status="submitted", comment="Dikirim"
    )
    old.get_model("portal", "WorkingDay").objects.create(
        date=date(2026, 10, 1), ordinal=1, is_working_day=True
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="portal", model="officereport"
    )[0]
    permission = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="view_officereport", defaults={"name": "Can view"}
    )[0]
    group = old.get_model("auth", "Group").objects.create(name="Pembaca laporan")
    group.permissions.add(permission)

    # when: migrating forward to the new head
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    # then: the same rows, read through the oversight models, in the same tables
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from oversight.models import OfficeReport, OfficeReportEvent, WorkingDay

    ContentType.objects.clear_cache()
    moved = OfficeReport.objects.get(pk=report.pk)
    assert (moved.office.code, moved.month, moved.complaints_received, moved.achievements) == (
        "bp3mi-jatim",
        date(2026, 10, 1),
        7,
        "Baik",
    )
    assert [event.comment for event in moved.events.all()] == ["Dikirim"]
    assert OfficeReportEvent._meta.db_table == "portal_officereportevent"
    assert WorkingDay.objects.get(date=date(2026, 10, 1)).ordinal == 1
    # and: the granted permission is now the oversight app's, on the same row
    granted = Group.objects.get(name="Pembaca laporan").permissions.get()
    assert granted.pk == permission.pk
    assert f"{granted.content_type.app_label}.{granted.codename}" == "oversight.view_officereport"
    assert not ContentType.objects.filter(app_label="portal", model="officereport").exists()
