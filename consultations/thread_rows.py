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
import math
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection

from ogp_portal.core.raw_rows import RowConverter, row_converter

from . import pagination
from .models import Comment
from .pagination import BoundedPage, BoundedPaginator


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
# The page read with its thread's count, by (vendor, target, from an anchor, counted from the
# last anchor, the last page): built on first use.
_counted_pages: dict[tuple[str, str, bool, bool, bool], str] = {}
# A page number taken as the last page's: beyond any thread, small enough for a bigint offset.
_FAR = 10**9


class _Sql(NamedTuple):
    """The parts the statements are written from (model names, quoted)."""

    table: str
    top: str  # the thread's top-level comments: target = %s AND no parent
    after: str  # at or after an anchor: %s, %s, %s (its time twice, its id)
    order: str
    id: str
    parent: str
    select: str  # the comment's fields and its author's name
    source: str  # the comments (c) and their authors (u)


def _parts(target: str) -> _Sql:
    quote = connection.ops.quote_name
    concrete = {f.name: f for f in Comment._meta.concrete_fields}
    fields = [concrete[name] for name in _FIELDS]
    user_meta = get_user_model()._meta
    user_name = next(f for f in user_meta.concrete_fields if f.name == "name")
    column = {f.name: quote(f.column) for f in fields}
    table = quote(Comment._meta.db_table)
    select = ", ".join(f"c.{column[f.name]}" for f in fields)
    name = quote(user_name.column)
    joined = f"{quote(user_meta.db_table)} u ON u.{quote(user_meta.pk.column)}"
    return _Sql(
        table=table,
        top=f"{quote(concrete[target].column)} = %s AND {column['parent']} IS NULL",
        after=(
            f" AND {column['created_at']} >= %s"
            f" AND ({column['created_at']} > %s OR {column['id']} >= %s)"
        ),
        order=f"{column['created_at']}, {column['id']}",
        id=column["id"],
        parent=column["parent"],
        select=f"{select}, u.{name}",
        source=f"{table} c LEFT JOIN {joined} = c.{column['author']}",
    )


def _page(sql: _Sql, condition: str, offset: str, *, before: str = "", extra: str = "") -> str:
    """The page's top-level comments by the thread's index, then those rows and their
    replies (by the parent's index); sorted by (created_at, id) as THREAD_ORDER. `before`
    and `extra` add a CTE ahead of the page's and a branch (with a column) to its rows."""
    with_column = ", CAST(NULL AS bigint)" if extra else ""
    rows = f"SELECT {sql.select}{with_column} FROM {sql.source}"  # noqa: S608 -- model names
    return (
        f"WITH {before}page AS (SELECT {sql.id} FROM {sql.table}"  # noqa: S608 -- model names
        f" WHERE {sql.top}{condition} ORDER BY {sql.order} LIMIT %s OFFSET {offset})"
        f" {rows} WHERE c.{sql.id} IN (SELECT {sql.id} FROM page)"
        f" UNION ALL {rows} WHERE c.{sql.parent} IN (SELECT {sql.id} FROM page){extra}"
        f" ORDER BY {_FIELDS.index('created_at') + 1}, 1"
    )


def _count_up_to(sql: _Sql) -> str:
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {sql.table}"  # noqa: S608 -- model names only
        f" WHERE {sql.top} LIMIT %s) rows_counted"
    )


def _count_from(sql: _Sql) -> str:
    return f"SELECT COUNT(*) FROM {sql.table} WHERE {sql.top}{sql.after}"  # noqa: S608


def _build(target: str) -> _Statements:
    sql = _parts(target)
    fields = {f.name: f for f in Comment._meta.concrete_fields}
    user_name = next(f for f in get_user_model()._meta.concrete_fields if f.name == "name")
    return _Statements(
        count_up_to=_count_up_to(sql),
        count_from=_count_from(sql),
        page=_page(sql, "", "%s"),
        page_from=_page(sql, sql.after, "%s"),
        columns=[field.get_col("c") for field in [*(fields[n] for n in _FIELDS), user_name]],
    )


def _sql(target: str) -> _Statements:
    key = (connection.vendor, target)
    statements = _statements.get(key)
    if statements is None:
        statements = _statements[key] = _build(target)
    return statements


def _counted_page(target: str, page_from: bool, count_from: bool, clamped: bool) -> str:
    """The page (from the list's start or from an anchor) and, in one more row whose id is
    NULL, the rows counted: from the last anchor of the thread's index (`count_from`) or,
    without an index, up to a limit. `clamped`: the page starts at the offset asked for, or
    at the last page's if that comes first, worked out from the count in the statement (the
    rows counted are the last page's and those before it, from a whole number of pages)."""
    key = (connection.vendor, target, page_from, count_from, clamped)
    statement = _counted_pages.get(key)
    if statement is None:
        sql = _parts(target)
        count = _count_from(sql) if count_from else _count_up_to(sql)
        offset = "%s"
        if clamped:  # -1 / per_page is 0 in both databases: an empty list's offset is 0
            last = "((SELECT n FROM counted) - 1) / %s * %s"
            offset = f"CASE WHEN %s < {last} THEN %s ELSE {last} END"
        nulls = ", ".join(["NULL"] * (len(_FIELDS) + 1))
        statement = _counted_pages[key] = _page(
            sql,
            sql.after if page_from else "",
            offset,
            before=f"counted (n) AS ({count}), ",
            extra=f" UNION ALL SELECT {nulls}, n FROM counted",  # noqa: S608 -- no values
        )
    return statement


def _when(value: dt.datetime) -> Any:
    field = next(f for f in Comment._meta.concrete_fields if f.name == "created_at")
    return field.get_db_prep_value(value, connection)


class ThreadPaginator(BoundedPaginator):
    """The thread's BoundedPaginator (same counts, page index and pages) whose page views
    read in the statements above; its page holds ThreadComment rows with their replies.

    The thread is counted by the statement that reads its page (one query a page view, not
    two: the count cost each view as much as the page): `count` and `num_pages` are known
    once get_page has read one, the last page too (or a number past the end, which shows
    it). Asked for before, the count is read alone first, as BoundedPaginator does, and so
    it is where the statement cannot find the page without it (rows before the index's
    last anchor that are not whole pages, a test's small steps)."""

    def __init__(self, queryset, per_page: int, *, target: str, target_id: int, **kwargs):
        self.target = target  # "proposal" or "commitment"
        self.target_id = target_id
        self._counted: tuple[int, int] | None = None  # count, num_pages
        super().__init__(queryset, per_page, **kwargs)

    # count and num_pages: set by BoundedPaginator._count_rows or with the page.

    @property
    def count(self) -> int:
        return self._known()[0]

    @count.setter
    def count(self, value: int) -> None:
        self._counted = (value, max(1, math.ceil(value / self.per_page)))

    @property
    def num_pages(self) -> int:
        return self._known()[1]

    @num_pages.setter
    def num_pages(self, value: int) -> None:
        pass  # follows from count

    def _known(self) -> tuple[int, int]:
        if self._counted is None:
            super()._count_rows()
        assert self._counted is not None  # noqa: S101 -- set by count's setter
        return self._counted

    def _count_rows(self) -> None:
        """Only the stored page index: the count comes with the page."""
        self.index = self._look_up_index()

    def _count(self) -> int:
        # BoundedPaginator._count_rows, when the count is asked for before the page: an index
        # found by _count_rows is not looked up again.
        if self.index is not None:
            return self._count_by_index(self.index)
        return super()._count()

    def get_page(self, number) -> BoundedPage:
        if self._counted is not None:
            return super().get_page(number)
        read = self._page_with_count(number)
        if read is None:  # not found without the count
            return super().get_page(number)
        number, rows = read  # a number past the end: the last page was read
        number = min(number, self.num_pages)
        return BoundedPage(rows[: self.per_page], number, self, len(rows) > self.per_page)

    def _page_with_count(self, number) -> tuple[int, list] | None:
        """The page asked for (its number, from 1, and rows) and the thread's count (set),
        in one statement; None where that statement cannot find the page, or where its
        number is past the end and the last page has to be read again."""
        if number == "last":
            number = _FAR
        else:
            try:
                number = min(max(int(number), 1), _FAR)
            except (TypeError, ValueError):
                number = 1
        per_page = self.per_page
        offset = (number - 1) * per_page
        index = self.index
        if index is None:
            # Counted up to COUNT_EXACT_UP_TO rows (more: an index is needed), a page
            # within them or the last one (OFFSET from the start).
            exact_up_to = pagination.COUNT_EXACT_UP_TO
            sql = _counted_page(self.target, False, False, True)
            params = [self.target_id, exact_up_to + 1, self.target_id, per_page + 1]
            params += [offset, per_page, per_page, offset, per_page, per_page]
            rows, counted = self._read_counted(sql, params)
            if counted <= exact_up_to:
                self.count = counted
                return number, rows
            # A long thread whose index had expired: built now (or by another reader). A
            # page within the first COUNT_EXACT_UP_TO rows was read as the index reads it.
            self.index = self._index_now()
            self.count = self._count_by_index(self.index)
            return (number, rows) if offset < exact_up_to else None
        anchors = index.anchors
        final = len(anchors) - 1
        if index.tail is not None or anchors[final][0] is None:
            return None  # a list in descending order, or an empty one's index
        base = final * index.step  # rows before the last anchor
        slot = min(offset // index.step, final)
        # From the last anchor, a page past the end is the last page's only if the rows
        # before that anchor are whole pages.
        clamped = slot == final and base % per_page == 0
        offset -= slot * index.step
        if slot == final and not clamped and number == _FAR:
            return None
        when = _when(anchors[final][0])
        params = [self.target_id, when, when, anchors[final][1], self.target_id]
        if slot:
            start = _when(anchors[slot][0])
            params += [start, start, anchors[slot][1]]
        params += [per_page + 1, offset]
        if clamped:
            params += [per_page, per_page, offset, per_page, per_page]
        sql = _counted_page(self.target, slot > 0, True, clamped)
        rows, tail = self._read_counted(sql, params)
        self.count = base + tail
        if not rows and number > self.num_pages:
            return None  # past the end, not read as the last page (or nothing after it)
        return number, rows

    def _read_counted(self, sql: str, params: list) -> tuple[list, int]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        counted = 0
        found = []
        for row in rows:
            if row[0] is None:
                counted = row[-1]
            else:
                found.append(row)
        statements = _sql(self.target)
        return _threaded(found, row_converter(__name__, lambda: statements.columns)), counted

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
    width = len(_FIELDS) + 1  # the comment's fields and its author's name
    for row in rows:
        values = converter.convert(row, 0, width)
        comment = ThreadComment(*values, [])  # type: ignore[call-arg]
        (answers if values[parent_at] is not None else top).append(comment)
    replies = {comment.pk: comment.thread_replies for comment in top}
    for reply in answers:
        replies[reply.parent_id].append(reply)  # type: ignore[index]
    return top
