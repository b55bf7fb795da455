"""A crowd of readers and one page to render: rendered once, whoever asks at the same time.

``page_cache.serve_or_render`` (used by the page cache and the API's lists) with the real
cache of the test settings and real threads; the pages themselves are in
tests/consultations/test_page_cache.py and tests/records/api/test_api.py.
"""

import threading
import time
from contextlib import contextmanager

import time_machine
from django.db import connections
from django.test import Client, RequestFactory
from django.utils import timezone

from ogp_portal.core.page_cache import Rendered, changed, serve_or_render, stored_key

CROWD = 8


def kept_as_is(kept, state):
    return kept, state


def crowd(read, size=CROWD):
    """``read()`` in ``size`` threads released at once; their answers in arrival order."""
    start = threading.Barrier(size)
    answers = []
    errors = []

    def one():
        try:
            start.wait()
            answers.append(read())
        except Exception as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(size)]
    for thread in threads:
        thread.start()
    return threads, answers, errors


def crowd_get(url, size=CROWD, **headers):
    """``size`` anonymous readers ask for ``url`` at the same moment (each in its thread, on
    its own database connection); their answers."""

    def read():
        try:
            return Client().get(url, headers=headers)
        finally:
            connections.close_all()

    threads, answers, errors = crowd(read, size)
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(answers) == size
    return answers


def test_readers_of_an_expired_page_get_the_old_copy_while_one_request_renders_it():
    key = "pagecache:test:expired"
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        serve_or_render(key, lambda: Rendered("old", "old", 60), kept_as_is)
        traveller.shift(61)  # expired with time alone: no write changed what it shows
        renders = []
        finish = threading.Event()

        def render():
            renders.append(1)
            finish.wait(10)  # still rendering until every other reader has its answer
            return Rendered("new", "new", 60)

        threads, answers, errors = crowd(lambda: serve_or_render(key, render, kept_as_is))
        deadline = time.monotonic() + 10
        while len(answers) < CROWD - 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        # Everyone but the renderer was answered while it still rendered: nobody waited.
        assert sorted(answers) == [("old", "stale")] * (CROWD - 1)
        finish.set()
        for thread in threads:
            thread.join(10)
        assert not errors
        assert len(renders) == 1
        assert "new" in answers
        assert serve_or_render(key, render, kept_as_is) == ("new", "hit")
        assert len(renders) == 1


def test_a_crowd_missing_a_page_not_kept_yet_waits_for_one_render():
    renders = []

    def render():
        renders.append(1)
        time.sleep(0.3)
        return Rendered("page", "page", 60)

    threads, answers, errors = crowd(
        lambda: serve_or_render("pagecache:test:cold", render, kept_as_is)
    )
    for thread in threads:
        thread.join(10)
    assert not errors
    assert len(renders) == 1
    assert sorted(answers, key=str) == sorted(["page"] + [("page", "hit")] * (CROWD - 1), key=str)


def test_when_the_render_keeps_nothing_the_waiting_readers_render_for_themselves():
    # An error page or a page with a cookie is not kept: nobody must wait for it forever.
    renders = []

    def render():
        renders.append(1)
        time.sleep(0.1)
        return Rendered("not kept")

    threads, answers, errors = crowd(
        lambda: serve_or_render("pagecache:test:not-kept", render, kept_as_is)
    )
    for thread in threads:
        thread.join(10)
    assert not errors
    assert answers == ["not kept"] * CROWD
    assert len(renders) == CROWD


@contextmanager
def another_request_rendering(key):
    """While the block runs, another request is rendering ``key`` (it holds the render)."""
    rendering = threading.Event()
    release = threading.Event()

    def slow():
        rendering.set()
        release.wait(10)
        return Rendered("rendered elsewhere")  # kept nothing, to leave the key as it was

    other = threading.Thread(target=serve_or_render, args=(key, slow, kept_as_is))
    other.start()
    assert rendering.wait(10)
    try:
        yield
    finally:
        release.set()
        other.join(10)


def test_a_page_that_goes_out_of_date_at_a_known_moment_is_never_served_after_it():
    key = "pagecache:test:window"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # Fresh for 60 s, out of date in 70 s (a consultation window closes then).
        serve_or_render(key, lambda: Rendered("open", "open", 60, 70), kept_as_is)
        traveller.shift(65)
        # Expired but still right: served while another request renders it again ...
        with another_request_rendering(key):
            assert serve_or_render(key, fail, kept_as_is) == ("open", "stale")
        traveller.shift(6)
        # ... and past the moment never: nothing is left to serve.
        assert serve_or_render(key, lambda: Rendered("closed"), kept_as_is) == "closed"


def test_after_a_write_the_expired_copy_is_not_served_even_while_it_is_rendered_again():
    request = RequestFactory().get("/plans/")
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        before = stored_key(request, ["site"])
        serve_or_render(before, lambda: Rendered("before", "before", 60), kept_as_is)
        traveller.shift(61)  # expired: an expired copy is kept under its key
        with another_request_rendering(before):
            changed("site")
            after = stored_key(request, ["site"])
            answer = serve_or_render(after, lambda: Rendered("after", "after", 60), kept_as_is)
        assert answer == "after"
        assert serve_or_render(after, fail, kept_as_is) == ("after", "hit")


def fail():
    raise AssertionError("rendered although a copy was there to serve")
