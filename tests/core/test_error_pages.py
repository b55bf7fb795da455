"""The 500 page: the portal's layout, rendered the way Django renders it (no context at all)."""

from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_500_page_renders_in_the_portal_layout_without_a_request_context(settings):
    settings.DEBUG = False
    # Given a request that failed (server_error renders 500.html with an empty context)
    request = RequestFactory().get("/plans/")

    # When Django's default handler answers it
    response = server_error(request)

    # Then the reader sees the portal's layout and what happened, and nothing that needs a
    # request, a user or a CSRF token
    body = response.content.decode()
    assert response.status_code == 500
    assert "OGP co-creation portal" in body
    assert "Something went wrong on our side" in body
    assert 'href="/plans/"' in body  # the main navigation still works
    assert "Sign in" in body
    assert "language-switcher" not in body
    assert "csrfmiddlewaretoken" not in body


def test_pages_with_a_request_keep_the_language_switcher(client, db):
    body = client.get("/").content.decode()

    assert "language-switcher" in body
    assert "csrfmiddlewaretoken" in body
