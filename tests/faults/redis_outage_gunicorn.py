"""Issue #14 on the production shape: gunicorn with production settings on PostgreSQL, the
cache on a private Redis killed after comment 40 and started again (empty) OUTAGE s later.

Not part of the suite (it needs a prepared database and takes a minute); the suite's
test_redis_outage.py checks the same through the test client. Run from the project root:

    createdb -h 127.0.0.1 -U postgres ogp_fault_redis
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ogp_fault_redis \\
        .venv/bin/python tests/faults/redis_outage_gunicorn.py --prepare --outage 30

``--prepare`` migrates, collects static files and loads the demo (idempotent, about 2 min).
The broker stays the embedded one: what a dead broker does to a request is the outbox's part
of the issue. Prints the figures; exits 1 unless all 200 comments were stored once and every
answer was a redirect.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
POSTS, KILL_AFTER, BACK_BEFORE = 200, 40, 161
PERSON = ("citizen@demo.example.org", "ogp-demo-2026")  # ogp_portal/organisations/demo.py
PROPOSAL_PK = 1  # a submitted proposal of the demo's open consultation
PROPOSAL_URL = f"/consultations/proposals/{PROPOSAL_PK}/"
COMMENT_URL = "/consultations/comments/new/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """One person's cookies over plain HTTP (the production cookies are Secure, which a
    client library would keep for HTTPS only)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Referer": f"http://127.0.0.1:{self.port}/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, text, dict(response.headers)

    def sign_in(self) -> None:
        _status, page, _headers = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("no sign-in form")
        status, _text, _headers = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "login": PERSON[0], "password": PERSON[1]},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in failed ({status})")


class Redis:
    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder = port, folder
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 -- our own arguments, no shell
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],  # fmt: skip  # noqa: S607
            stdout=(self.folder / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        time.sleep(0.3)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def prepare(env: dict[str, str]) -> None:
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603


def run(outage: float, env: dict[str, str], folder: Path) -> bool:
    redis, web = Redis(free_port(), folder), free_port()
    env = env | {"REDIS_CACHE_URL": f"redis://127.0.0.1:{redis.port}/0"}
    redis.start()
    gunicorn = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "gunicorn", "ogp_portal.wsgi", "--bind", f"127.0.0.1:{web}"],
        cwd=ROOT,
        env=env,
        stdout=(folder / "gunicorn.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", web), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        return drive(web, redis, outage, env)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=60)
        redis.kill()


def drive(web: int, redis: Redis, outage: float, env: dict[str, str]) -> bool:
    person = Browser(web)
    person.sign_in()
    marker = f"Gunicorn fault post {time.time():.0f}"
    statuses: Counter[int] = Counter()
    checks: Counter[str] = Counter()
    slowest = dict.fromkeys(("before", "outage", "after"), 0.0)
    killed_at = 0.0
    for n in range(1, POSTS + 1):
        if n == KILL_AFTER + 1:
            redis.kill()
            killed_at = time.monotonic()
        if KILL_AFTER < n < BACK_BEFORE:
            due = killed_at + (n - KILL_AFTER - 1) * outage / (BACK_BEFORE - KILL_AFTER - 1)
            time.sleep(max(0.0, due - time.monotonic()))
        if n == BACK_BEFORE:
            time.sleep(max(0.0, killed_at + outage - time.monotonic()))
            redis.start()
        phase = "before" if n <= KILL_AFTER else "outage" if n < BACK_BEFORE else "after"
        started = time.monotonic()
        status, _text, _headers = person.request(
            "POST",
            COMMENT_URL,
            {
                "csrfmiddlewaretoken": person.cookies["csrftoken"],
                "proposal": str(PROPOSAL_PK),
                "body": f"{marker} {n}",
            },
        )
        slowest[phase] = max(slowest[phase], round(time.monotonic() - started, 3))
        statuses[status] += 1
        if n % 20 == 0:
            status, page, _headers = person.request("GET", PROPOSAL_URL)
            signed_in = status == 200 and "Sign out" in page
            checks[f"{phase}: signed-in page {status}, signed in {signed_in}"] += 1
            status, _page, headers = Browser(web).request("GET", PROPOSAL_URL)
            checks[f"{phase}: anonymous page {status}"] += 1
    stored = count_stored(marker, env)
    print(f"Redis killed for {outage:.0f} s after post {KILL_AFTER} of {POSTS}")  # noqa: T201
    print(f"  responses {dict(statuses)}; slowest post (s) {slowest}")  # noqa: T201
    print(f"  stored {stored[0]}, distinct {stored[1]}, lost {POSTS - stored[1]}")  # noqa: T201
    print(f"  checks {dict(checks)}")  # noqa: T201
    return statuses == {302: POSTS} and stored == (POSTS, POSTS)


def count_stored(marker: str, env: dict[str, str]) -> tuple[int, int]:
    code = (
        "from consultations.models import Comment as C;"
        f"q = C.objects.filter(body__startswith={marker!r});"
        "print(q.count(), q.values('body').distinct().count())"
    )
    out = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[-2]), int(out[-1])


ENV = {
    "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.prod",
    "SECRET_KEY": "fault-run-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    # One person posts 200 comments: the comment limits are not under test here.
    "COMMENT_RATE_PER_IP": "1000/m",
    "COMMENT_LIMIT_PER_ACCOUNT": "1000",
    "OGP_REQUIRE_SECRETARIAT_MFA": "false",
    "WEB_WORKERS": "2",
    "WEB_THREADS": "4",
    "WEB_ACCESS_LOG": "",
    "LOG_LEVEL": "WARNING",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=30.0, help="seconds Redis stays down")
    parser.add_argument("--prepare", action="store_true", help="migrate, collectstatic, demo")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to a PostgreSQL database of this run")
    folder = Path(tempfile.mkdtemp(prefix="ogp-redis-outage-"))
    env = os.environ | ENV | {"OGP_VAR_DIR": str(folder / "var")}
    env.pop("REDIS_URL", None)  # embedded broker
    if args.prepare:
        prepare(env)
    ok = run(args.outage, env, folder)
    print(f"  logs in {folder}")  # noqa: T201
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
