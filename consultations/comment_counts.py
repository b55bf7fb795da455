"""The two counts every comment post asks, written out in SQL: how many comments the poster
sent lately (the per-account limit) and how many top-level comments come before the new one
in its thread (the page its redirect names). Each is one index range read that PostgreSQL
runs in well under 0.1 ms, while the ORM took 0.4-0.55 ms of CPU to build the statement,
on a write sent hundreds of times a second (issue #20). Plain SQL that SQLite and PostgreSQL
both run; table and column names (quoted) and the values' database form come from the model,
so they follow it. tests/consultations/test_comment_post_path.py checks both against the ORM.
"""

import datetime as dt

from django.db import connection

from .models import Comment


def _names() -> tuple[str, dict[str, str], dict]:
    quote = connection.ops.quote_name
    fields = {field.name: field for field in Comment._meta.concrete_fields}
    return quote(Comment._meta.db_table), {n: quote(f.column) for n, f in fields.items()}, fields


def _when(fields: dict, value: dt.datetime):
    return fields["created_at"].get_db_prep_value(value, connection)


def recent_comment_ids(author_id: int, since: dt.datetime, limit: int) -> list[int]:
    """Ids of at most `limit` comments by this author posted at or after `since`: the index
    (author, created_at), whatever the person wrote before."""
    table, column, fields = _names()
    sql = (
        f"SELECT {column['id']} FROM {table}"  # noqa: S608 -- names from the model only
        f" WHERE {column['author']} = %s AND {column['created_at']} >= %s LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [author_id, _when(fields, since), limit])
        return [row[0] for row in cursor.fetchall()]


def top_level_before(top: Comment, limit: int) -> int:
    """The top-level comments before `top` in its thread, in posting order ("created_at",
    "pk"), counted up to `limit` (pagination.position_in's bounded count)."""
    table, column, fields = _names()
    target = "proposal" if top.proposal_id is not None else "commitment"
    when = _when(fields, top.created_at)
    sql = (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {table}"  # noqa: S608 -- names from the model only
        f" WHERE {column[target]} = %s AND {column['parent']} IS NULL"
        f" AND ({column['created_at']} < %s"
        f" OR ({column['created_at']} = %s AND {column['id']} < %s))"
        f" LIMIT %s) rows_before"
    )
    value = top.proposal_id if top.proposal_id is not None else top.commitment_id
    with connection.cursor() as cursor:
        cursor.execute(sql, [value, when, when, top.pk, limit])
        return cursor.fetchone()[0]
