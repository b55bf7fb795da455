"""Locust users for the benchmark scenarios. tests/perf/drive.py runs them as a library, one
scenario at a time, and reads STATE; they can also run under the locust CLI for a look:

    BENCH_SCENARIO=tests/perf/results/scenario.json locust -f tests/perf/locustfile.py

Every response is sorted into accepted / deliberately refused (429 or 503, each with
Retry-After: a rate limit or load shedding) / error (anything else, timeouts and connection
failures included), so refusals the portal chooses to make are never counted as failures
and real failures are never hidden among them.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from collections import Counter, defaultdict
from urllib.parse import urlsplit

import gevent
from gevent.event import Event
from gevent.lock import BoundedSemaphore
from locust import HttpUser, constant, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COMMENT_PK = re.compile(r"#comment-(\d+)")
ACCOUNT_LIMIT_TEXT = "posting very fast"
CLIENT_TIMEOUT = float(os.environ.get("BENCH_CLIENT_TIMEOUT", "10"))
LOGIN_TIMEOUT = 60.0  # sign-ins happen before the clock starts


class State:
    """What the driver and the users share (one scenario per process)."""

    def __init__(self) -> None:
        self.config: dict = {}
        self.go = Event()
        self.stopping = False
        self.inflight = 0
        self.ready = 0
        self.login_failures: Counter = Counter()
        self.outcomes: Counter = Counter()  # accepted / refused_429 / shed_503 / error
        self.errors: Counter = Counter()  # kind of error -> count
        self.error_samples: list[str] = []
        self.accepted: list[str] = []  # nonces of comments seen accepted
        self.accepted_at: list[float] = []
        self.accounts = itertools.count()
        self.addresses = itertools.count(1)
        self.per_account: dict[str, int] = defaultdict(int)
        # Signing in costs a PBKDF2 hash (~0.6 s of CPU): a few at a time, or the warm-up
        # itself overloads the portal and sign-ins time out.
        self.login_slots = BoundedSemaphore(int(os.environ.get("BENCH_LOGIN_CONCURRENCY", "4")))

    def load(self, config: dict) -> None:
        self.config = config

    def next_address(self) -> str:
        """A fresh client address for X-Forwarded-For (10.0.0.0/8)."""
        n = next(self.addresses)
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    def record(self, outcome: str, detail: str = "") -> None:
        self.outcomes[outcome] += 1
        if outcome == "error":
            self.errors[detail.split(":")[0]] += 1
            if len(self.error_samples) < 20:
                self.error_samples.append(detail[:300])


STATE = State()
if os.environ.get("BENCH_SCENARIO"):
    with open(os.environ["BENCH_SCENARIO"]) as fh:
        STATE.load(json.load(fh))


def classify(status: int, headers, error=None) -> tuple[str, str]:
    """accepted | refused_429 | shed_503 | error, with a detail for errors."""
    if not status:
        # No HTTP answer at all: timeout, refused or reset connection.
        return "error", f"connection: {type(error).__name__ if error else 'no response'}"
    if status == 429 and headers.get("Retry-After"):
        return "refused_429", ""
    if status == 503 and headers.get("Retry-After"):
        return "shed_503", ""
    if 200 <= status < 400:
        return "accepted", ""
    return "error", f"http {status}"


def explain(detail: str, text: str) -> str:
    """Add the page's first heading/paragraph to an error, so the report says why."""
    found = re.search(r"<h1[^>]*>(.*?)</h1>.*?<p[^>]*>(.*?)</p>", text or "", re.S)
    if not found:
        return detail
    clean = re.sub(r"<[^>]+>|\s+", " ", f"{found.group(1)}: {found.group(2)}").strip()
    return f"{detail} ({clean[:160]})"


def _wait_for_go() -> bool:
    """Block until the driver starts the clock; False once it is stopping."""
    STATE.go.wait()
    return not STATE.stopping


class ReadUser(FastHttpUser):
    """GET the scenario's URLs in turn, as fast as the portal answers (no think time unless
    BENCH_THINK_TIME is set): at 20 users this is the worst case of 20 busy readers."""

    wait_time = constant(float(os.environ.get("BENCH_THINK_TIME", "0")))
    network_timeout = CLIENT_TIMEOUT
    connection_timeout = CLIENT_TIMEOUT

    def on_start(self) -> None:
        urls = list(STATE.config["urls"])
        # Each user starts at its own place in the list, so users reading many pages do
        # not ask for the same page at the same moment.
        start = random.Random(STATE.ready).randrange(len(urls))  # noqa: S311 -- not secret
        self.urls = itertools.cycle(urls[start:] + urls[:start])
        self.headers = {"X-Forwarded-For": STATE.next_address()}
        if STATE.config.get("page_cache") is False:
            # The page cache neither serves nor stores what is asked for with no-cache.
            self.headers["Cache-Control"] = "no-cache"
        STATE.ready += 1

    @task
    def read(self) -> None:
        if not _wait_for_go():
            return
        url = next(self.urls)
        STATE.inflight += 1
        try:
            with self.client.get(
                url, name=STATE.config["name"], headers=self.headers, catch_response=True
            ) as response:
                outcome, detail = classify(
                    response.status_code, response.headers or {}, getattr(response, "error", None)
                )
                STATE.record(outcome, detail)
                if (response.headers or {}).get("X-Page-Cache") in ("hit", "stale"):
                    STATE.outcomes["from_page_cache"] += 1  # a share of "accepted"
                if outcome == "error":
                    response.failure(detail)
                else:
                    response.success()
        finally:
            STATE.inflight -= 1


class LoggedInUser(HttpUser):
    """Signs in through allauth's form (GET for the CSRF token, POST the credentials) as the
    next unused seeded account, before the clock starts."""

    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self.address = STATE.next_address()
        self.client.headers["X-Forwarded-For"] = self.address
        self.client.headers["Origin"] = self.host
        self.sessions: list[dict] = []
        for _ in range(int(STATE.config.get("accounts_per_user", 1))):
            index = next(STATE.accounts)
            accounts = STATE.config["accounts"]
            if index >= len(accounts):
                STATE.login_failures["not enough accounts"] += 1
                break
            with STATE.login_slots:
                jar = self._login(accounts[index])
            if jar is not None:
                self.sessions.append({"email": accounts[index], "cookies": jar, "posted": 0})
        self.current = 0
        if self.sessions:
            self.client.cookies = self.sessions[0]["cookies"]
        STATE.ready += 1

    def _plain_cookies(self) -> None:
        # Production cookies are Secure (behind the TLS proxy); the bench speaks plain HTTP
        # to 127.0.0.1, where requests would not send them back.
        for cookie in self.client.cookies:
            cookie.secure = False

    def _login(self, email: str):
        import requests

        self.client.cookies = requests.cookies.RequestsCookieJar()
        made = STATE.config.get("sessions") or {}
        if email in made.get("sessions", {}):
            # A session the bench made for this account (BENCH_SIGN_IN=session), and a CSRF
            # cookie of our own: Django accepts its 32-character secret as the form token.
            # Host-only cookies of 127.0.0.1, as the portal's own Set-Cookie makes them, so
            # a new CSRF cookie from the portal replaces ours instead of sitting beside it.
            host = urlsplit(self.host).hostname
            self.client.cookies.set(made["cookie"], made["sessions"][email], domain=host)
            self.client.cookies.set("csrftoken", uuid.uuid4().hex[:32], domain=host)
            return self.client.cookies
        for attempt in range(40):
            page = self.client.get("/accounts/login/", name="login form", timeout=LOGIN_TIMEOUT)
            self._plain_cookies()
            match = CSRF_INPUT.search(page.text or "")
            if page.status_code != 200 or not match:
                STATE.login_failures[f"login form {page.status_code}"] += 1
                gevent.sleep(1 + attempt)
                continue
            response = self.client.post(
                "/accounts/login/",
                data={
                    "login": email,
                    "password": STATE.config["password"],
                    "csrfmiddlewaretoken": match.group(1),
                },
                headers={"Referer": self.host + "/accounts/login/"},
                allow_redirects=False,
                name="login",
                timeout=LOGIN_TIMEOUT,
            )
            self._plain_cookies()
            if response.status_code == 302 and "confirm-email" not in response.headers.get(
                "Location", ""
            ):
                return self.client.cookies
            if response.status_code in (0, 429, 503):
                # allauth's per-address login limit, or load shedding: wait, come back from
                # another address (logins are not measured).
                self.address = STATE.next_address()
                self.client.headers["X-Forwarded-For"] = self.address
                gevent.sleep(float(response.headers.get("Retry-After") or 3))
                continue
            STATE.login_failures[
                f"login {response.status_code} {response.headers.get('Location', '')}"
            ] += 1
            return None
        STATE.login_failures["login gave up after retries"] += 1
        return None

    def csrf_token(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def next_session(self) -> bool:
        """Move to the next signed-in account of this user; False when all are used up."""
        if self.current + 1 >= len(self.sessions):
            return False
        self.current += 1
        self.client.cookies = self.sessions[self.current]["cookies"]
        return True


class CommentUser(LoggedInUser):
    """Posts unique comments on the consultation's proposals. Each text carries the run id
    and a nonce, so the integrity check can find every accepted comment exactly once."""

    abstract = True

    @task
    def comment(self) -> None:
        if not self.sessions or not _wait_for_go():
            if not self.sessions:
                gevent.sleep(1)
            return
        config = STATE.config
        limit = int(config.get("comments_per_account", 10))
        if self.sessions[self.current]["posted"] >= limit:
            self.next_session()
        session = self.sessions[self.current]
        proposals = config["proposals"]
        nonce = uuid.uuid4().hex
        proposal = proposals[hash(nonce) % len(proposals)]
        body = f"{config['comment_prefix']} {config['run_id']} {nonce} load test comment"
        headers = {"Referer": f"{self.host}/consultations/proposals/{proposal}/"}
        if config.get("spread_addresses", True):
            headers["X-Forwarded-For"] = STATE.next_address()
        STATE.inflight += 1
        try:
            with self.client.post(
                "/consultations/comments/new/",
                data={
                    "proposal": proposal,
                    "body": body,
                    # One token per comment, as the form sends: a retried POST must not
                    # make a second comment (ignored if the form has no such field).
                    "submission_token": str(uuid.UUID(nonce)),
                    "csrfmiddlewaretoken": self.csrf_token(),
                },
                headers=headers,
                allow_redirects=False,
                name=config["name"],
                catch_response=True,
                timeout=CLIENT_TIMEOUT,
            ) as response:
                self._plain_cookies()
                error = getattr(response, "error", None)
                status = response.status_code or 0
                outcome, detail = classify(status, response.headers or {}, error)
                if outcome == "accepted" and not (
                    status == 302 and COMMENT_PK.search(response.headers.get("Location", ""))
                ):
                    # 200 = the form came back with an error (window closed, not allowed...).
                    outcome, detail = "error", f"not posted: http {status}"
                    text = response.text or ""
                    found = re.search(r'class="[^"]*(?:errorlist|error)[^"]*"[^>]*>(.*?)<', text)
                    detail += f" {found.group(1).strip() if found else ''}"
                elif outcome == "error":
                    detail = explain(detail, response.text or "")
                STATE.record(outcome, detail)
                if outcome == "accepted":
                    STATE.accepted.append(nonce)
                    STATE.accepted_at.append(time.monotonic())
                    session["posted"] += 1
                    response.success()
                elif outcome == "error":
                    response.failure(detail)
                else:
                    if ACCOUNT_LIMIT_TEXT in (response.text or ""):
                        session["posted"] = limit
                        STATE.outcomes["refused_account_limit"] += 1
                    response.success()
        finally:
            STATE.inflight -= 1


class FloodUser(CommentUser):
    """The first flood: as fast as each user's responses come back."""


class OverloadUser(CommentUser):
    """The second flood: a fixed arrival rate per user (set by the driver from the first
    flood's sustainable rate), so the portal is asked for more than it can do."""

    def wait_time(self):
        return constant_throughput(STATE.config["rate_per_user"])(self)


class SupportUser(LoggedInUser):
    """Clicks support on one proposal, then withdraws it, over and over: concurrent
    increments and decrements of support_count on the same row."""

    @task
    def click(self) -> None:
        if not self.sessions or not _wait_for_go():
            if not self.sessions:
                gevent.sleep(1)
            return
        proposal = STATE.config["proposal"]
        self.action = "remove" if getattr(self, "action", "remove") == "add" else "add"
        STATE.inflight += 1
        try:
            with self.client.post(
                f"/consultations/proposals/{proposal}/support/",
                data={"action": self.action, "csrfmiddlewaretoken": self.csrf_token()},
                headers={"Referer": f"{self.host}/consultations/proposals/{proposal}/"},
                allow_redirects=False,
                name=STATE.config["name"],
                catch_response=True,
                timeout=CLIENT_TIMEOUT,
            ) as response:
                self._plain_cookies()
                error = getattr(response, "error", None)
                outcome, detail = classify(response.status_code or 0, response.headers or {}, error)
                STATE.record(outcome, detail)
                if outcome == "error":
                    response.failure(detail)
                else:
                    response.success()
        finally:
            STATE.inflight -= 1


USER_CLASSES = {
    "read": ReadUser,
    "ceiling": ReadUser,  # the ceiling scenarios, when wrk cannot be had
    "flood": FloodUser,
    "overload": OverloadUser,
    "support": SupportUser,
}
