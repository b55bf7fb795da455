"""The rows of one page of a consultation's proposal list, written out in SQL.

The page's statement (the keys of the page's rows skipped to over the index alone, then those
rows with their author's and organisation's names) cost the ORM about a third of the list's
CPU to build and compile on every request, more than rendering the page, while PostgreSQL
runs it in well under a millisecond (issue #20, read_proposals_spread). Here it is one
string per shape, built once per process; LIMIT and OFFSET are parameters, so the text is
the same for every page. The outer query does not repeat the list's filters: its rows are
the inner query's. Plain SQL that SQLite and PostgreSQL both run; table and column names
(quoted), the values' database form and the rows' conversion to Python come from the
models, so they follow them. tests/consultations/test_proposal_list_sql.py checks the rows
against the ORM's (BoundedPaginator without ``fetch``) for every page, filter and anchor.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Field

from .choices import ProposalStatus
from .models import Proposal

# The tables the rows' names come from, as the proposal's foreign keys name them.
User: Any = Proposal._meta.get_field("author").related_model
Organisation: Any = Proposal._meta.get_field("organisation").related_model


class ProposalRow(NamedTuple):
    """What a row of the list shows (proposal_list_tags.ROW_FIELDS, in that order)."""

    pk: int
    title: str
    status: str
    support_count: int
    comment_count: int
    author_id: int | None
    author__name: str | None
    organisation_id: int | None
    organisation__name: str | None
    organisation__verified_at: Any


# (model, field name) of each column, in ProposalRow's order.
_COLUMNS: tuple[tuple[type, str], ...] = (
    (Proposal, "id"),
    (Proposal, "title"),
    (Proposal, "status"),
    (Proposal, "support_count"),
    (Proposal, "comment_count"),
    (Proposal, "author"),
    (User, "name"),
    (Proposal, "organisation"),
    (Organisation, "name"),
    (Organisation, "verified_at"),
)
_ALIAS = {Proposal: "p", User: "u", Organisation: "o"}


def _field(model: type, name: str) -> Field:
    return model._meta.get_field(name)  # type: ignore[attr-defined]


def _column(model: type, name: str) -> str:
    return connection.ops.quote_name(_field(model, name).column)


@lru_cache(maxsize=16)
def _statement(vendor: str, by_status: bool, anchored: bool) -> str:
    """The page's SQL for this database and shape (a status filter, an anchor to seek to)."""
    quote = connection.ops.quote_name
    select = ", ".join(f"{_ALIAS[model]}.{_column(model, name)}" for model, name in _COLUMNS)
    table = quote(Proposal._meta.db_table)
    pk, when = _column(Proposal, "id"), _column(Proposal, "submitted_at")
    status = _column(Proposal, "status")
    keys = [f"k.{_column(Proposal, 'consultation')} = %s", f"NOT (k.{status} = %s)"]
    if by_status:
        keys.append(f"k.{status} = %s")
    if anchored:
        keys.append(f"k.{when} <= %s AND (k.{when} < %s OR k.{pk} <= %s)")
    user, organisation = quote(User._meta.db_table), quote(Organisation._meta.db_table)
    return (
        f"SELECT {select} FROM {table} p"  # noqa: S608 -- names from the models only
        f" LEFT OUTER JOIN {user} u ON (p.{_column(Proposal, 'author')} = u.{_column(User, 'id')})"
        f" LEFT OUTER JOIN {organisation} o"
        f" ON (p.{_column(Proposal, 'organisation')} = o.{_column(Organisation, 'id')})"
        f" WHERE p.{pk} IN (SELECT k.{pk} FROM {table} k WHERE {' AND '.join(keys)}"
        f" ORDER BY k.{when} DESC, k.{pk} DESC LIMIT %s OFFSET %s)"
        f" ORDER BY p.{when} DESC, p.{pk} DESC"
    )


@lru_cache(maxsize=4)
def _converters(vendor: str) -> tuple[tuple[int, tuple[Callable, ...], Any], ...]:
    """(column number, converters, expression) of each column the ORM would convert (SQLite's
    datetimes, for one)."""
    found = []
    for i, (model, name) in enumerate(_COLUMNS):
        field = _field(model, name)
        column = field.get_col(_ALIAS[model])
        converters = connection.ops.get_db_converters(column)
        converters += field.get_db_converters(connection)  # type: ignore[attr-defined]
        if converters:
            found.append((i, tuple(converters), column))
    return tuple(found)


def page_rows(
    consultation_id: int, status: str, anchor: tuple | None, offset: int, limit: int
) -> list[ProposalRow]:
    """``limit`` published proposals of the consultation (of this status, if any), newest
    first ("-submitted_at", "-pk"), from the ``offset``-th at or after ``anchor`` (the sort
    key (submitted_at, pk) of a row, or None: the first): as
    ``Proposal.objects.published().filter(...).values_list(*ROW_FIELDS, named=True)``."""
    if anchor is not None and anchor[0] is None:  # the index of an empty list
        anchor = None
    anchored = anchor is not None
    params: list[Any] = [consultation_id, ProposalStatus.DRAFT.value]
    if status:
        params.append(status)
    if anchor is not None:
        when = _field(Proposal, "submitted_at").get_db_prep_value(anchor[0], connection)
        params += [when, when, anchor[1]]
    params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor, bool(status), anchored), params)
        rows = cursor.fetchall()
    converting = _converters(connection.vendor)
    if converting:
        rows = [list(row) for row in rows]
        for row in rows:
            for i, converters, column in converting:
                for converter in converters:
                    row[i] = converter(row[i], column, connection)
    return [ProposalRow(*row) for row in rows]
