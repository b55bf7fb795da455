"""Every response carries the Content-Security-Policy of the settings, built once per process
(ogp_portal/core/csp.py); a response with a policy of its own still gets its own."""

from unittest import mock

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from ogp_portal.core import csp

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def _directives(value: str) -> set[str]:
    return {part.strip() for part in value.split(";") if part.strip()}


def test_every_page_carries_the_policy_of_the_settings(client):
    for url in ("/", "/plans/", "/health/", "/no-such-page/"):
        response = client.get(url)
        assert _directives(response["Content-Security-Policy"]) == EXPECTED, url
        assert "Content-Security-Policy-Report-Only" not in response, url


def test_the_policy_is_built_once_not_on_every_response(client):
    client.get("/health/")
    build = mock.Mock(wraps=csp.build_policy)
    # Wherever the middleware in the settings builds it from (django-csp's or ours).
    with (
        mock.patch("csp.middleware.build_policy", build),
        mock.patch.object(csp, "build_policy", build),
    ):
        for _ in range(3):
            response = client.get("/health/")
            assert _directives(response["Content-Security-Policy"]) == EXPECTED
    assert build.call_count == 0


def test_a_changed_setting_changes_the_policy(client):
    client.get("/health/")
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy
    ):
        response = client.get("/health/")
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"
    response = client.get("/health/")
    assert _directives(response["Content-Security-Policy"]) == EXPECTED
    assert "Content-Security-Policy-Report-Only" not in response


def _serve(view, path: str = "/") -> HttpResponse:
    response = csp.CachedCSPMiddleware(view)(RequestFactory().get(path))
    assert isinstance(response, HttpResponse)
    return response


def test_a_view_with_a_policy_of_its_own_gets_it():
    @csp_update({"img-src": "https://maps.example.org"})
    def view(request):
        return HttpResponse("map")

    response = _serve(view, "/map/")
    assert "img-src 'self' data: https://maps.example.org" in _directives(
        response["Content-Security-Policy"]
    )
    # ...and the next plain response is not touched by it.
    plain = _serve(lambda request: HttpResponse("plain"))
    assert _directives(plain["Content-Security-Policy"]) == EXPECTED


def test_a_nonce_asked_for_by_a_page_is_in_its_header_only():
    def view(request):
        return HttpResponse(str(request.csp_nonce))

    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [SELF, NONCE]}}):
        response = _serve(view)
        nonce = response.content.decode()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        header = _serve(lambda request: HttpResponse("plain"))["Content-Security-Policy"]
        assert _directives(header) == {"default-src 'self'", "script-src 'self'"}


def test_a_nonce_asked_for_after_the_header_was_written_is_an_error():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    middleware = csp.CachedCSPMiddleware(lambda request: HttpResponse("plain"))
    middleware(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
