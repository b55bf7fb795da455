"""Load shedding counts the time a request already waited in the web server's queue: under
twice the capacity, what waited its share there is answered 503 + Retry-After at once rather
than waiting again for a slot until the client gives up (make bench, overload)."""

import time

from django.http import HttpResponse
from django.test import RequestFactory

from ogp_portal.core.load_shedding import LoadSheddingMiddleware, request_ready_at


def _middleware(settings, wait: float) -> LoadSheddingMiddleware:
    settings.LOAD_SHEDDING = {
        "ENABLED": True,
        "MAX_REQUESTS": 1,
        "MAX_WRITES": 1,
        "WAIT_SECONDS": wait,
        "RETRY_AFTER_SECONDS": 5,
    }
    return LoadSheddingMiddleware(lambda request: HttpResponse("served"))


def _comment_post():
    return RequestFactory().post("/consultations/comments/new/", {"body": "My careful point"})


def test_a_request_that_waited_in_the_queue_is_shed_at_once_when_all_slots_are_busy(settings):
    # Given a process whose one slot is busy, and a post that waited 5 s in the server's queue
    middleware = _middleware(settings, wait=3.0)
    assert middleware.requests.acquire(blocking=False)
    request_ready_at(time.monotonic() - 5)
    try:
        # When a thread gets to it
        started = time.monotonic()
        response = middleware(_comment_post())
        took = time.monotonic() - started
    finally:
        request_ready_at(None)
        middleware.requests.release()

    # Then it is refused now, not after waiting another 3 s, with when to come back and the text
    assert took < 1.0
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "My careful point" in response.content.decode()


def test_a_request_that_waited_in_the_queue_is_served_when_a_slot_is_free(settings):
    middleware = _middleware(settings, wait=0.5)
    request_ready_at(time.monotonic() - 5)
    try:
        response = middleware(_comment_post())
    finally:
        request_ready_at(None)
    assert response.status_code == 200
    assert response.content == b"served"


def test_without_a_queue_time_the_request_waits_for_a_slot_as_before(settings):
    middleware = _middleware(settings, wait=0.3)
    assert middleware.requests.acquire(blocking=False)
    try:
        started = time.monotonic()
        response = middleware(_comment_post())
        took = time.monotonic() - started
    finally:
        middleware.requests.release()
    assert response.status_code == 503
    assert took >= 0.3
