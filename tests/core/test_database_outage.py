"""A database outage seen through the test client: every query fails, the person gets a 503
with Retry-After in the portal's layout and their typed text back, never Django's bare 500.

The outage is an execute wrapper that fails every statement the way a stopped PostgreSQL or
a locked SQLite does (OperationalError). Savepoint statements pass, so the test's own
transaction survives; the fault test (test_database_outage_fault.py) stops a real server.
"""

import sqlite3

import pytest
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from consultations.models import Comment
from ogp_portal.core.outage import is_database_outage, server_error
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


class DatabaseDown:
    """Fails every statement but the test transaction's savepoints; counts the attempts."""

    def __init__(self) -> None:
        self.refused = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            return execute(sql, params, many, context)
        self.refused += 1
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.fixture
def proposal(member, cso_member):
    consultation = make_consultation(PlanFactory(member=member, status="co_creation"))
    return make_proposal(cso_member, consultation)


@pytest.fixture
def browser(client):
    # A real server answers with the 503 page; the test client would re-raise the error
    # that Django handled (it re-raises what got_request_exception saw), so turn that off.
    client.raise_request_exception = False
    return client


def test_a_comment_posted_while_the_database_is_down_gets_503_with_the_text_back(
    browser, citizen, proposal
):
    # Given a signed-in person writing a comment
    browser.force_login(citizen)
    text = "Registers should be searchable by company name <and> by director."

    # When they send it while every query fails
    down = DatabaseDown()
    with connection.execute_wrapper(down):
        response = browser.post(
            reverse("consultations:comment-create"),
            {
                "proposal": proposal.pk,
                "body": text,
                "submission_token": "8d7c1b0e-3f8a-4a55-9c1e-6b2f0f6f1a11",
                "password": "not-to-be-echoed",
            },
        )

    # Then they get a 503 with Retry-After, in the portal's layout, their text (escaped) to
    # copy, what to do, and no token or password; nothing was saved
    body = response.content.decode()
    assert down.refused >= 1
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    assert "Skip to main content" in body  # base.html, not the plain-text fallback
    assert 'href="/plans/"' in body
    assert "Registers should be searchable by company name &lt;and&gt; by director." in body
    assert "readonly" in body
    assert "Copy your text" in body
    assert "Try again in a minute" in body
    assert "not-to-be-echoed" not in body
    assert "8d7c1b0e" not in body
    assert "csrfmiddlewaretoken" not in body
    assert not Comment.objects.exists()


def test_a_session_that_must_be_loaded_from_the_database_fails_into_the_503_page(
    browser, citizen, proposal
):
    # Given a signed-in person whose session is no longer in the cache (the session and
    # authentication middlewares must read the database to know who they are)
    browser.force_login(citizen)
    cache.clear()

    # When they open a page during the outage
    with connection.execute_wrapper(DatabaseDown()):
        response = browser.get(proposal.get_absolute_url())

    # Then the failure in the middleware is a 503 too, with a link to try again
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert f'href="{proposal.get_absolute_url()}"' in body
    assert "Try again" in body


def test_the_outage_page_renders_without_any_query(django_assert_num_queries, citizen):
    # Given a request that failed on the database (the handler runs while it is handled)
    request = RequestFactory().post(
        "/consultations/comments/new/", {"body": "Kept text", "csrfmiddlewaretoken": "abc"}
    )
    request.user = citizen  # present, but the page must not look at it

    # When the portal's handler500 answers it, not one query is made
    with django_assert_num_queries(0):
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            response = server_error(request)

    assert response.status_code == 503
    body = response.content.decode()
    assert "Kept text" in body
    assert "abc" not in body
    assert "language-switcher" not in body  # no request context, no CSRF token


def test_other_errors_still_get_the_500_page():
    request = RequestFactory().get("/plans/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_which_errors_count_as_the_database_being_down():
    def wrapped(message: str) -> OperationalError:
        # What Django raises for SQLite: its own class, caused by sqlite3's.
        error = OperationalError(message)
        error.__cause__ = sqlite3.OperationalError(message)
        return error

    assert is_database_outage(wrapped("database is locked"))
    assert is_database_outage(wrapped("database table is locked"))
    assert is_database_outage(wrapped("unable to open database file"))
    assert is_database_outage(OperationalError("could not connect to server"))
    assert is_database_outage(InterfaceError("connection already closed"))
    # A bug in the SQL is a bug, not an outage
    assert not is_database_outage(wrapped("no such table: consultations_comment"))
    assert not is_database_outage(ValueError("a bug"))
    assert not is_database_outage(None)
    # An outage that caused another error is still an outage
    later = RuntimeError("while saving")
    later.__cause__ = OperationalError("terminating connection due to administrator command")
    assert is_database_outage(later)


def test_health_names_the_database_when_it_is_down(client):
    with connection.execute_wrapper(DatabaseDown()):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "unreachable"
    assert body["failed"] == ["database"]
    assert body["cache"] == "ok"
    assert body["scheduler_seen_at"] is None


def test_health_names_the_cache_when_it_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["cache"] == "unreachable"
    assert "cache" in body["failed"]
    assert body["database"] == "ok"
