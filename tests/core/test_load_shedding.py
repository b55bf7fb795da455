"""Load shedding seen from outside: a real threaded HTTP server, real client threads.

With one request slot and one request held inside a slow view, the next comment POST is
answered at once with 503 + Retry-After and its text, saves nothing, and sent again after
the slot frees up makes exactly one comment."""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.http import HttpResponse
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.urls import include, path

from consultations.models import Comment
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import PASSWORD, PlanFactory, UserFactory

HELD = threading.Event()
RELEASE = threading.Event()


def slow_view(request):
    HELD.set()
    RELEASE.wait(20)
    return HttpResponse("slow done")


# This module is the URLconf of the test server: the portal plus one slow page.
urlpatterns = [path("test-slow/", slow_view), path("", include("ogp_portal.urls"))]


class Browser:
    """urllib with cookies, no redirects followed: what a browser sends, seen raw."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, url: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + url, data=body)  # noqa: S310 -- test server
        if data is not None:
            request.add_header("Referer", self.base + url)
        try:
            response = self.opener.open(request, timeout=15)  # noqa: S310 -- our test server
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
        return response.status, dict(response.headers), response.read().decode()


def form_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def server(settings):
    settings.ROOT_URLCONF = __name__
    settings.LOAD_SHEDDING = {
        "ENABLED": True,
        "MAX_REQUESTS": 1,
        "MAX_WRITES": 1,
        "WAIT_SECONDS": 0.2,
        "RETRY_AFTER_SECONDS": 7,
        "EXEMPT_PATHS": ("/health/", "/static/"),
    }
    HELD.clear()
    RELEASE.clear()
    thread = LiveServerThread("127.0.0.1", _StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    RELEASE.set()
    thread.terminate()


@pytest.mark.django_db(transaction=True)
def test_a_comment_beyond_capacity_is_shed_with_its_text_and_posted_once_later(server, member):
    plan = PlanFactory(member=member, status="co_creation")
    consultation = make_consultation(plan)
    author = UserFactory(email="writer@example.org")
    proposal = make_proposal(author, consultation)
    browser = Browser(server)
    status, _headers, html = browser.request("/accounts/login/")
    assert status == 200
    status, _headers, _html = browser.request(
        "/accounts/login/",
        {"login": author.email, "password": PASSWORD, "csrfmiddlewaretoken": form_token(html)},
    )
    assert status == 302
    status, _headers, page = browser.request(proposal.get_absolute_url())
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    comment = {
        "proposal": str(proposal.pk),
        "body": "My careful words about the registers",
        "submission_token": token,
        "csrfmiddlewaretoken": form_token(page),
    }

    # Given one request held inside a slow view (the only slot)...
    slow = threading.Thread(target=Browser(server).request, args=("/test-slow/",))
    slow.start()
    assert HELD.wait(10)
    # ...when a comment arrives, it is answered at once: busy, try again, text kept.
    started = time.monotonic()
    status, headers, html = browser.request("/consultations/comments/new/", comment)
    assert time.monotonic() - started < 5
    assert status == 503
    assert headers["Retry-After"] == "7"
    assert "My careful words about the registers" in html
    assert f'value="{token}"' in html  # sent again, it is the same form
    assert not Comment.objects.exists()
    # The health check is never shed.
    assert Browser(server).request("/health/")[0] in (200, 503)

    RELEASE.set()
    slow.join(10)
    status, headers, _html = browser.request("/consultations/comments/new/", comment)
    assert status == 302
    assert "#comment-" in headers["Location"]
    status, _headers, _html = browser.request("/consultations/comments/new/", comment)
    assert status == 302  # a double submit of the retry: still one comment
    assert Comment.objects.filter(body="My careful words about the registers").count() == 1


def test_a_busy_get_gets_a_short_page(rf, settings):
    from ogp_portal.core.load_shedding import LoadSheddingMiddleware

    settings.LOAD_SHEDDING = {"MAX_REQUESTS": 1, "WAIT_SECONDS": 0.05, "RETRY_AFTER_SECONDS": 3}
    inside = threading.Event()
    release = threading.Event()

    def view(request):
        inside.set()
        release.wait(5)
        return HttpResponse("ok")

    middleware = LoadSheddingMiddleware(view)
    holder = threading.Thread(target=middleware, args=(rf.get("/plans/"),))
    holder.start()
    assert inside.wait(5)
    response = middleware(rf.get("/commitments/"))
    release.set()
    holder.join(5)
    assert response.status_code == 503
    assert response["Retry-After"] == "3"
    assert "try again in 3 seconds" in response.content.decode()
    assert middleware(rf.get("/commitments/")).status_code == 200  # the slot is free again


def test_no_cap_means_no_shedding(rf, settings):
    from ogp_portal.core.load_shedding import LoadSheddingMiddleware

    settings.LOAD_SHEDDING = {"MAX_REQUESTS": 0, "MAX_WRITES": 0}
    middleware = LoadSheddingMiddleware(lambda request: HttpResponse("ok"))
    assert not middleware.enabled
    assert middleware(rf.post("/x/", {"body": "hi"})).status_code == 200
