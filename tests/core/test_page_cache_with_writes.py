"""Raw statements that begin with WITH and write (an INSERT, UPDATE or DELETE after the WITH,
or, on PostgreSQL, in its data-modifying CTEs) refresh the cached pages of every table they
write, like the plain INSERT/UPDATE/DELETE that core/page_cache.py's statement hook sees."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ogp_portal.core import page_cache
from ogp_portal.guides.models import Resource
from plans.models import PolicyArea

pytestmark = pytest.mark.django_db

URL = reverse("guides:resource-list")


def _cached() -> str:
    """The resource list, stored in the page cache (the second reader is served the copy)."""
    Client().get(URL)
    again = Client().get(URL)
    assert again["X-Page-Cache"] == "hit"
    return again.content.decode()


def _served() -> tuple[str, str]:
    page = Client().get(URL)
    return page["X-Page-Cache"], page.content.decode()


def test_a_with_update_refreshes_the_page_that_shows_the_row():
    resource = Resource.objects.create(title="How to comment", body="Write.")
    assert "How to comment" in _cached()
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH renamed AS (SELECT %s AS title)"
            ' UPDATE "guides_resource" SET "title" = (SELECT title FROM renamed) WHERE "id" = %s',
            ["How to comment well", resource.pk],
        )
    state, html = _served()
    assert state != "hit"
    assert "How to comment well" in html


def test_a_with_insert_refreshes_the_page_that_shows_the_new_row():
    resource = Resource.objects.create(title="How to comment", body="Write.")
    assert "How to support" not in _cached()
    columns = "body, audience, primary_language, position, created_at, updated_at"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH source AS (SELECT {columns} FROM guides_resource WHERE id = %s)"  # noqa: S608 -- constant names
            f" INSERT INTO guides_resource (title, {columns}) SELECT %s, {columns} FROM source",
            [resource.pk, "How to support"],
        )
    state, html = _served()
    assert state != "hit"
    assert "How to support" in html


def test_every_table_a_with_statement_writes_changes_its_scopes(monkeypatch):
    # Given a statement whose CTE updates one registered table and whose INSERT writes another
    changes: list[tuple[str, ...]] = []
    monkeypatch.setattr(page_cache, "changed", lambda *scopes: changes.append(scopes))
    sql = (
        'WITH moved AS (UPDATE "guides_resource" SET "position" = 1 RETURNING "id")'
        ' INSERT INTO "plans_policyarea" ("plan_id", "name") SELECT 1, \'x\' FROM moved'
    )

    # When the hook sees it (the statement itself is not run: PostgreSQL only)
    with page_cache.declared(Resource, "resources"), page_cache.declared(PolicyArea, "areas"):
        page_cache._watch(lambda *args: None, sql, [], False, {})

    # Then both tables' scopes changed
    assert sorted(changes) == [("areas",), ("resources",)]


def test_a_with_statement_that_only_reads_changes_nothing(monkeypatch):
    changes: list[tuple[str, ...]] = []
    monkeypatch.setattr(page_cache, "changed", lambda *scopes: changes.append(scopes))
    sql = (
        'WITH recent AS (SELECT "id", "updated_at" FROM "guides_resource")'
        ' SELECT "id" FROM recent ORDER BY "updated_at" DESC'
    )
    page_cache._watch(lambda *args: None, sql, [], False, {})
    assert changes == []


def test_a_reading_with_whose_columns_hold_a_verb_skips_the_search_for_writes(monkeypatch):
    # Given the search for every write of a WITH statement, watched
    from ogp_portal.core import sql_writes

    searched: list[str] = []

    class Watched:
        def findall(self, sql):
            searched.append(sql)
            return []

    monkeypatch.setattr(sql_writes, "_ANYWHERE", Watched())

    # When a WITH that only reads, and names columns such as deleted_at and updated_at (as
    # the thread pages' statement does), is looked at; and then a WITH that does write
    reading = 'WITH page AS (SELECT "deleted_at", "updated_at" FROM t) SELECT * FROM page'
    writing = 'WITH n AS (SELECT 1) DELETE FROM "t" WHERE "id" IN (SELECT * FROM n)'
    sql_writes.statement_writes(reading)
    sql_writes.statement_writes(writing)

    # Then only the writing one costs the search (some 40 us on every thread page otherwise)
    assert searched == [writing]
