"""Production gets the team's starter guides, FAQ and checklists on `migrate` (idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from education.content.loader import load_starter_content

    load_starter_content(
        models={
            name: apps.get_model("education", name)
            for name in ("Topic", "Article", "FaqEntry", "Checklist", "ChecklistItem")
        }
    )


class Migration(migrations.Migration):
    dependencies = [("education", "0002_search_indexes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
