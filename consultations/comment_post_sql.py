"""What every comment post asks of the database, written out in SQL: the proposal commented
on with its consultation and plan, how many comments the poster sent lately (the per-account
limit), the comment's INSERT, the proposal's counter one up, and how many top-level comments
come before the new one in its thread (the page its redirect names). Each is one primary-key
or index range statement that PostgreSQL runs in about 0.1 ms, while the ORM took 0.3-0.55 ms
of CPU to build each, on a write sent hundreds of times a second (issue #20). Plain SQL that
SQLite and PostgreSQL both run; table and column names (quoted), the values' database form
and the rows' conversion to Python come from the models, so they follow them.
tests/consultations/test_comment_post_path.py checks each against the ORM. On PostgreSQL
a top-level comment on a proposal goes further: the limit's check (a lock, then a count),
the INSERT, the counter and the count of the comments before it are one statement, run
without a transaction (insert_comment's ``count_on`` and ``limit``): 5 statements per post
instead of 8 and the BEGIN and COMMIT.
"""

import datetime as dt
import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import CharField, Field, Model
from django.db.models.signals import post_save, pre_save

from ogp_portal.core import page_cache
from ogp_portal.core.raw_rows import RowConverter
from plans.models import ActionPlan

from . import pagination
from .models import Comment, Consultation, Proposal


def _names() -> tuple[str, dict[str, str]]:
    quote = connection.ops.quote_name
    columns = {field.name: quote(field.column) for field in Comment._meta.concrete_fields}
    return quote(Comment._meta.db_table), columns


def _when(value: dt.datetime):
    return Comment._meta.get_field("created_at").get_db_prep_value(value, connection)


def recent_comment_ids(author_id: int, since: dt.datetime, limit: int) -> list[int]:
    """Ids of at most `limit` comments by this author posted at or after `since`: the index
    (author, created_at), whatever the person wrote before."""
    table, column = _names()
    sql = (
        f"SELECT {column['id']} FROM {table}"  # noqa: S608 -- names from the model only
        f" WHERE {column['author']} = %s AND {column['created_at']} >= %s LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [author_id, _when(since), limit])
        return [row[0] for row in cursor.fetchall()]


# PostgreSQL's per-account limit (migration consultations 0016): takes the account's lock,
# held until the end of the caller's transaction, then counts the account's comments since
# `since` (recent_comment_ids's read) in a snapshot taken after the lock. Parameters: the
# author, since, the limit; true while the author is below it.
_ALLOWED_SQL = (
    "consultations_comment_allowed(CAST(%s AS bigint), CAST(%s AS timestamptz),"
    " CAST(%s AS integer))"
)


def account_allowed(author_id: int, since: dt.datetime, limit: int) -> bool:
    """Whether the author has posted fewer than `limit` comments since `since`, held until
    the end of the transaction this runs in (call it there, before the comment's INSERT):
    a simultaneous post by the same author waits for that transaction's end and then counts
    its comment. On PostgreSQL the function of migration 0016 (an advisory lock per author;
    a plain read would let simultaneous posts all pass); on SQLite the writers' BEGIN
    IMMEDIATE has already taken the database's write lock (settings: transaction_mode)."""
    if connection.vendor != "postgresql":
        return len(recent_comment_ids(author_id, since, limit)) < limit
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_ALLOWED_SQL}", [author_id, _when(since), limit])
        return bool(cursor.fetchone()[0])


def insert_comment(
    comment: Comment, *, count_on: int | None = None, limit: tuple[dt.datetime, int] | None = None
) -> bool:
    """``comment.save()`` for a new comment (no primary key yet), written out: the same
    values (each field's pre_save and database form, as the ORM's INSERT takes them), the
    same pre_save/post_save signals (the page cache's receiver changes the comment's scopes),
    the same IntegrityError for a token sent twice. The ORM took about 0.35 ms more CPU to
    build the INSERT of one comment (issue #20).

    ``count_on`` (PostgreSQL only: ``counts_in_insert()``) also puts that proposal's comment
    counter one up, in the same statement (a data-modifying WITH): both or neither, without
    a transaction around them. The caller changes the counter's page scopes (no statement
    hook sees it). The same statement counts, for a top-level comment, the top-level
    comments before it (top_level_before, which the redirect to its page then asks no more
    of the database). With ``limit`` (``(since, n)``, only with ``count_on``) the statement
    writes nothing, and this returns False, when the author has posted `n` comments since
    `since` (the per-account limit: account_allowed's lock and count, in the same statement;
    the lock is held until the statement's end, or the end of the transaction around it)."""
    fields = _insert_fields()
    alias = connection.alias
    pre_save.send(sender=Comment, instance=comment, raw=False, using=alias, update_fields=None)
    values = [f.get_db_prep_save(f.pre_save(comment, True), connection) for f in fields]
    if limit is not None:
        values += [comment.author_id, _when(limit[0]), limit[1]]
    # The page the comment lands on: counted when it starts a thread of a proposal.
    position = None
    if count_on is not None:
        values.append(count_on)
        if comment.parent_id is None and comment.proposal_id is not None:
            position = pagination.COUNT_EXACT_UP_TO + 1
            when = _when(comment.created_at)
            values += [comment.proposal_id, when, when, position]
    sql = _insert_sql(connection.vendor, limit is not None, count_on is not None, bool(position))
    returning = connection.features.can_return_columns_from_insert
    # No scopes here: the post_save below changes the comment's (core/page_cache.py's hook
    # would otherwise take this INSERT, which no signal of save() covers, as a bulk write),
    # and the caller (services/comments) those of the proposal whose counter the WITH form
    # bumps (the hook would otherwise take that UPDATE as a bulk write: the whole site).
    with page_cache.declared((Comment, Proposal)), connection.cursor() as cursor:
        cursor.execute(sql, values)
        inserted: tuple[Any, ...] | None = cursor.fetchone() if returning else (cursor.lastrowid,)
    if inserted is None:  # refused by the limit
        return False
    new_pk = inserted[0]
    if position is not None:
        comment._top_level_before = (position, inserted[1])  # type: ignore[attr-defined]
    setattr(comment, Comment._meta.pk.attname, new_pk)
    comment._state.adding = False
    comment._state.db = alias
    post_save.send(
        sender=Comment, instance=comment, created=True, update_fields=None, raw=False, using=alias
    )
    return True


def _insert_fields() -> list[Field]:
    return [f for f in Comment._meta.concrete_fields if not f.primary_key]


@functools.cache
def _insert_sql(vendor: str, limited: bool, counted: bool, positioned: bool) -> str:
    """insert_comment's statement (built once per kind: building it took about a tenth of a
    millisecond of CPU per post); its parameters: the comment's values, then the limit's
    (author, since, n), the proposal counted, the rows-before count's (proposal, created
    at twice, its limit)."""
    fields = _insert_fields()
    quote = connection.ops.quote_name
    pk = quote(Comment._meta.pk.column)
    row = f"VALUES ({', '.join(['%s'] * len(fields))})"
    if limited:
        # A SELECT's parameters, unlike VALUES', are not typed by the columns they go to.
        casts = ", ".join(f"CAST(%s AS {_cast_type(f)})" for f in fields)
        row = f"SELECT {casts} WHERE {_ALLOWED_SQL}"
    returning = connection.features.can_return_columns_from_insert
    sql = (
        f"INSERT INTO {quote(Comment._meta.db_table)}"  # noqa: S608 -- names from the model only
        f" ({', '.join(quote(f.column) for f in fields)}) {row}"
        + (f" RETURNING {pk}" if returning else "")
    )
    if not counted:
        return sql
    # Seen by the statement's snapshot, which the new row is not in: the rows before it.
    select = f"{pk}, ({_before_sql('proposal', f'new_comment.{pk}')})" if positioned else pk
    # Nothing to count when the limit refused the comment.
    return (
        f"WITH new_comment AS ({sql}), counted AS ({_count_sql()}"  # noqa: S608 -- names only
        " AND EXISTS (SELECT 1 FROM new_comment))"
        f" SELECT {select} FROM new_comment"
    )


def _cast_type(field: Field) -> str:
    """The column's type for a CAST; character columns without their length, so that a value
    too long is refused by the column, as by VALUES, instead of cut by the CAST."""
    if isinstance(field, CharField):
        return connection.ops.cast_char_field_without_max_length
    return field.cast_db_type(connection)  # type: ignore[attr-defined]  # Django's, not in stubs


def counts_in_insert() -> bool:
    """Whether insert_comment can put the counter up in the comment's own statement: a
    data-modifying WITH, which PostgreSQL runs and SQLite does not. It saves the counter's
    statement and the transaction's BEGIN and COMMIT: three of a post's round trips."""
    return connection.vendor == "postgresql"


def _count_sql() -> str:
    quote = connection.ops.quote_name
    meta = Proposal._meta
    counter = quote(next(f.column for f in meta.concrete_fields if f.name == "comment_count"))
    return (
        f"UPDATE {quote(meta.db_table)} SET {counter} = {counter} + 1"  # noqa: S608 -- names only
        f" WHERE {quote(meta.pk.column)} = %s"
    )


def count_comment_on(proposal_id: int) -> None:
    """The proposal's comment counter one up, in the database (exact under concurrency, as an
    F() update). A bulk write of Proposal for the page cache (core/page_cache.py watches
    every statement): the caller declares its scopes, as around QuerySet.update."""
    with connection.cursor() as cursor:
        cursor.execute(_count_sql(), [proposal_id])


def top_level_before(top: Comment, limit: int) -> int:
    """The top-level comments before `top` in its thread, in posting order ("created_at",
    "pk"), counted up to `limit` (views/threads.py asks it first, before a long thread's
    page index). Counted already when the comment was just inserted with its counter
    (insert_comment)."""
    known = getattr(top, "_top_level_before", None)
    if known is not None and known[0] == limit:
        return known[1]
    target = "proposal" if top.proposal_id is not None else "commitment"
    when = _when(top.created_at)
    sql = _before_sql(target, "%s")
    value = top.proposal_id if top.proposal_id is not None else top.commitment_id
    with connection.cursor() as cursor:
        cursor.execute(sql, [value, when, when, top.pk, limit])
        return cursor.fetchone()[0]


def _before_sql(target: str, pk: str) -> str:
    """top_level_before's count; parameters: the target's pk, created_at twice, the limit
    (`pk` is the comment's id: a parameter, or a column of the statement around it)."""
    table, column = _names()
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {table}"  # noqa: S608 -- names from the model only
        f" WHERE {column[target]} = %s AND {column['parent']} IS NULL"
        f" AND ({column['created_at']} < %s"
        f" OR ({column['created_at']} = %s AND {column['id']} < {pk}))"
        f" LIMIT %s) rows_before"
    )


# What the post reads of the proposal, its consultation and its plan (visibility, the window,
# who may take part, the counter's page scopes, a reply's notice), besides primary keys: not
# the long texts. Any other field still works, loaded on first use at the cost of a query
# (tests/consultations/test_comment_post_path.py counts them).
_PROPOSAL_ROWS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Proposal, ("consultation", "status", "title", "author", "organisation", "merged_into")),
    (Consultation, ("plan", "title", "audience", "notice_published_at", "opens_at", "closes_at")),
    (ActionPlan, ("member", "title", "status")),
)


def _proposal_read(db: Any) -> tuple[str, list[tuple[type[Model], list[str]]], RowConverter]:
    """proposal_to_comment_on's statement, per model its attribute names, and the rows'
    conversion (core/raw_rows.py). Built once per database connection: building them took
    most of the read's 0.45 ms of CPU (ogp_bench), for a statement PostgreSQL runs in 0.1 ms."""
    plan = db.__dict__.get(_READ_ATTRIBUTE)
    if plan is not None:
        return plan
    quote = db.ops.quote_name
    loaded, select, tables, columns = [], [], [], []
    for i, (model, names) in enumerate(_PROPOSAL_ROWS):
        alias = f"t{i}"
        fields = [f for f in model._meta.concrete_fields if f.primary_key or f.name in names]
        columns += [field.get_col(alias) for field in fields]
        loaded.append((model, [f.attname for f in fields]))
        select += [f"{alias}.{quote(f.column)}" for f in fields]
        tables.append(f"{quote(model._meta.db_table)} {alias}")
    on = [
        f"t1.{quote(Consultation._meta.pk.column)} = t0.{quote(_column(Proposal, 'consultation'))}",
        f"t2.{quote(ActionPlan._meta.pk.column)} = t1.{quote(_column(Consultation, 'plan'))}",
    ]
    sql = (
        f"SELECT {', '.join(select)} FROM {tables[0]}"  # noqa: S608 -- names from the models only
        f" JOIN {tables[1]} ON {on[0]} JOIN {tables[2]} ON {on[1]}"
        f" WHERE t0.{quote(Proposal._meta.pk.column)} = %s"
    )
    db.__dict__[_READ_ATTRIBUTE] = plan = (sql, loaded, RowConverter(db, columns))
    return plan


# Kept on the database connection object (one per thread; kept across reconnections), and
# gone with it (core/raw_rows.py says why not in a WeakKeyDictionary).
_READ_ATTRIBUTE = "_ogp_comment_proposal_read"


def proposal_to_comment_on(pk: int) -> Proposal | None:
    """The proposal with this pk, its consultation and its plan, as
    ``Proposal.objects.select_related("consultation__plan").only(...)`` loads them (None if
    there is none): the same instances, the fields not read deferred."""
    db = connections[DEFAULT_DB_ALIAS]
    low, high = db.ops.integer_field_range(Proposal._meta.pk.get_internal_type())
    if not low <= pk <= high:  # none such (the ORM's answer; SQLite would raise on binding it)
        return None
    sql, loaded, converter = _proposal_read(db)
    with db.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    row = converter.convert(row)
    objects, start = [], 0
    for model, attnames in loaded:
        values = row[start : start + len(attnames)]
        start += len(attnames)
        objects.append(model.from_db(db.alias, attnames, values))
    proposal, consultation, plan = objects
    Proposal._meta.get_field("consultation").set_cached_value(proposal, consultation)
    Consultation._meta.get_field("plan").set_cached_value(consultation, plan)
    return proposal  # type: ignore[return-value]


def _column(model: type[Model], name: str) -> str:
    return next(f.column for f in model._meta.concrete_fields if f.name == name)
