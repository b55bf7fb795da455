"""The proposal page's proposal (views/proposal_page.visible_proposal) in one written-out
statement: the proposal, its consultation, plan and member, and its author, organisation,
policy area and response, as ``Proposal.objects.select_related("consultation__plan__member",
"organisation", "author", "response", "policy_area")`` loads them.

The ORM's statement joins the eight tables in one FROM list; PostgreSQL searches every join
order of eight tables to plan it, about 2.7 ms on each view of the page for a statement that
runs in 0.3 ms (ogp_bench, EXPLAIN ANALYZE), most of the page's PostgreSQL CPU; and Django spent
about a millisecond building it. Here the four inner joins are planned in a subquery that
OFFSET 0 keeps apart (a fence PostgreSQL does not flatten), then the four outer joins: two
small searches (0.5 ms). Table and column names (quoted), the values' conversion to Python
and the instances come from the models, as in comment_post_sql.py;
tests/consultations/test_proposal_sql.py checks the instances against the ORM's.
"""

from django.db import connection
from django.db.models import Model

from ogp_portal.core.raw_rows import row_converter
from ogp_portal.organisations.models import Member
from plans.models import ActionPlan

from .models import Consultation, Proposal

# Each table: the model, the relation it is reached by (model index, field name), and whether
# that relation may be empty (LEFT JOIN, outside the fence).
_TABLES: tuple[tuple[type[Model], int | None, str, bool], ...] = (
    (Proposal, None, "", False),
    (Consultation, 0, "consultation", False),
    (ActionPlan, 1, "plan", False),
    (Member, 2, "member", False),
)


def _outer() -> tuple[tuple[type[Model], int, str, bool], ...]:
    return tuple(
        (Proposal._meta.get_field(name).related_model, 0, name, True)  # type: ignore[misc]
        for name in ("author", "organisation", "policy_area", "response")
    )


_built: dict[str, tuple[str, list, list]] = {}


def _build() -> tuple[str, list, list]:
    quote = connection.ops.quote_name
    tables = [*_TABLES, *_outer()]
    loaded = []  # per table: model, fields
    selected = []  # per column of the statement: its expression, for the rows' conversion
    column_of: list[dict[str, str]] = []  # per table: field name -> its name in the statement
    n = 0
    for i, (model, _via, _name, _outer_join) in enumerate(tables):
        fields = list(model._meta.concrete_fields)
        names = {}
        for field in fields:
            names[field.name] = f"c{n}"
            n += 1
            selected.append(field.get_col(f"t{i}"))
        loaded.append((model, fields))
        column_of.append(names)

    def select(i: int) -> str:
        _model, fields = loaded[i]
        return ", ".join(f"t{i}.{quote(f.column)} AS {column_of[i][f.name]}" for f in fields)

    def on(i: int, inner: bool) -> str:
        model, via, name, _ = tables[i]
        via = via or 0  # every table but the proposal is reached from another
        field = next(f for f in tables[via][0]._meta.concrete_fields if f.name == name)
        source = f"t{via}.{quote(field.column)}" if inner else f"core.{column_of[via][name]}"
        return f"t{i}.{quote(model._meta.pk.column)} = {source}"

    inner = range(len(_TABLES))
    outer = range(len(_TABLES), len(tables))
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    joins = "".join(
        f" JOIN {quote(tables[i][0]._meta.db_table)} t{i} ON {on(i, True)}" for i in inner if i
    )
    where = f"t0.{quote(Proposal._meta.pk.column)} = %s{fence}"
    columns = ", ".join(select(i) for i in inner)
    table = quote(Proposal._meta.db_table)
    core = f"SELECT {columns} FROM {table} t0{joins} WHERE {where}"  # noqa: S608 -- model names
    outer_select = ", ".join(f"t{i}.{quote(f.column)}" for i in outer for f in loaded[i][1])
    sql = (
        f"SELECT core.*, {outer_select} FROM ({core}) core"  # noqa: S608 -- model names only
        + "".join(
            f" LEFT JOIN {quote(tables[i][0]._meta.db_table)} t{i} ON {on(i, False)}" for i in outer
        )
    )
    return sql, [(tables[i], *loaded[i]) for i in range(len(tables))], selected


def proposal_for_page(pk: int) -> Proposal | None:
    """The proposal with this pk and the relations its page shows, as select_related loads
    them (None if there is none)."""
    low, high = connection.ops.integer_field_range(Proposal._meta.pk.get_internal_type())
    if not low <= pk <= high:  # none such (the ORM's answer; SQLite would raise on binding it)
        return None
    built = _built.get(connection.vendor)
    if built is None:
        built = _built[connection.vendor] = _build()
    sql, tables, columns = built
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    converter = row_converter(__name__, lambda: columns)
    objects: list[Model | None] = []
    start = 0
    for (model, via, name, outer_join), _model, fields in tables:
        end = start + len(fields)
        instance: Model | None = None
        if not outer_join or row[start + _pk_at(fields)] is not None:
            values = converter.convert(row, start, end)
            instance = model.from_db(connection.alias, [f.attname for f in fields], values)
        if via is not None:
            parent = objects[via]
            parent._meta.get_field(name).set_cached_value(parent, instance)
        objects.append(instance)
        start = end
    return objects[0]  # type: ignore[return-value]


def _pk_at(fields: list) -> int:
    return next(i for i, field in enumerate(fields) if field.primary_key)
