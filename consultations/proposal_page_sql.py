"""What the proposal page lists under its proposal, in one written-out statement: its
co-sponsorships with their organisations, its attachments, and the proposals merged into it
(with, once its response is out, the one it was merged into).

Three ORM querysets read them before, on every view of the page, for three reads that return
nothing on most proposals: building and compiling them, and the two round trips more, cost
about 3 ms of a thread page's 10 (tests/perf/profile_page.py, comments: 9.9 -> 6.7 ms per
page on a loaded machine, 6 -> 4 queries). Here one UNION ALL reads all three, each branch
in its own columns (the others NULL, cast to the column's type so the branches match), in the
order the querysets gave: co-sponsors by organisation name, then pk; attachments by upload
time, then pk; proposals by pk. Table and column names (quoted) and the values' conversion to
Python (ogp_portal/core/raw_rows.py) come from the models, as in proposal_sql.py;
tests/consultations/test_proposal_page_sql.py checks the instances against the ORM's.
"""

from typing import NamedTuple

from django.db import connection
from django.db.models import Field, Model

from ogp_portal.core.raw_rows import row_converter
from ogp_portal.organisations.models import Organisation

from .choices import ProposalStatus
from .models import Proposal, ProposalAttachment, ProposalCosponsor

MERGED_FIELDS = ("id", "title", "status", "merged_into")  # what the page shows of them


class PageRelations(NamedTuple):
    cosponsors: list[ProposalCosponsor]  # each with its organisation loaded
    attachments: list[ProposalAttachment]
    merged: list[Proposal]  # only MERGED_FIELDS loaded: merged into it, or the one it went to


class _Branch(NamedTuple):
    model: type[Model]
    fields: list  # the model's fields this branch reads


_built: dict[str, tuple[str, tuple[_Branch, ...]]] = {}


def _branch(model: type[Model], names: tuple[str, ...] | None = None) -> _Branch:
    fields = [f for f in model._meta.concrete_fields if names is None or f.name in names]
    return _Branch(model, fields)


def _columns(branches: tuple[_Branch, ...]) -> list:
    """The statement's columns after its first (the branch's number), for their conversion."""
    return [f.get_col(b.model._meta.db_table) for b in branches for f in b.fields]


def _build() -> tuple[str, tuple[_Branch, ...]]:
    quote = connection.ops.quote_name
    branches = (
        _branch(ProposalCosponsor),
        _branch(Organisation),
        _branch(ProposalAttachment),
        _branch(Proposal, MERGED_FIELDS),
    )
    name_field = Organisation._meta.get_field("name")
    time_field = ProposalAttachment._meta.get_field("uploaded_at")

    def null(field) -> str:
        return f"CAST(NULL AS {field.db_type(connection)})"

    def columns(alias: dict[int, str], name_sort: str, time_sort: str, pk: str) -> str:
        """Every branch's columns: this branch's tables' (alias per branch index), NULL else,
        then the sort keys."""
        written = []
        for i, branch in enumerate(branches):
            for field in branch.fields:
                written.append(f"{alias[i]}.{quote(field.column)}" if i in alias else null(field))
        return ", ".join([*written, f"{name_sort} AS sn", f"{time_sort} AS st", f"{pk} AS sk"])

    table = {b.model: quote(b.model._meta.db_table) for b in branches}
    org_pk = quote(Organisation._meta.pk.column)
    cosponsor_pk = quote(ProposalCosponsor._meta.pk.column)
    attachment_pk = quote(ProposalAttachment._meta.pk.column)
    proposal_pk = quote(Proposal._meta.pk.column)
    no_name, no_time = null(name_field), null(time_field)
    cosponsors = columns(
        {0: "c", 1: "o"}, f"o.{quote(name_field.column)}", no_time, f"c.{cosponsor_pk}"
    )
    attachments = columns({2: "a"}, no_name, f"a.{quote(time_field.column)}", f"a.{attachment_pk}")
    merged = columns({3: "p"}, no_name, no_time, f"p.{proposal_pk}")
    # Only the models' table and column names are written into the statement (S608).
    sql = (
        f"SELECT 0 AS k, {cosponsors} FROM {table[ProposalCosponsor]} c"  # noqa: S608
        f" JOIN {table[Organisation]} o"
        f" ON o.{org_pk} = c.{_column(ProposalCosponsor, 'organisation')}"
        f" WHERE c.{_column(ProposalCosponsor, 'proposal')} = %s"
        f" UNION ALL SELECT 1, {attachments} FROM {table[ProposalAttachment]} a"  # noqa: S608
        f" WHERE a.{_column(ProposalAttachment, 'proposal')} = %s"
        f" UNION ALL SELECT 2, {merged} FROM {table[Proposal]} p"  # noqa: S608
        f" WHERE (p.{_column(Proposal, 'merged_into')} = %s"
        f" AND NOT (p.{_column(Proposal, 'status')} = %s))"
        f" OR p.{proposal_pk} = %s"
        " ORDER BY k, sn, st, sk"
    )
    return sql, branches


def _column(model: type[Model], name: str) -> str:
    field: Field = model._meta.get_field(name)  # type: ignore[assignment]
    return connection.ops.quote_name(field.column)


def page_relations(proposal: Proposal) -> PageRelations:
    """The proposal's co-sponsorships (organisation loaded, proposal set), attachments and
    merged proposals (see the module's docstring), in one statement."""
    built = _built.get(connection.vendor)
    if built is None:
        built = _built[connection.vendor] = _build()
    sql, branches = built
    # The page names the proposal it was merged into only with its response.
    merged_into_id = proposal.merged_into_id if proposal.response_id is not None else None
    params: list[int | str | None] = [
        proposal.pk,
        proposal.pk,
        proposal.pk,
        ProposalStatus.DRAFT,
        merged_into_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    starts = []
    start = 1
    for branch in branches:
        starts.append(start)
        start += len(branch.fields)

    converter = row_converter(__name__, lambda: [None, *_columns(branches)])

    def read(row, i: int) -> Model:
        branch = branches[i]
        values = converter.convert(row, starts[i], starts[i] + len(branch.fields))
        return branch.model.from_db(connection.alias, [f.attname for f in branch.fields], values)

    found = PageRelations([], [], [])
    cosponsor_organisation = ProposalCosponsor._meta.get_field("organisation")
    cosponsor_proposal = ProposalCosponsor._meta.get_field("proposal")
    for row in rows:
        if row[0] == 0:
            cosponsor = read(row, 0)
            cosponsor_organisation.set_cached_value(cosponsor, read(row, 1))
            # The rules read the member through it: no query per row.
            cosponsor_proposal.set_cached_value(cosponsor, proposal)
            found.cosponsors.append(cosponsor)  # type: ignore[arg-type]
        elif row[0] == 1:
            found.attachments.append(read(row, 2))  # type: ignore[arg-type]
        else:
            found.merged.append(read(row, 3))  # type: ignore[arg-type]
    return found
