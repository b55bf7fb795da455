"""The public repository moves to records/ (issue #12) and keeps its rows.

State only: forums forgets the model; the table stays and records/0001 takes it over (and
renames it). Going back, the model returns to forums' state on the table records/0001 has
renamed back to forums_repositorydocument.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("forums", "0003_seat_holder_base")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RepositoryDocument")],
            database_operations=[],
        )
    ]
