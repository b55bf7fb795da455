"""A PostgreSQL cluster of a test's own, on a free port, that the test may stop and start.

Never the shared server on 5432: fault tests stop this one on purpose. `initdb` and `pg_ctl`
refuse to run as root, so as root they run as the `postgres` user on a folder that user
owns. The cluster is made for speed (no fsync): it holds only the test's throwaway data.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BIN_DIR = Path(os.environ.get("PG_BIN_DIR", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PrivatePostgres:
    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="ogp-fault-pg-"))
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._pg_ctl_started = False

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(_as_owner(list(args)), check=True, capture_output=True, timeout=timeout)

    def init(self) -> None:
        self._run(
            str(BIN_DIR / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            str(BIN_DIR / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.folder / "server.log"), "-w", "-t", "30", "start",
        )  # fmt: skip
        self._pg_ctl_started = True

    def stop(self) -> None:
        """Stop at once, as a crash or a restart would: open sessions are cut off."""
        self._run(str(BIN_DIR / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name: str) -> None:
        self._run(str(BIN_DIR / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), name)

    def destroy(self) -> None:
        """Stop the server if it runs (immediate mode) and remove its folder."""
        if self._pg_ctl_started and (self.data / "postmaster.pid").exists():
            subprocess.run(
                _as_owner([str(BIN_DIR / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                           "-w", "stop"]),
                capture_output=True, timeout=60, check=False,
            )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def require_binaries() -> None:
    """Skip where PostgreSQL 15 is not installed, except in CI, where that is a failure."""
    missing = [n for n in ("initdb", "pg_ctl", "createdb") if not (BIN_DIR / n).exists()]
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing.append("runuser")
    if missing:
        message = f"PostgreSQL 15 binaries not found in {BIN_DIR}: {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def running_cluster() -> Iterator[PrivatePostgres]:
    """A started private cluster, stopped and removed afterwards whatever happened."""
    require_binaries()
    cluster = PrivatePostgres()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()
