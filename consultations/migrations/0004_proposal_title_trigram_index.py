"""PostgreSQL only: a trigram index for the proposal list's title search (icontains), so a
search over 200,000 titles reads the index instead of every row. SQLite keeps scanning,
which is fine at its scale. Without the pg_trgm extension (no privilege to create it) the
search still works, only without the index."""

from django.db import migrations, transaction

INDEX = "proposal_title_trgm"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 -- no privilege: search stays correct, only slower
        return
    # The same expression Django's icontains lookup produces on PostgreSQL.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON consultations_proposal "
        'USING gin ((UPPER("title"::text)) gin_trgm_ops)'
    )


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0003_scale_indexes")]

    operations = [migrations.RunPython(add_index, remove_index)]
