"""PostgreSQL search: pg_trgm for typo-tolerant titles, GIN indexes for full-text and trigrams.

The indexes are created only on PostgreSQL; on SQLite (make run without a server) search falls
back to icontains and needs none. TrigramExtension itself is a no-op on other databases.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    (
        "education_article_search_gin",
        "CREATE INDEX IF NOT EXISTS education_article_search_gin "
        "ON education_article USING gin (search_vector)",
    ),
    (
        "education_article_title_trgm",
        "CREATE INDEX IF NOT EXISTS education_article_title_trgm "
        "ON education_article USING gin (title gin_trgm_ops)",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
