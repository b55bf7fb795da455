"""A GIN index for commitment full-text search on PostgreSQL.

The indexed expression is exactly the one `commitments.search.search_commitments` builds
(`SearchVector(*SEARCH_FIELDS, config="simple")`): same columns, same order, same constant
configuration, so the planner uses it. SQLite has no such index (its search is a fallback)
and migrates with nothing to do.
"""

from django.db import migrations

INDEX = "commitment_search_document"
COLUMNS = ("title", "summary", "brief_description", "problem", "solution", "lead_institution")
EXPRESSION = "to_tsvector('simple'::regconfig, {})".format(
    " || ' ' || ".join(f"COALESCE({column}, '')" for column in COLUMNS)
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON commitments_commitment USING gin ({EXPRESSION})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("commitments", "0002_reminder_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
