"""The per-account comment limit as a lock-then-count function on PostgreSQL
(consultations/comment_post_sql.py, account_allowed and the comment's INSERT): a check
that only reads lets simultaneous posts of one account all pass it (issue #20). SQLite
needs none: its writers take the database's write lock at BEGIN (transaction_mode
IMMEDIATE), before the check."""

from django.db import migrations

# The advisory lock's first key: this lock's own space, apart from any other advisory lock.
LOCK_SPACE = 20_001

CREATE = f"""
CREATE OR REPLACE FUNCTION consultations_comment_allowed(
    p_author bigint, p_since timestamptz, p_limit integer
) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    recent integer;
BEGIN
    -- One post per account at a time, until the transaction that called this ends (its
    -- comment committed or not).
    PERFORM pg_advisory_xact_lock({LOCK_SPACE}, mod(p_author, 2147483648)::integer);
    -- A statement of its own in a VOLATILE function: under READ COMMITTED it reads a
    -- snapshot taken now, after the lock, which holds the comment of the post that held it
    -- before (a subquery of the caller's statement would read the caller's older snapshot).
    SELECT count(*) INTO recent FROM (
        SELECT 1 FROM consultations_comment
        WHERE author_id = p_author AND created_at >= p_since
        LIMIT p_limit
    ) AS counted;
    RETURN recent < p_limit;
END
$$
"""

DROP = "DROP FUNCTION IF EXISTS consultations_comment_allowed(bigint, timestamptz, integer)"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0015_input_public_order"),
    ]

    operations = [
        migrations.RunPython(create_function, drop_function, elidable=False),
    ]
