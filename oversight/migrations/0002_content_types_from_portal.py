"""Existing permissions follow the moved models: their content types change app label from
`portal` to `oversight`, so groups and users keep `view_officereport` & co. (as
`oversight.view_officereport`); nothing is re-created. A fresh database has no such rows yet
(content types are created after migrate), so there this does nothing."""

from django.db import migrations

MOVED_MODELS = (
    "complaintdailyfiltermarginal",
    "complaintdailymarginal",
    "complaintdailysummary",
    "complaintduration",
    "dashboardrefresh",
    "officedurationsnapshot",
    "officereport",
    "officereportevent",
    "openworksummary",
    "workingday",
)


def _relabel(apps, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    # A content type already created under the target label (a migrate run that stopped between
    # 0001 and this one) would collide with the relabelled row: the old row carries the granted
    # permissions, so it wins.
    moving = ContentType.objects.filter(app_label=source, model__in=MOVED_MODELS)
    ContentType.objects.filter(
        app_label=target, model__in=moving.values_list("model", flat=True)
    ).delete()
    moving.update(app_label=target)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, source="portal", target="oversight")


def backwards(apps, schema_editor) -> None:
    _relabel(apps, source="oversight", target="portal")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("oversight", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
