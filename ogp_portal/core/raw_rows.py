"""Rows read by a statement written out in SQL, converted to Python as the ORM converts them.

The ORM converts each selected column with what the database connection and the field give
it (SQLite's datetimes arrive as text and its booleans as integers; a field may convert its
own values, from_db_value). A statement written out in SQL (consultations/proposal_list_sql.py,
proposal_sql.py, thread_rows.py, comment_post_sql.py, users/user_sql.py) gets the same
converters here. They are methods bound to one connection's operations, and Django keeps one
connection object per thread: so they are looked up per connection object, once, and
forgotten with it (kept on the connection object), never shared between threads.
"""

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


class RowConverter:
    """The ORM's conversion of a statement's columns (expressions such as
    ``field.get_col(alias)``), on one connection."""

    __slots__ = ("_converting", "connection")

    def __init__(self, connection: Any, columns: Sequence[Any]):
        self.connection = connection
        converting = []
        for i, column in enumerate(columns):
            if column is None:  # a column the caller reads itself (a branch's number, say)
                continue
            # As the ORM's compiler: the backend's converters, then the expression's own.
            found = [
                *connection.ops.get_db_converters(column),
                *column.get_db_converters(connection),
            ]
            if found:
                converting.append((i, tuple(found), column))
        self._converting = tuple(converting)

    def convert(self, row: Sequence, start: int = 0, stop: int | None = None) -> list:
        """The values ``row[start:stop]``, converted; the columns given are the row's."""
        values = list(row[start:stop])
        end = len(row) if stop is None else stop
        connection = self.connection
        for i, converters, column in self._converting:
            if start <= i < end:
                value = values[i - start]
                for converter in converters:
                    value = converter(value, column, connection)
                values[i - start] = value
        return values


# Kept on the connection object itself (one per thread, kept across reconnections), so they
# go with it: a WeakKeyDictionary keyed by the connection never let go, since each converter
# holds its connection (and the bound methods of its operations).
_ATTRIBUTE = "_ogp_row_converters"


def row_converter(
    key: Hashable, columns: Callable[[], Sequence[Any]], using: str = DEFAULT_DB_ALIAS
) -> RowConverter:
    """The converter of the statement named ``key`` for this thread's connection to
    ``using``; ``columns()`` gives its columns, and is called once per connection."""
    connection = connections[using]  # this thread's, not the `connection` proxy
    found = connection.__dict__.get(_ATTRIBUTE)
    if found is None:
        found = connection.__dict__[_ATTRIBUTE] = {}
    converter = found.get(key)
    if converter is None:
        converter = found[key] = RowConverter(connection, columns())
    return converter
