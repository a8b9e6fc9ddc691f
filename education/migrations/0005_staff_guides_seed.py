"""Load the starter staff guides; later edits belong to content editors in the admin."""

from django.db import migrations


def load_staff_guides(apps, schema_editor):
    from education.learning.content import STAFF_GUIDES
    from education.sanitize import render_markdown

    staff_guide = apps.get_model("education", "StaffGuide")
    for entry in STAFF_GUIDES:
        fields = {key: value for key, value in entry.items() if key != "slug"}
        fields["body_html"] = render_markdown(entry["body_markdown"]).html
        staff_guide.objects.get_or_create(slug=entry["slug"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("education", "0004_outreach_staff_learning")]

    operations = [migrations.RunPython(load_staff_guides, migrations.RunPython.noop)]
