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


def test_a_bad_request_gets_the_portals_400_page(client, db, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    # Given a host name the portal does not serve (Django answers 400)
    response = client.get("/plans/", HTTP_HOST="not-our-portal.example")

    body = response.content.decode()
    assert response.status_code == 400
    assert "OGP co-creation portal" in body
    assert "The portal could not understand this request" in body


def test_a_missing_page_gets_the_portals_404_page(client, db, settings):
    settings.DEBUG = False
    response = client.get("/plans/999999/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "OGP co-creation portal" in body
    assert "This page does not exist, or it is not public." in body


def test_a_form_that_fails_its_csrf_check_keeps_the_typed_text(db, citizen, settings):
    from django.test import Client

    settings.DEBUG = False
    # Given a person whose form lost its CSRF token (open too long, signed out elsewhere)
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    typed = "A long comment about open contracting\nthat took an hour to write."

    # When they send it
    response = client.post(
        "/notifications/preferences/",
        {"body": typed, "password": "secret-not-shown", "csrfmiddlewaretoken": "stale"},
        HTTP_REFERER="http://testserver/notifications/preferences/",
    )

    # Then they see the portal's page, are told nothing was saved, and get their text back
    body = response.content.decode()
    assert response.status_code == 403
    assert "OGP co-creation portal" in body
    assert "Nothing was saved" in body
    assert "A long comment about open contracting" in body
    assert "secret-not-shown" not in body
    assert 'href="http://testserver/notifications/preferences/"' in body
    assert "CSRF verification failed" not in body
    assert "no-store" in response["Cache-Control"]
