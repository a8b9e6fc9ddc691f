"""Fill the service-standard targets and breaches of existing complaints from their history.

Set-based, in batches of 10,000 (complaints.services.sla.complaint_standard_backfill), with the
historical models. Past pauses for the reporter are not stored anywhere, so they cannot be
reconstructed: targets of old complaints count as if they never waited (see
`standard_row_fill`). Reversing leaves the columns to the schema migration, which drops them.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    from complaints.services.sla import complaint_standard_backfill

    complaint_standard_backfill(
        models={
            "complaint": apps.get_model("complaints", "Complaint"),
            "category": apps.get_model("complaints", "Category"),
            "policy": apps.get_model("complaints", "SlaPolicy"),
            "holiday": apps.get_model("complaints", "Holiday"),
        }
    )


class Migration(migrations.Migration):
    # Batches commit one by one: a million rows never sit in one transaction.
    atomic = False

    dependencies = [("complaints", "0007_service_standard")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
