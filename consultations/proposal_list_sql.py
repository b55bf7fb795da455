"""The proposal list's two statements, written out in SQL: the consultation with its plan
and member, and the rows of one page.

The page's statement (the keys of the page's rows skipped to over the index alone, then those
rows with their author's and organisation's names) cost the ORM about a third of the list's
CPU to build and compile on every request, more than rendering the page, while PostgreSQL
runs it in well under a millisecond (issue #20, read_proposals_spread). Here it is one
string per shape and offset, built once per process (and prepared by PostgreSQL, see
``_statement``). The outer query does not repeat the list's filters: its rows are
the inner query's. Plain SQL that SQLite and PostgreSQL both run; table and column names
(quoted), the values' database form and the rows' conversion to Python come from the
models, so they follow them. tests/consultations/test_proposal_list_sql.py checks the rows
of ProposalListPaginator against BoundedPaginator's for every page, filter and anchor.
"""

from functools import lru_cache
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Field

from ogp_portal.core.raw_rows import row_converter
from ogp_portal.organisations.models import Member
from plans.models import ActionPlan

from .choices import ProposalStatus
from .models import Consultation, Proposal
from .pagination import BoundedPaginator

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


@lru_cache(maxsize=512)
def _statement(vendor: str, by_status: bool, anchored: bool, limit: int, offset: int) -> str:
    """The page's SQL for this database and shape (a status filter, an anchor to seek to),
    LIMIT and OFFSET written in: prepared, a statement is planned once for every value it
    is given (PostgreSQL's generic plan), and one planned for an unknown LIMIT and OFFSET
    sorted the 200,000-proposal consultation instead of reading its index (make bench:
    14 ms of PostgreSQL CPU per page instead of 1.5). Pages are read at few offsets (at most
    the page index's step over the page size), so the texts stay few."""
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
        f" ORDER BY k.{when} DESC, k.{pk} DESC LIMIT {int(limit)} OFFSET {int(offset)})"
        f" ORDER BY p.{when} DESC, p.{pk} DESC"
    )


def _page_columns() -> list:
    return [_field(model, name).get_col(_ALIAS[model]) for model, name in _COLUMNS]


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
    with connection.cursor() as cursor:
        sql = _statement(connection.vendor, bool(status), anchored, limit, offset)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converter = row_converter((__name__, "page"), _page_columns)
    return [ProposalRow(*converter.convert(row)) for row in rows]


class ProposalListPaginator(BoundedPaginator):
    """The unsearched proposal list's BoundedPaginator (same counts, page index and pages)
    whose pages are read by page_rows: ProposalRow rows. ``queryset`` must be the published
    proposals of ``consultation_id``, of ``status`` if one is given."""

    def __init__(self, queryset, per_page: int, *, consultation_id: int, status: str, **kwargs):
        self.consultation_id = consultation_id
        self.status = status
        super().__init__(queryset, per_page, **kwargs)

    def _read_page(self, anchor, offset: int, limit: int) -> list:
        return page_rows(self.consultation_id, self.status, anchor, offset, limit)


# What Consultation.objects.select_related("plan__member") loads: each model, and the
# foreign key of the one before that reaches it.
_CONSULTATION_ROW: tuple[tuple[Any, str | None], ...] = (
    (Consultation, None),
    (ActionPlan, "plan"),
    (Member, "member"),
)


@lru_cache(maxsize=4)
def _consultation_statement(vendor: str) -> tuple[str, tuple, tuple]:
    """The SQL, per model (model, foreign key to it, attnames), and the columns."""
    quote = connection.ops.quote_name
    select, joins, loaded, columns = [], [], [], []
    for i, (model, via) in enumerate(_CONSULTATION_ROW):
        alias = f"t{i}"
        fields = model._meta.concrete_fields
        select += [f"{alias}.{quote(f.column)}" for f in fields]
        table = f"{quote(model._meta.db_table)} {alias}"
        if via is None:
            joins.append(table)
        else:
            before = _CONSULTATION_ROW[i - 1][0]
            key = quote(before._meta.get_field(via).column)
            joins.append(f"JOIN {table} ON {alias}.{quote(model._meta.pk.column)} = t{i - 1}.{key}")
        columns += [field.get_col(alias) for field in fields]
        loaded.append((model, via, [f.attname for f in fields]))
    sql = (
        f"SELECT {', '.join(select)} FROM {' '.join(joins)}"  # noqa: S608 -- model names only
        f" WHERE t0.{quote(Consultation._meta.pk.column)} = %s"
    )
    return sql, tuple(loaded), tuple(columns)


def consultation_with_plan(pk: int) -> Consultation | None:
    """``Consultation.objects.select_related("plan__member").get(pk=pk)`` (None if there is
    none): the same instances, every field loaded, in a statement built once per process."""
    low, high = connection.ops.integer_field_range(Consultation._meta.pk.get_internal_type())
    if not low <= pk <= high:  # none such (the ORM's answer; SQLite would raise on binding it)
        return None
    sql, loaded, columns = _consultation_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    row = row_converter((__name__, "consultation"), lambda: columns).convert(row)
    objects: list[Any] = []
    start = 0
    for model, via, attnames in loaded:
        values = row[start : start + len(attnames)]
        start += len(attnames)
        instance = model.from_db(connection.alias, attnames, values)
        if objects:
            type(objects[-1])._meta.get_field(via).set_cached_value(objects[-1], instance)
        objects.append(instance)
    return objects[0]
