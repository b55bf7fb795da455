"""Fault test: PostgreSQL stopped while people post comments, against a real gunicorn.

The portal runs in its own gunicorn process (the production server, test settings) on a
private PostgreSQL cluster on a free port, the same in both CI runs (SQLite and
PostgreSQL): the shared servers are never touched. One thread posts comments as a signed-in
person, one after another, while the test stops the cluster, waits, and starts it again;
gunicorn is not restarted. Then:

- every answer is a redirect (saved) or a 503 with Retry-After and the typed text: no 500;
- every accepted post is stored exactly once; a refused one at most once;
- the refused posts, sent again with their form's token, are stored once: nothing lost,
  nothing doubled.

The outage lasts OGP_FAULT_PG_OUTAGE_SECONDS (4 s in the suite; the figures in issue #14
come from a run with 15). The test takes about 30-40 s, most of it migrating the new
database. The figures are printed (pytest -s shows them).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from .private_postgres import free_port, running_cluster

ROOT = Path(__file__).resolve().parent.parent.parent
OUTAGE_SECONDS = float(os.environ.get("OGP_FAULT_PG_OUTAGE_SECONDS", "4"))
POSTS_BEFORE = 15  # accepted posts before the cluster is stopped
POSTS_AFTER = 15  # accepted posts after it is back
PAUSE = 0.05  # between two posts of the poster


@dataclass
class Post:
    number: int
    token: str
    text: str
    sent_at: float
    status: int = 0
    retry_after: str | None = None
    text_shown: bool = False
    token_shown: bool = False
    seconds: float = 0.0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Poster:
    """A signed-in person posting comments through the real server, one after another."""

    def __init__(self, base: str, seed: dict) -> None:
        self.base = base
        self.seed = seed
        self.opener = urllib.request.build_opener(NoRedirect())
        self.cookies = {seed["session_cookie"]: seed["session"]}
        page = self.get(seed["page"])
        self.csrf = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        self.posts: list[Post] = []
        self.stop = threading.Event()
        self.errors: list[str] = []

    def _open(self, request: urllib.request.Request) -> tuple[int, dict, str]:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=30)  # noqa: S310 -- our own server
            status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, dict(headers), body.decode()

    def get(self, url: str) -> str:
        status, _, body = self._open(urllib.request.Request(self.base + url))  # noqa: S310
        assert status == 200, (status, body[:500])
        return body

    def send(self, post: Post) -> Post:
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.csrf,
                "proposal": self.seed["proposal"],
                "body": post.text,
                "submission_token": post.token,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 -- our own server
            self.base + "/consultations/comments/new/", data=data
        )
        started = time.monotonic()
        status, headers, body = self._open(request)
        post.seconds = time.monotonic() - started
        post.status = status
        post.retry_after = headers.get("Retry-After")
        post.text_shown = post.text in body
        post.token_shown = self.csrf in body or post.token in body
        return post

    def run(self) -> None:
        number = 0
        while not self.stop.is_set():
            number += 1
            text = f"Fault post {number:04d}: open the registers"
            post = Post(number, str(uuid.uuid4()), text, time.monotonic())
            try:
                self.send(post)
            except OSError as error:  # no HTTP answer at all: recorded as status 0
                post.text_shown = False
                self.errors.append(repr(error))
            self.posts.append(post)
            time.sleep(PAUSE)

    def accepted_since(self, moment: float) -> int:
        return sum(1 for p in self.posts if p.status == 302 and p.sent_at >= moment)


def wait_for(condition, timeout: float, what: str, thread=None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert thread is None or thread.is_alive(), f"the poster stopped before {what}"
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def server_environment(database_url: str, var_dir: str, bind: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test",
        "DATABASE_URL": database_url,
        "OGP_VAR_DIR": var_dir,  # embedded broker and media of this server only
        # One person posts fast on purpose: the abuse limits are not what is tested here.
        "COMMENT_RATE_PER_IP": "100000/m",
        "COMMENT_LIMIT_PER_ACCOUNT": "100000",
        "WEB_BIND": bind,
        "WEB_WORKERS": "1",
        "WEB_THREADS": "4",
        "WEB_ACCESS_LOG": "",
        "PYTHONPATH": str(ROOT),
    }
    return env


@pytest.fixture
def cluster():
    with running_cluster() as cluster:
        cluster.create_database("ogp_fault")
        yield cluster


@pytest.fixture
def var_dir():
    with tempfile.TemporaryDirectory(prefix="ogp-fault-var-") as folder:
        yield folder


@pytest.fixture
def portal(cluster, var_dir):
    """The migrated and seeded portal in gunicorn on the private cluster: (base URL, seed)."""
    port = free_port()
    env = server_environment(cluster.url("ogp_fault"), var_dir, f"127.0.0.1:{port}")
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    seeded = subprocess.run(
        [python, "-m", "tests.core.fault_seed"],
        cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True,
    )  # fmt: skip
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    log = Path(var_dir) / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 -- our own interpreter and arguments
            [python, "-m", "gunicorn", "ogp_portal.wsgi"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            try:
                urllib.request.urlopen(base + "/health/", timeout=2)  # noqa: S310
            except urllib.error.HTTPError:
                return True  # 503 is an answer (no beat here)
            except OSError:
                return False
            return True

        wait_for(answers, 60, "gunicorn to answer")
        yield base, seed, server
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if sys.exc_info()[0] is not None:
            print(log.read_text()[-5000:])  # noqa: T201 -- the server's side of a failure


def stored_comments(url: str) -> dict[str, int]:
    with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=10) as db:
        rows = db.execute(
            "SELECT submission_token, count(*) FROM consultations_comment GROUP BY 1"
        ).fetchall()
    return dict(rows)


def test_postgresql_stopped_during_posts_refuses_with_503_and_loses_nothing(cluster, portal):
    base, seed, server = portal
    started = time.monotonic()
    poster = Poster(base, seed)
    thread = threading.Thread(target=poster.run, daemon=True)
    thread.start()
    try:
        # Given people posting while the database answers
        wait_for(lambda: poster.accepted_since(0) >= POSTS_BEFORE, 60, "posts before", thread)

        # When PostgreSQL stops (sessions cut off) and stays down, then comes back
        stopped_at = time.monotonic()
        cluster.stop()
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped_at)))
        cluster.start()
        back_at = time.monotonic()
        wait_for(lambda: poster.accepted_since(back_at) >= POSTS_AFTER, 60, "posts after", thread)
    finally:
        poster.stop.set()
        thread.join(35)
    posts = list(poster.posts)
    posting_seconds = time.monotonic() - started
    assert server.poll() is None  # recovered without a restart

    # Then every answer was a saved post or a 503 with Retry-After and the text shown back
    statuses = {p.status for p in posts}
    refused = [p for p in posts if p.status == 503]
    accepted = [p for p in posts if p.status == 302]
    others = sorted((p.number, p.status) for p in posts if p.status not in (302, 503))
    assert statuses <= {302, 503}, (others, poster.errors[:5])
    assert refused, "the outage refused nothing: the cluster did not stop in time"
    assert all(p.retry_after == "60" and p.text_shown for p in refused)
    assert not any(p.token_shown for p in refused)  # never the CSRF or submission token

    # and every accepted post is stored once, a refused one at most once
    stored = stored_comments(cluster.url("ogp_fault"))
    assert all(stored.get(p.token) == 1 for p in accepted)
    refused_but_stored = [p for p in refused if p.token in stored]
    assert all(stored[p.token] == 1 for p in refused_but_stored)

    # And sent again after the outage (the same form, so the same token), each is stored
    # once: nothing lost, nothing doubled
    for post in refused:
        assert Poster.send(poster, Post(post.number, post.token, post.text, 0)).status == 302
    stored = stored_comments(cluster.url("ogp_fault"))
    assert sorted(stored) == sorted(p.token for p in posts)
    assert set(stored.values()) == {1}

    outage_answers = [p.seconds for p in refused]
    first_back = min(p.sent_at for p in accepted if p.sent_at >= back_at) - back_at
    print(  # noqa: T201 -- the figures of issue #14 (pytest -s)
        f"\nPostgreSQL stopped for {back_at - stopped_at:.1f} s during {len(posts)} comment "
        f"posts: {len(accepted)} accepted, {len(refused)} refused with 503 + Retry-After "
        f"and the text shown back ({len(refused_but_stored)} of them stored anyway), "
        f"0 other statuses; refusals answered in {min(outage_answers) * 1000:.0f}-"
        f"{max(outage_answers) * 1000:.0f} ms; first post accepted {first_back:.2f} s after "
        f"the restart; after resending the refused ones: {len(stored)} stored, "
        f"0 lost, 0 doubled; {posting_seconds:.1f} s of posting"
    )
