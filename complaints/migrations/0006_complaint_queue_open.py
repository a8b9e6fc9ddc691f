# The triage queue opens on open work (QUEUE_STATUSES): a partial index in the queue's order, so
# the first page never walks past the finished complaints with older deadlines.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_complaint_index_diet"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("received", "verified", "in_progress", "waiting_reporter"))
                ),
                fields=["-is_urgent", "due_at", "-id"],
                name="complaint_queue_open",
            ),
        ),
    ]
