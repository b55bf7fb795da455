"""Commitment search on PostgreSQL is answered by the GIN index of migration 0003: the
expression in commitments/search.py and the index must stay the same, or every search
reads every commitment again."""

import pytest
from django.db import connection

from commitments.models import Commitment
from commitments.search import search_commitments

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index exists on PostgreSQL only"
)


def test_commitment_search_uses_the_full_text_index(db):
    sql, params = search_commitments(Commitment.objects.all(), "open data").query.sql_with_params()
    with connection.cursor() as cursor:
        # The test database is tiny: forbid sequential scans so the index is chosen
        # whenever it can answer the query at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "commitment_search_document" in plan
