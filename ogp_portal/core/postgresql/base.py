"""Django's PostgreSQL backend, with a health check that asks the socket instead of the server.

With CONN_HEALTH_CHECKS (settings/base.py) Django checks a kept connection at the start of
every request by sending `SELECT 1` and waiting for the answer: one more round trip for every
request, however small, as costly to this process and to PostgreSQL as a real one-row query
(bench ceiling view: about 0.06 ms of the process's CPU per request).

A connection the server has closed (a restart, pg_terminate_backend, an idle timeout, a proxy
in front dropping it) has said so on its socket: PostgreSQL sends its reason and closes, and
the socket of an idle connection becomes readable. So an idle connection whose socket has
nothing to read, and that was used in the last RECENT_SECONDS, is taken as usable; `SELECT 1`
is sent as before when there is something to read (the server's goodbye, or a harmless
notice), when the connection has been idle longer, inside a transaction, and on psycopg2.
The time limit is for what the socket cannot tell: a connection dropped silently on the way
(a NAT or a failover address forgetting it), where only the next packet sent gets a reset.
`SELECT 1` is that packet, and Django then reconnects instead of failing the request; such
drops come after minutes of silence, not within seconds of the last query.
"""

import select
import time

import psycopg
from django.db.backends.postgresql import base
from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]  # psycopg 3 only
    ServerBindingCursor,
)
from psycopg import pq


def socket_has_news(fd: int) -> bool:
    """Whether the server sent anything (or closed) on this idle connection's socket."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


# A connection used this recently is not sent `SELECT 1` when its socket is quiet.
RECENT_SECONDS = 5.0


# PostgreSQL's protocol counts a statement's bound parameters in 16 bits.
MAX_BOUND_PARAMETERS = 65_535
# The server function that reports "cached plan must not change result type": its name,
# unlike the message, does not follow the server's lc_messages.
STALE_PLAN = "RevalidateCachedQuery"
# Prepared statements psycopg keeps per connection (its default, 100, is fewer than the
# proposal list's texts alone: one per offset and shape, proposal_list_sql._statement).
PREPARED_MAX = 500


class PreparingCursor(ServerBindingCursor):
    """Server-side binding (prepared statements), minus its two ways to fail in production.

    - A statement with more parameters than the protocol carries (a huge `pk__in`, a
      bulk_create that Django 5.2 does not split) is sent with its values written in by
      psycopg's client-side binding, and not prepared.
    - A statement prepared before a migration changed a column's type fails with "cached
      plan must not change result type" in every process that prepared it. Inside a
      transaction (or savepoint) it fails once, as NotSupportedError, for the transaction is
      aborted; the rollback that follows makes psycopg forget its statements (DEALLOCATE
      ALL), so the connection is usable after the block. Outside one nothing would, so the
      connection forgets them and runs it again.
    """

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if params is not None and len(params) > MAX_BOUND_PARAMETERS:
            query = psycopg.ClientCursor(self.connection).mogrify(query, params)
            return super().execute(query, None, prepare=False, binary=binary)
        try:
            return super().execute(query, params, prepare=prepare, binary=binary)
        except psycopg.errors.FeatureNotSupported as error:
            idle = self.connection.info.transaction_status == pq.TransactionStatus.IDLE
            if error.diag.source_function != STALE_PLAN or not idle:
                raise
            super().execute("DEALLOCATE ALL")
            return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    last_used = 0.0  # time.monotonic() of the last cursor made on this connection

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self.settings_dict["OPTIONS"].get("server_side_binding") is True:
            connection.prepared_max = PREPARED_MAX
        return connection

    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is ServerBindingCursor:
            params["cursor_factory"] = PreparingCursor
        return params

    def create_cursor(self, name=None):
        self.last_used = time.monotonic()
        return super().create_cursor(name)

    def is_usable(self) -> bool:
        pgconn = getattr(self.connection, "pgconn", None)  # psycopg 3 (not psycopg2)
        if pgconn is None:
            return super().is_usable()
        if time.monotonic() - self.last_used > RECENT_SECONDS:
            return super().is_usable()
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        try:
            news = socket_has_news(pgconn.socket)
        except Exception:  # noqa: BLE001 (a socket closed or unknown: ask the server)
            news = True
        return super().is_usable() if news else True
