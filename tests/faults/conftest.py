"""Fault tests: private servers this test run starts, breaks on purpose and always stops.

Never the shared Redis on 6379: each test gets its own ``redis-server`` on a free port,
killed (or frozen) by its own process id, and stopped by the fixture's finalizer even when
the test fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import PlanFactory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test alone, with no persistence: a restart comes back empty."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary = binary
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.folder / f"redis-{self.port}.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 -- our own arguments, no shell
            [
                self.binary,
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
            ],  # fmt: skip
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited; see {self.folder}")
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer within 10 s")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """The outage: SIGKILL, as a crashed or OOM-killed server."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def freeze(self) -> None:
        """A server that accepts connections and never answers (SIGSTOP)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; the fault tests need it in CI")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(binary, tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.kill()  # SIGKILL also ends a frozen (SIGSTOPped) server


def resilient_cache_settings(url: str, *, retry_seconds: float = 0.5, weight: int = 1) -> dict:
    """CACHES as production builds it with REDIS_CACHE_URL (settings/base.py), on ``url``."""
    return {
        "default": {
            "BACKEND": "ogp_portal.core.resilient_cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ogp",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "FALLBACK": {
                "RETRY_SECONDS": retry_seconds,
                "LOCAL_KEY_PREFIXES": ["rl:", "allauth:rl:", "allauth.mfa.totp.used"],
                "DELETE_ON_RECOVERY": ["pagecache:gen:all"],
                "COUNT_WEIGHT": weight,
            },
        }
    }


@pytest.fixture
def redis_cache(private_redis: PrivateRedis) -> Iterator[PrivateRedis]:
    """The portal's cache (page cache, rate limits, counts) on the private Redis for this
    test; override_settings makes Django open new cache connections on the way in and out."""
    with override_settings(CACHES=resilient_cache_settings(private_redis.url)):
        yield private_redis


@pytest.fixture
def consultation(member):
    return make_consultation(PlanFactory(member=member, status="co_creation"))


@pytest.fixture
def proposal(cso_member, consultation):
    return make_proposal(cso_member, consultation)
