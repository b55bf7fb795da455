"""A graceful reload (SIGHUP to the gunicorn master, as a deploy does) under steady traffic
fails no request: a real gunicorn with the project's gunicorn.conf.py, on a free loopback
port, over this run's test database."""

import contextlib
import http.client
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

logger = logging.getLogger(__name__)
PROJECT_DIR = Path(__file__).resolve().parent.parent
PATH = "/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test runs on (the test database, file or server)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except FileNotFoundError:
        return set()


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    """gunicorn as production runs it (gunicorn.conf.py), 2 workers of 4 threads; stopped
    with its whole process group whatever the test's outcome."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test",
        "DATABASE_URL": database_url(),
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "WEB_THREADS": "4",
        "WEB_ACCESS_LOG": "",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ogp_portal.wsgi", "--config", "gunicorn.conf.py"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the workers stop with it
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", PATH)
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            assert master.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "gunicorn did not start:\n" + log.read_text()
            time.sleep(0.2)
        yield master, port, log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(master.pid, signal.SIGTERM)
        try:
            master.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(master.pid, signal.SIGKILL)
            master.wait(timeout=5)
        # Workers left behind by a master that died first
        with contextlib.suppress(ProcessLookupError):
            os.killpg(master.pid, signal.SIGKILL)


@dataclass
class Traffic:
    """Requests in a loop from one thread, on fresh connections or one kept alive."""

    port: int
    keep_alive: bool
    ok: int = 0
    slowest: float = 0.0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        conn = None
        while not self.stop.is_set():
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            started = time.monotonic()
            try:
                conn.request("GET", PATH)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                self.failures.append(f"{time.monotonic():.2f} {type(error).__name__}: {error}")
                conn.close()
                conn = None
                continue
            if response.status >= 500:
                self.failures.append(f"{time.monotonic():.2f} HTTP {response.status}")
            else:
                self.ok += 1
                self.slowest = max(self.slowest, time.monotonic() - started)
            if not self.keep_alive or response.will_close:
                conn.close()
                conn = None
            time.sleep(0.005)
        if conn is not None:
            conn.close()


def test_a_graceful_reload_under_traffic_fails_no_request(gunicorn, record_property):
    master, port, log = gunicorn
    streams = [Traffic(port, keep_alive=i % 2 == 1) for i in range(6)]
    threads = [threading.Thread(target=s.run, daemon=True) for s in streams]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        old_workers = children(master.pid)
        assert old_workers
        served_before = sum(s.ok for s in streams)

        master.send_signal(signal.SIGHUP)
        hup_at = time.monotonic()
        # The old workers finish and exit once the new ones are up; traffic goes on until
        # then and for a second after.
        deadline = time.monotonic() + 60
        while children(master.pid) & old_workers:
            assert time.monotonic() < deadline, "the old workers never exited:\n" + log.read_text()
            time.sleep(0.1)
        new_workers = children(master.pid)
        old_gone_after = time.monotonic() - hup_at
        time.sleep(1.0)
    finally:
        for s in streams:
            s.stop.set()
        for thread in threads:
            thread.join(timeout=35)

    served = sum(s.ok for s in streams)
    failures = [f for s in streams for f in s.failures]
    slowest = max(s.slowest for s in streams)
    figures = (
        f"served {served} ({served_before} before SIGHUP), failed {len(failures)}, old workers "
        f"gone {old_gone_after:.1f} s after SIGHUP, slowest response {slowest:.2f} s"
    )
    logger.info("%s", figures)
    record_property("figures", figures)
    assert len(new_workers) == 2
    assert not new_workers & old_workers
    assert served > served_before
    assert failures == [], f"{figures}: {failures}\n{log.read_text()}"
