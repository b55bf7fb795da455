"""Start and stop the portal the way production runs it: gunicorn and a Celery worker.

Each process gets its own process group, so stopping it also stops its workers; stop()
is safe to call twice and after a failed start."""

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import waiting
from config import PROJECT_DIR, PYTHON, BenchConfig

BIN = Path(PYTHON).parent


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


class Portal:
    def __init__(self, config: BenchConfig) -> None:
        self.config = config
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.gunicorn_command: list[str] = []

    def _spawn(self, name: str, command: list[str]) -> None:
        log = self.config.var_dir / f"{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        self.logs[name] = log
        with log.open("wb") as out:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=PROJECT_DIR,
                env=self.config.django_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: stop() reaches the workers
            )

    def start(self) -> None:
        if not port_is_free(self.config.port):
            raise RuntimeError(
                f"port {self.config.port} is already in use; set BENCH_PORT to a free port"
            )
        self._flush_broker()
        command = [str(BIN / "gunicorn"), "ogp_portal.wsgi"]
        conf = PROJECT_DIR / "gunicorn.conf.py"
        if conf.exists():
            command += ["--config", str(conf)]
        else:
            # What docker-compose.yml runs today.
            command += ["--workers", "3"]
        command += ["--bind", f"127.0.0.1:{self.config.port}"]
        self.gunicorn_command = command
        self._spawn("gunicorn", command)
        self._spawn(
            "celery",
            [
                str(BIN / "celery"), "-A", "ogp_portal", "worker", "--loglevel=WARNING",
                "--concurrency=2", "--hostname", f"bench-{self.config.database_name}@%h",
            ],
        )  # fmt: skip
        self.wait_healthy()

    def _flush_broker(self) -> None:
        """The bench's own Redis database starts empty: no task left from an earlier run."""
        import redis

        redis.Redis.from_url(self.config.redis_url).flushdb()

    def wait_healthy(self, timeout: float = 90) -> None:
        waiting.until_answers(
            self.config.base_url + "/health/", self.processes,
            lambda name: f"{name} exited early; see {self.logs[name]}", timeout,
        )  # fmt: skip

    def web_workers(self) -> list:
        import psutil

        master = self.processes.get("gunicorn")
        if master is None:
            return []
        try:
            return psutil.Process(master.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for name, process in list(self.processes.items()):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            del self.processes[name]


class MemorySampler:
    """Samples the RSS of each gunicorn worker every 50 ms while running (psutil): the peak
    of any worker, and the largest growth of one worker over its RSS at the start."""

    def __init__(self, portal: Portal, interval: float = 0.05) -> None:
        self.portal = portal
        self.interval = interval
        self.baseline: dict[int, float] = {}
        self.peak: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> dict[int, float]:
        values = {}
        for worker in self.portal.web_workers():
            try:
                values[worker.pid] = worker.memory_info().rss / 2**20
            except Exception:  # noqa: BLE001, S112 (a worker restarting)
                continue
        return values

    @property
    def peak_mb(self) -> float:
        return max(self.peak.values(), default=0.0)

    @property
    def baseline_mb(self) -> float:
        return max(self.baseline.values(), default=0.0)

    @property
    def growth_mb(self) -> float:
        return max((mb - self.baseline.get(pid, mb) for pid, mb in self.peak.items()), default=0.0)

    def __enter__(self) -> "MemorySampler":
        self.baseline = self._rss()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid, mb in self._rss().items():
                self.peak[pid] = max(self.peak.get(pid, 0.0), mb)
            time.sleep(self.interval)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def high_water_marks(portal: Portal) -> list[float]:
        marks = []
        for worker in portal.web_workers():
            try:
                status = Path(f"/proc/{worker.pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    marks.append(int(line.split()[1]) / 1024)
        return marks
