"""The read of the signed-in user that every signed-in request makes, written out in SQL.

django.contrib.auth's ModelBackend.get_user (allauth's backend inherits it) loads the user of
the session with ``User._default_manager.get(pk=...)`` on every request of a signed-in person.
The ORM took about 0.4 ms of CPU to build and convert that one primary-key read, against
0.12 ms written out (the comment flood posts hundreds a second, all signed in; issue #20).
UserManager.get sends ``get(pk=...)`` here: the same table, columns, instance and errors as
the ORM's (tests/accounts/test_user_sql.py compares them). Column names and the rows'
conversion to Python come from the model, so they follow it.
"""

from typing import Any

from django.db import connections
from django.db.models import Model

from ogp_portal.core.raw_rows import row_converter


def _sql(model: type[Model], connection: Any) -> tuple[str, list, list[str]]:
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"SELECT {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608 -- model names only
        f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    return sql, fields, [f.attname for f in fields]


def _not_found(model: type[Model]) -> Exception:
    """The ORM's error for a get() that finds nothing, with its message."""
    error: type[Exception] = model.DoesNotExist  # type: ignore[attr-defined]
    return error(f"{model._meta.object_name} matching query does not exist.")


def by_pk(model: type[Model], using: str, pk: Any) -> Model:
    """``model._default_manager.db_manager(using).get(pk=pk)`` for an integer primary key:
    the instance with every concrete field loaded, or ``model.DoesNotExist``."""
    connection = connections[using]
    field = model._meta.pk
    value = field.get_prep_value(pk)  # as the ORM's lookup: "12" -> 12, "x" -> ValueError
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    if value is None or not low <= value <= high:  # the ORM finds none such either
        raise _not_found(model)
    sql, fields, attnames = _sql(model, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        raise _not_found(model)
    # As the ORM converts each column (SQLite's datetimes and booleans, for one).
    table = model._meta.db_table
    converter = row_converter(
        (__name__, model._meta.label), lambda: [f.get_col(table) for f in fields], using
    )
    return model.from_db(using, attnames, converter.convert(row))
