"""PostgreSQL prepared statements (server-side binding, on by default) and the two ways they
would fail in production, which the backend handles (ogp_portal/core/postgresql/base.py)."""

import pytest
from django.db import NotSupportedError, connection, connections, transaction

from ogp_portal.core.postgresql.base import MAX_BOUND_PARAMETERS
from ogp_portal.users.models import User

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's binding"),
    pytest.mark.django_db(transaction=True),
]


def _prepared_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def test_a_repeated_query_is_prepared_once_and_reused():
    assert connection.features.uses_server_side_binding
    before = _prepared_statements()
    for _ in range(8):
        list(User.objects.filter(email="nobody@example.org"))
    # The count query itself is prepared too once it repeats, so compare at least one more.
    assert _prepared_statements() > before


def test_a_statement_with_more_parameters_than_the_protocol_carries_still_runs():
    ids = list(range(1, MAX_BOUND_PARAMETERS + 1000))
    user = User.objects.create_user(email="many@example.org", password="x" * 12)
    # 66,534 bound values: the protocol carries at most 65,535 per statement
    assert User.objects.filter(pk__in=ids + [user.pk]).count() == 1


@pytest.fixture
def probe():
    """A table whose statement is prepared in this connection, then its column's type changed
    in another (a migration run elsewhere)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE prepared_probe (id int PRIMARY KEY, size int)")
        cursor.execute("INSERT INTO prepared_probe VALUES (1, 7)")
    try:
        for _ in range(8):  # past prepare_threshold: the statement is prepared
            assert _probe_size() == 7
        assert _prepared_statements() >= 1
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("ALTER TABLE prepared_probe ALTER COLUMN size TYPE text")
        finally:
            other.close()
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE prepared_probe")


def _probe_size():
    with connection.cursor() as cursor:
        cursor.execute("SELECT size FROM prepared_probe WHERE id = %s", [1])
        return cursor.fetchone()[0]


def test_a_column_whose_type_changed_under_a_prepared_statement_is_read_again(probe):
    # Outside a transaction the connection forgets its statements and runs it again
    assert _probe_size() == "7"


def test_a_stale_prepared_statement_in_a_transaction_fails_once_and_leaves_it_usable(probe):
    # When the statement prepared before the change runs inside a transaction, it fails with
    # PostgreSQL's own error: the transaction is aborted, so it cannot be run again there
    stale = "cached plan must not change result type"
    with pytest.raises(NotSupportedError, match=stale), transaction.atomic():
        _probe_size()
    assert not connection.in_atomic_block
    assert not connection.needs_rollback

    # Then the block's rollback made psycopg forget its statements: the next transaction on
    # the same connection reads the new type, and so does a read outside one
    with transaction.atomic():
        assert _probe_size() == "7"
    assert _probe_size() == "7"


def test_a_stale_prepared_statement_in_a_savepoint_leaves_the_outer_transaction_usable(probe):
    # When it fails in a nested block (a savepoint), the rollback to the savepoint is enough:
    # the outer transaction goes on, and the same statement answers with the new type
    with transaction.atomic():
        with pytest.raises(NotSupportedError), transaction.atomic():
            _probe_size()
        assert _probe_size() == "7"


def test_the_connection_keeps_enough_prepared_statements_for_the_proposal_list():
    connection.ensure_connection()
    assert connection.connection.prepared_max >= 160  # 40 offsets x 4 shapes of its page
