"""Rows of a statement written out in SQL converted as the ORM converts them
(ogp_portal/core/raw_rows.py), with each thread's own database connection."""

import datetime as dt
import gc
import threading
import weakref

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from ogp_portal.core.raw_rows import row_converter
from ogp_portal.users.models import User
from tests.factories import UserFactory


def _columns() -> list:
    return [User._meta.get_field(name).get_col("u") for name in ("id", "is_staff", "last_login")]


def _read_user(pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, is_staff, last_login FROM {User._meta.db_table} u WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_a_raw_row_is_converted_as_the_orm_converts_it():
    # Given a user the ORM reads with a staff flag and an aware last login
    when = timezone.now().replace(microsecond=0)
    user = UserFactory(is_staff=True, last_login=when)
    orm = User.objects.values_list("id", "is_staff", "last_login").get(pk=user.pk)

    # When the raw row is converted
    converted = row_converter(("test", "user"), _columns).convert(_read_user(user.pk))

    # Then it is the ORM's, types included (SQLite sends 1 and a text instant)
    assert converted == list(orm) == [user.pk, True, when]
    assert type(converted[1]) is bool
    assert isinstance(converted[2], dt.datetime)
    assert converted[2].tzinfo is not None


@pytest.mark.django_db
def test_part_of_a_row_is_converted_with_its_own_columns():
    when = timezone.now().replace(microsecond=0)
    user = UserFactory(is_staff=False, last_login=when)
    converter = row_converter(("test", "user"), _columns)
    row = _read_user(user.pk)
    assert converter.convert(row, 1) == [False, when]
    assert converter.convert(row, 0, 2) == [user.pk, False]


def test_each_thread_converts_with_its_own_connection():
    # Given the converters asked for in this thread
    here = row_converter(("test", "threads"), _columns)
    assert here.connection is connections[DEFAULT_DB_ALIAS]
    assert row_converter(("test", "threads"), _columns) is here  # looked up once

    # When another thread asks for the same statement's
    seen: dict = {}

    def other_thread():
        try:
            seen["converter"] = row_converter(("test", "threads"), _columns)
            seen["connection"] = connections[DEFAULT_DB_ALIAS]
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()

    # Then it gets its own, bound to its own connection, not this thread's
    theirs = seen["converter"]
    assert seen["connection"] is not connections[DEFAULT_DB_ALIAS]
    assert theirs is not here
    assert theirs.connection is seen["connection"]
    bound = {
        converter.__self__
        for _, converters, _ in theirs._converting
        for converter in converters
        if hasattr(converter, "__self__") and hasattr(converter.__self__, "connection")
    }
    assert all(ops.connection is seen["connection"] for ops in bound)
    if connection.vendor == "sqlite":  # its booleans and datetimes have converters
        assert bound


def test_a_finished_threads_connection_and_its_converters_are_let_go():
    # Given a thread that read rows through a converter, then closed its connection and ended
    kept: dict = {}

    def other_thread():
        try:
            converter = row_converter(("test", "gone"), _columns)
            assert converter.connection is connections[DEFAULT_DB_ALIAS]
            kept["connection"] = weakref.ref(converter.connection)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    del thread
    gc.collect()
    # Then nothing keeps its connection alive (its converters, which hold it, went with it)
    assert kept["connection"]() is None
