"""A kept database connection is checked at the start of each request without a round trip
to PostgreSQL (ogp_portal/core/postgresql/base.py), and one the server closed is still found
and replaced before the request uses it."""

import time
from unittest import mock

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's check"),
    pytest.mark.django_db(transaction=True),
]


def _between_requests() -> None:
    """What Django does when a request ends and the next begins (request_finished, then
    request_started: close_old_connections), with CONN_MAX_AGE and CONN_HEALTH_CHECKS on."""
    connection.close_if_unusable_or_obsolete()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_kept_connection_is_checked_without_a_query():
    assert connection.health_check_enabled or connection.settings_dict["CONN_HEALTH_CHECKS"]
    pid = _backend_pid()
    _between_requests()
    # The server is not asked: a query here would fail the test.
    with mock.patch.object(connection.connection, "cursor", side_effect=AssertionError("asked")):
        connection.close_if_health_check_failed()
    assert connection.health_check_done
    assert _backend_pid() == pid  # the same connection, kept


def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it():
    pid = _backend_pid()
    _between_requests()
    # Given the server ends this connection (a restart, an administrator, an idle timeout)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.02)
    # Then the next request's first query runs on a new connection instead of failing
    assert not connection.is_usable()
    new_pid = _backend_pid()
    assert new_pid != pid


def test_a_connection_in_a_transaction_is_asked_as_before():
    _backend_pid()
    with mock.patch(
        "django.db.backends.postgresql.base.DatabaseWrapper.is_usable", return_value=True
    ) as asked:
        connection.connection.execute("BEGIN")
        try:
            assert connection.is_usable()
        finally:
            connection.connection.execute("ROLLBACK")
    assert asked.called


def test_a_connection_idle_for_a_while_is_asked_as_before():
    """A connection dropped silently on the way (a NAT forgetting it) looks quiet on its
    socket; after RECENT_SECONDS without a query it is sent `SELECT 1`, whose reset makes
    Django reconnect instead of failing the request's first query."""
    _backend_pid()
    connection.last_used = time.monotonic() - 60
    with mock.patch(
        "django.db.backends.postgresql.base.DatabaseWrapper.is_usable", return_value=True
    ) as asked:
        assert connection.is_usable()
    assert asked.called
