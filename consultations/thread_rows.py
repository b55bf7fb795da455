"""A thread's page of comments with their replies, written out in SQL: the reads of every view
of a comment thread (consultations/views/threads.py). The ORM spent more CPU building the
page's three statements (the count from the page index's last anchor, the page, its replies)
and 40-odd model instances than PostgreSQL spent running them; here the page and its replies
are one statement, and each comment one named tuple of what the thread shows of it.
Plain SQL that SQLite and PostgreSQL both run; table and column names (quoted), the values'
database form and the rows' conversion to Python come from the models, as in
comment_post_sql.py. tests/consultations/test_thread_rows.py checks the rows against the ORM.
"""

import datetime as dt
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection

from ogp_portal.core.raw_rows import RowConverter, row_converter

from .models import Comment
from .pagination import BoundedPaginator


class ThreadComment(NamedTuple):
    """What a thread shows of a comment (consultation_tags.comment_article, the reader's
    buttons in _comment_actions.html, the reply form): not its Markdown source, its
    submission token or its author's account."""

    pk: int
    consultation_id: int | None
    parent_id: int | None
    author_id: int | None
    show_name: bool
    body_html: str
    moderation_state: str
    hidden_reason: str
    is_lead_answer: bool
    created_at: dt.datetime
    edited_at: dt.datetime | None
    deleted_at: dt.datetime | None
    author_name: str | None  # None without an author (a former participant)
    thread_replies: list  # a top-level comment's replies, in posting order; [] for a reply


# Comment's fields in ThreadComment's order; the author's name follows.
_FIELDS = (
    "id",
    "consultation",
    "parent",
    "author",
    "show_name",
    "body_html",
    "moderation_state",
    "hidden_reason",
    "is_lead_answer",
    "created_at",
    "edited_at",
    "deleted_at",
)


class _Statements(NamedTuple):
    count_up_to: str
    count_from: str
    page: str
    page_from: str
    columns: list  # per column, its expression: for the rows' conversion (core/raw_rows.py)


_statements: dict[tuple[str, str], _Statements] = {}


def _build(target: str) -> _Statements:
    quote = connection.ops.quote_name
    concrete = {f.name: f for f in Comment._meta.concrete_fields}
    fields = [concrete[name] for name in _FIELDS]
    user_meta = get_user_model()._meta
    user_name = next(f for f in user_meta.concrete_fields if f.name == "name")
    column = {f.name: quote(f.column) for f in fields}
    table = quote(Comment._meta.db_table)
    top = f"{quote(concrete[target].column)} = %s AND {column['parent']} IS NULL"
    after = (
        f" AND {column['created_at']} >= %s"
        f" AND ({column['created_at']} > %s OR {column['id']} >= %s)"
    )
    order = f"{column['created_at']}, {column['id']}"
    select = ", ".join(f"c.{column[f.name]}" for f in fields)
    name = quote(user_name.column)
    joined = f"{quote(user_meta.db_table)} u ON u.{quote(user_meta.pk.column)}"
    rows = (
        f"SELECT {select}, u.{name} FROM {table} c"  # noqa: S608 -- model names only
        f" LEFT JOIN {joined} = c.{column['author']}"
    )

    def page(condition: str) -> str:
        # The page's top-level comments by the thread's index, then those rows and their
        # replies (by the parent's index); sorted by (created_at, id) as THREAD_ORDER.
        return (
            f"WITH page AS (SELECT {column['id']} FROM {table}"  # noqa: S608 -- model names only
            f" WHERE {top}{condition} ORDER BY {order} LIMIT %s OFFSET %s)"
            f" {rows} WHERE c.{column['id']} IN (SELECT {column['id']} FROM page)"
            f" UNION ALL {rows} WHERE c.{column['parent']} IN (SELECT {column['id']} FROM page)"
            f" ORDER BY {_FIELDS.index('created_at') + 1}, 1"
        )

    return _Statements(
        count_up_to=(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {table}"  # noqa: S608 -- model names only
            f" WHERE {top} LIMIT %s) rows_counted"
        ),
        count_from=f"SELECT COUNT(*) FROM {table} WHERE {top}{after}",  # noqa: S608
        page=page(""),
        page_from=page(after),
        columns=[field.get_col("c") for field in [*fields, user_name]],
    )


def _sql(target: str) -> _Statements:
    key = (connection.vendor, target)
    statements = _statements.get(key)
    if statements is None:
        statements = _statements[key] = _build(target)
    return statements


def _when(value: dt.datetime) -> Any:
    field = next(f for f in Comment._meta.concrete_fields if f.name == "created_at")
    return field.get_db_prep_value(value, connection)


class ThreadPaginator(BoundedPaginator):
    """The thread's BoundedPaginator (same counts, page index and pages) whose page views
    read in the statements above; its page holds ThreadComment rows with their replies."""

    def __init__(self, queryset, per_page: int, *, target: str, target_id: int, **kwargs):
        self.target = target  # "proposal" or "commitment"
        self.target_id = target_id
        super().__init__(queryset, per_page, **kwargs)

    def _one(self, sql: str, params: list) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def _count_up_to(self, limit: int) -> int:
        return self._one(_sql(self.target).count_up_to, [self.target_id, limit])

    def _count_from(self, anchor) -> int:
        value, pk = anchor
        if value is None:  # an empty list's index
            return self._count_up_to(2**62)
        when = _when(value)
        return self._one(_sql(self.target).count_from, [self.target_id, when, when, pk])

    def _read_page(self, anchor, offset: int, limit: int) -> list:
        statements = _sql(self.target)
        if anchor is None or anchor[0] is None:
            sql, params = statements.page, [self.target_id, limit, offset]
        else:
            when = _when(anchor[0])
            sql = statements.page_from
            params = [self.target_id, when, when, anchor[1], limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return _threaded(rows, row_converter(__name__, lambda: statements.columns))


def _threaded(rows: list, converter: RowConverter) -> list[ThreadComment]:
    """The top-level comments in order, each with its replies in order."""
    top: list[ThreadComment] = []
    answers: list[ThreadComment] = []
    parent_at = _FIELDS.index("parent")
    for row in rows:
        values = converter.convert(row)
        comment = ThreadComment(*values, [])  # type: ignore[call-arg]
        (answers if values[parent_at] is not None else top).append(comment)
    replies = {comment.pk: comment.thread_replies for comment in top}
    for reply in answers:
        replies[reply.parent_id].append(reply)  # type: ignore[index]
    return top
