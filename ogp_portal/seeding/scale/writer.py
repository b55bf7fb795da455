"""Bulk row writing for the scale seed: COPY on PostgreSQL, batched executemany on SQLite.

Rows are plain tuples with explicit primary keys, so related rows can point at each other
without reading anything back, and the same values reach both backends. Model save(),
signals and auto_now(_add) are bypassed on purpose: the seed sets every timestamp itself
(reproducible), and no history or audit rows are written for seeded records.
"""

import json
import time
from collections.abc import Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

BATCH = 5000


def _per_row(field: models.Field) -> bool:
    """Whether the field's default is a callable (a fresh value for each row)."""
    return field.has_default() and callable(field.default)


class Writer:
    def __init__(self, log) -> None:
        self.log = log
        self.vendor = connection.vendor
        self.counts: dict[str, int] = {}
        self._next_ids: dict[type[models.Model], int] = {}
        self._touched: list[type[models.Model]] = []

    def reserve_ids(self, model: type[models.Model], count: int) -> int:
        """The first of `count` fresh primary keys for `model` (after any existing row)."""
        if model not in self._next_ids:
            last = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self._next_ids[model] = last + 1
        first = self._next_ids[model]
        self._next_ids[model] = first + count
        return first

    def insert(
        self,
        model: type[models.Model],
        columns: list[str],
        rows: Iterable[tuple[Any, ...]],
        *,
        rebuild_indexes: bool = False,
    ) -> int:
        """Write rows (values in `columns` order, attnames such as plan_id); return the count.

        rebuild_indexes (PostgreSQL, big tables): drop the plain indexes first and build
        them again after the COPY; updating nine indexes row by row is about 8x slower than
        building them once. Constraint indexes (primary key, unique) stay. The DDL is part
        of the seed's transaction, so a failure restores them."""
        started = time.monotonic()
        fields = {f.attname: f for f in model._meta.concrete_fields}
        columns, rows = self._with_defaults(model, columns, rows)
        convert = [self._converter(fields[name]) for name in columns]
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(fields[c].column) for c in columns)
        if any(convert):
            rows = (
                tuple(f(v) if f and v is not None else v for f, v in zip(convert, row, strict=True))
                for row in rows
            )
        count = 0
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                indexes = self._drop_indexes(cursor, model) if rebuild_indexes else []
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                for definition in indexes:
                    cursor.execute(definition)
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 -- names only
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == BATCH:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        if model not in self._touched:
            self._touched.append(model)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + count
        self.log(f"  {label:38} {count:>10,} rows  {time.monotonic() - started:6.1f} s")
        return count

    def insert_select(
        self, model: type[models.Model], columns: list[str], select: str, params: tuple = ()
    ) -> int:
        """INSERT INTO model's table (columns) SELECT …: rows derived from rows already
        written (the ledger mirrors proposals, answers and comments), copied inside the
        database instead of through Python. `select` yields values in `columns` order."""
        started = time.monotonic()
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = self._missing_defaults(model, columns)
        if any(_per_row(field) for field in missing):
            names = ", ".join(field.name for field in missing if _per_row(field))
            raise RuntimeError(f"{model._meta.label}: name {names} in the seed's SELECT.")
        if missing:
            # The SELECT's own columns first, then each missing column's constant default.
            values = [self._convert(field, field.get_default()) for field in missing]
            extra = ", ".join(["%s"] * len(missing))
            select = f"SELECT s.*, {extra} FROM ({select}) s"  # noqa: S608 -- placeholders
            params = (*params, *values)
            columns = [*columns, *(field.attname for field in missing)]
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(fields[c].column) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)  # noqa: S608
            count = cursor.rowcount
        if model not in self._touched:
            self._touched.append(model)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + count
        self.log(f"  {label:38} {count:>10,} rows  {time.monotonic() - started:6.1f} s")
        return count

    @staticmethod
    def _missing_defaults(model: type[models.Model], columns: list[str]) -> list[models.Field]:
        """NOT NULL columns the seed does not name and the database has no default for.

        Raw inserts get no Python defaults, so each such column is written with its model
        default (a blank CharField's is ""); a column with neither default is an error that
        names it, rather than an IntegrityError deep inside a batch."""
        missing = [
            field
            for field in model._meta.concrete_fields
            if field.attname not in columns
            and not field.null
            and not field.primary_key
            and field.db_default is models.NOT_PROVIDED
        ]
        without = [f.name for f in missing if not f.has_default() and f.get_default() is None]
        if without:
            raise RuntimeError(
                f"{model._meta.label}: the scale seed must write {', '.join(without)} (NOT NULL)."
            )
        return missing

    def _with_defaults(
        self, model: type[models.Model], columns: list[str], rows: Iterable[tuple[Any, ...]]
    ) -> tuple[list[str], Iterable[tuple[Any, ...]]]:
        """`columns` and `rows` completed with the model default of every NOT NULL column
        the seed left out (callable defaults are called once per row)."""
        missing = self._missing_defaults(model, columns)
        if not missing:
            return columns, rows
        constants = [None if _per_row(f) else f.get_default() for f in missing]

        def completed(row: tuple[Any, ...]) -> tuple[Any, ...]:
            values = (
                f.get_default() if _per_row(f) else constant
                for f, constant in zip(missing, constants, strict=True)
            )
            return (*row, *values)

        return [*columns, *(f.attname for f in missing)], (completed(row) for row in rows)

    def _convert(self, field: models.Field, value: Any) -> Any:
        convert = self._converter(field)
        return convert(value) if convert and value is not None else value

    @staticmethod
    def _drop_indexes(cursor, model: type[models.Model]) -> list[str]:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [model._meta.db_table, model._meta.db_table],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return [definition for _name, definition in found]

    def _converter(self, field: models.Field):
        """How a Python value becomes a database value on this backend (None: as it is)."""
        kind = field.get_internal_type()
        if kind == "JSONField":
            return json.dumps
        if self.vendor == "postgresql":
            return None  # psycopg adapts dates, aware datetimes and UUIDs itself
        if kind == "DateTimeField":
            return connection.ops.adapt_datetimefield_value
        if kind == "DateField":
            return connection.ops.adapt_datefield_value
        if kind == "UUIDField":
            return lambda value: value.hex
        return None

    def reset_sequences(self) -> None:
        """Explicit keys leave PostgreSQL's sequences behind; point them after the last row."""
        statements = connection.ops.sequence_reset_sql(no_style(), self._touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def execute(self, label: str, sql: str, params: tuple = ()) -> int:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.rowcount
        self.log(f"  {label:38} {rows:>10,} rows  {time.monotonic() - started:6.1f} s")
        return rows

    def verify_foreign_keys(self) -> None:
        """Every foreign key of every written table points at a row (one anti-join each);
        used when the per-row trigger checks were switched off. Raises on the first dangling
        key, which rolls the whole seed back."""
        started = time.monotonic()
        checked = 0
        with connection.cursor() as cursor:
            for model in self._touched:
                table = connection.ops.quote_name(model._meta.db_table)
                for field in model._meta.concrete_fields:
                    if not isinstance(field, models.ForeignKey):  # concrete relations
                        continue
                    target = field.target_field
                    other = connection.ops.quote_name(target.model._meta.db_table)
                    column = connection.ops.quote_name(field.column)
                    key = connection.ops.quote_name(target.column)
                    cursor.execute(
                        f"SELECT t.{column} FROM {table} t WHERE t.{column} IS NOT NULL "  # noqa: S608
                        f"AND NOT EXISTS (SELECT 1 FROM {other} o WHERE o.{key} = t.{column}) "
                        "LIMIT 1"
                    )
                    dangling = cursor.fetchone()
                    if dangling:
                        raise RuntimeError(
                            f"{model._meta.label}.{field.name} = {dangling[0]} points at no row."
                        )
                    checked += 1
        seconds = time.monotonic() - started
        self.log(f"  {'foreign keys verified':38} {checked:>10,} keys  {seconds:6.1f} s")
