"""Two portal instances behind HAProxy, as on two hosts: each its own gunicorn (own port,
own process group), one Celery worker, one database (this run's test database, SQLite file
or PostgreSQL) and one Redis (a private redis-server of this module: the broker in database
0, the shared cache in database 1). The tests reach both instances through the balancer and
pin each request to one of them with the X-OGP-Instance header (tests/perf/haproxy.cfg).

The instances live for the whole module (starting them is most of its ~25 s of CPU); the
shared cache is emptied before each test."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.factories import PASSWORD
from tests.faults.conftest import PrivateRedis, free_port
from tests.perf import haproxy, waiting

BIN = Path(sys.executable).parent
# The address each test's visitor comes from, as the TLS proxy in front of the balancer
# would write it in X-Forwarded-For; HAProxy appends its own, hence TRUSTED_PROXY_COUNT=2.
CLIENT_ADDRESS = "203.0.113.10"
# Low enough to reach in a test, per hour so that no window boundary falls inside one.
COMMENT_RATE_PER_IP = "3/h"


def database_url() -> str:
    """The test database, as DATABASE_URL for the instances and the worker."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Cluster:
    """Starts and stops everything; each process in its own process group."""

    def __init__(self, redis_server: PrivateRedis, folder: Path, proxy_binary: str) -> None:
        self.folder = folder
        self.redis = redis_server
        self.queue = f"multi-{uuid.uuid4().hex[:10]}"
        self.ports = {"a": free_port(), "b": free_port()}
        self.balancer = haproxy.HAProxy(proxy_binary, free_port(), self.ports, folder)
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.multi.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/0",
            "REDIS_CACHE_URL": f"redis://127.0.0.1:{redis_server.port}/1",
            "OGP_TEST_CELERY_QUEUE": self.queue,
            "TRUSTED_PROXY_COUNT": "2",
            "COMMENT_RATE_PER_IP": COMMENT_RATE_PER_IP,
            "WEB_WORKERS": "1",
            "WEB_THREADS": "4",
            "WEB_ACCESS_LOG": "",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.balancer.port}"

    def _spawn(self, name: str, command: list[str]) -> None:
        with (self.folder / f"{name}.log").open("wb") as out:
            self.processes[name] = subprocess.Popen(  # noqa: S603 -- our own arguments
                command, cwd=settings.BASE_DIR, env=self.env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def start(self) -> None:
        for name, port in self.ports.items():
            self._spawn(
                f"gunicorn-{name}",
                [str(BIN / "gunicorn"), "ogp_portal.wsgi", "--config", "gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}"],
            )  # fmt: skip
        self._spawn(
            "worker",
            [sys.executable, "-m", "celery", "-A", "ogp_portal", "worker", "--queues",
             self.queue, "--pool", "solo", "--loglevel", "INFO", "--hostname",
             f"{self.queue}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        )  # fmt: skip
        for name, port in self.ports.items():
            self._wait(f"gunicorn-{name}", f"http://127.0.0.1:{port}/health/")
        self._wait_worker()
        self.balancer.start()
        self._wait("haproxy", self.url + "/health/")

    def _wait(self, name: str, url: str, timeout: float = 90) -> None:
        try:
            waiting.until_answers(
                url, self.processes,
                lambda process: f"{process} exited:\n{self.log(process)[-3000:]}",
                timeout, interval=0.2,
            )  # fmt: skip
        except RuntimeError as error:
            raise RuntimeError(f"{name}: {error}") from None

    def _wait_worker(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while " ready." not in self.log("worker"):
            if self.processes["worker"].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start:\n{self.log('worker')}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.balancer.stop()
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def empty_cache(self) -> None:
        """Each test starts with an empty shared cache (pages, rate-limit counters)."""
        client = redis.Redis(port=self.redis.port, db=1)
        client.flushdb()
        client.close()


@pytest.fixture(scope="module")
def cluster(django_db_setup, tmp_path_factory) -> Iterator[Cluster]:
    binary = haproxy.find()
    redis_binary = shutil.which("redis-server")
    if binary is None or redis_binary is None:
        missing = "haproxy" if binary is None else "redis-server"
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is not installed; the cross-instance tests need it in CI")
        pytest.skip(f"{missing} is not installed (apt-get install {missing})")
    folder = tmp_path_factory.mktemp("multi")
    redis_server = PrivateRedis(redis_binary, folder)
    running = Cluster(redis_server, folder, binary)
    try:
        redis_server.start()
        running.start()
        yield running
    finally:
        running.stop()
        redis_server.kill()


class Visitor:
    """One browser: its own cookies, sending every request through the balancer to the
    instance it names, from CLIENT_ADDRESS (or another address it is given)."""

    def __init__(self, cluster: Cluster, address: str = CLIENT_ADDRESS) -> None:
        self.cluster = cluster
        self.address = address
        self.session = requests.Session()

    def request(self, method: str, on: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-OGP-Instance": on, "X-Forwarded-For": self.address}
        if method == "POST":
            headers["X-CSRFToken"] = self.session.cookies.get("csrftoken") or ""
        response = self.session.request(
            method, self.cluster.url + path, headers=headers, allow_redirects=False, timeout=30,
            **kwargs,
        )  # fmt: skip
        # The balancer says which instance answered: the one asked for, never the other.
        assert response.headers.get("X-OGP-Instance") == on, response.headers
        return response

    def get(self, on: str, path: str, **kwargs) -> requests.Response:
        return self.request("GET", on, path, **kwargs)

    def post(self, on: str, path: str, data: dict, **kwargs) -> requests.Response:
        if "csrftoken" not in self.session.cookies:
            self.get(on, reverse("account_login"))  # a form: sets the CSRF cookie
        return self.request("POST", on, path, data=data, **kwargs)

    def sign_in(self, on: str, user) -> None:
        """Through allauth's sign-in form, as a person would."""
        response = self.post(
            on, reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302, response.text[:2000]


@pytest.fixture
def instances(cluster: Cluster) -> Cluster:
    cluster.empty_cache()
    return cluster
