"""CPU time of the portal's side of a scenario: the gunicorn process group and the
PostgreSQL backends that serve it, sampled with psutil while a scenario runs.

CPU per request (CPU seconds over the scenario ÷ requests answered) is the figure that
stays comparable when the machine is shared or different: wall-clock req/s moves with
whatever else runs, the CPU a request costs much less.

Backends are found by their client port: each gunicorn worker's TCP connections to the
database server, matched to `pg_stat_activity.client_port`. So only this bench's own
connections count, not other work on the same PostgreSQL (it must run on this machine
for psutil to see its processes; otherwise the PostgreSQL figure is left out).
"""

from __future__ import annotations

import bisect
import contextlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

# psutil comes with the bench extra and ships no type hints.
import psutil  # type: ignore[import-untyped, import-not-found, unused-ignore]


@dataclass
class Snapshot:
    at: float  # time.monotonic()
    server: dict[int, float] = field(default_factory=dict)  # pid -> CPU seconds so far
    postgres: dict[int, float] = field(default_factory=dict)


def cpu_seconds(process: psutil.Process) -> float:
    """user + system time of a process, and of its children it has reaped."""
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def spent(shots: list[dict[int, float]]) -> float:
    """CPU spent from the first of these snapshots to the last by every process seen in them.
    One alive at the first counts from there; one born later counts whole; one gone before
    the last counts up to its last sighting. (Counting only the processes alive at the end
    lost the CPU of every database connection closed during a scenario: with CONN_MAX_AGE
    60 s, a 60 s flood recycles them all, and the full run of 2026-12-07 reported 0.28 ms of
    PostgreSQL CPU per post where /proc showed about 3 ms.)"""
    if not shots:
        return 0.0
    start = shots[0]
    last_seen: dict[int, float] = {}
    for shot in shots:
        last_seen.update(shot)
    return sum(max(0.0, value - start.get(pid, 0.0)) for pid, value in last_seen.items())


def per_request_ms(cpu: float | None, seconds: float, rps: float | None) -> float | None:
    """CPU milliseconds per request: the CPU rate over the window ÷ the request rate."""
    if cpu is None or not seconds or not rps:
        return None
    return round(1000 * (cpu / seconds) / rps, 2)


class CpuSampler:
    """`with CpuSampler(list_gunicorn_processes, database_url) as s:` (or start()/stop())
    samples every `interval` seconds; `s.window(t0, t1)` gives the CPU between two moments."""

    def __init__(self, server_processes, database_url: str, interval: float = 0.25) -> None:
        self.server_processes = server_processes  # () -> list[psutil.Process]
        self.database_url = database_url
        self.interval = interval
        self.snapshots: list[Snapshot] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._conn: Any = None
        self._db_port = urlsplit(database_url).port or 5432
        self.postgres_visible = True

    # --- taking snapshots --------------------------------------------------------------
    def _connect(self):
        if self._conn is None:
            import psycopg

            url = self.database_url.replace("postgres://", "postgresql://", 1)
            self._conn = psycopg.connect(url, autocommit=True)
        return self._conn

    def _backends(self, ports: set[int]) -> list[int]:
        if not ports:
            return []
        rows = (
            self._connect()
            .execute(
                "SELECT pid FROM pg_stat_activity WHERE client_port = ANY(%s)",
                (sorted(ports),),
            )
            .fetchall()
        )
        return [row[0] for row in rows]

    def snapshot(self) -> Snapshot:
        shot = Snapshot(at=time.monotonic())
        ports: set[int] = set()
        for process in self.server_processes():
            with contextlib.suppress(psutil.Error):
                shot.server[process.pid] = cpu_seconds(process)
                for conn in process.net_connections(kind="tcp"):
                    if conn.raddr and conn.raddr.port == self._db_port:
                        ports.add(conn.laddr.port)
        if self.postgres_visible:
            try:
                for pid in self._backends(ports):
                    with contextlib.suppress(psutil.Error):
                        shot.postgres[pid] = cpu_seconds(psutil.Process(pid))
            except Exception:  # noqa: BLE001 (no PostgreSQL figure rather than no bench)
                self.postgres_visible = False
        self.snapshots.append(shot)
        return shot

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.snapshot()

    def start(self) -> CpuSampler:
        self.snapshot()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.snapshot()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> CpuSampler:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- reading them -------------------------------------------------------------------
    def _nearest(self, moment: float) -> Snapshot:
        stamps = [s.at for s in self.snapshots]
        i = bisect.bisect_left(stamps, moment)
        near = [j for j in (i - 1, i) if 0 <= j < len(stamps)]
        return self.snapshots[min(near, key=lambda j: abs(stamps[j] - moment))]

    def window(self, started: float, stopped: float) -> dict:
        """CPU seconds of the server and of PostgreSQL between the snapshots nearest to
        `started` and `stopped`, and the seconds between those snapshots."""
        first, last = self._nearest(started), self._nearest(stopped)
        seconds = last.at - first.at
        shots = [s for s in self.snapshots if first.at <= s.at <= last.at]
        found = {
            "cpu_window_seconds": round(seconds, 2),
            "server_cpu_seconds": round(spent([s.server for s in shots]), 3),
            "postgres_cpu_seconds": None,
        }
        if self.postgres_visible and last.postgres:
            found["postgres_cpu_seconds"] = round(spent([s.postgres for s in shots]), 3)
        return found


def add_cpu(result: dict, sampler: CpuSampler) -> None:
    """Put the server's and PostgreSQL's CPU over the scenario's clock into its result."""
    started, stopped = result.get("clock_started"), result.get("clock_stopped")
    if started is None or stopped is None or not sampler.snapshots:
        return
    found = sampler.window(started, stopped)
    result.update(found)
    seconds, rps = found["cpu_window_seconds"], result.get("rps")
    result["server_cpu_ms_per_request"] = per_request_ms(found["server_cpu_seconds"], seconds, rps)
    result["postgres_cpu_ms_per_request"] = per_request_ms(
        found["postgres_cpu_seconds"], seconds, rps
    )
    if seconds:
        result["server_cpu_percent"] = round(100 * found["server_cpu_seconds"] / seconds, 1)
