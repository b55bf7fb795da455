"""HAProxy in front of several portal instances: find or install it, render its
configuration (tests/perf/haproxy.cfg), run it in the foreground in its own process group.

Used by the two-instance bench (tests/perf/multi.py) and the cross-instance tests
(tests/multi/); it imports nothing from either, so both can use it."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg"


def find() -> str | None:
    """The haproxy binary (Debian installs it in /usr/sbin, often not on a user's PATH)."""
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if Path(p).exists()), None
    )


def install() -> tuple[str | None, str]:
    """The binary, installing Debian's package when it is missing and we are root; else
    None and why not."""
    found = find()
    if found:
        return found, ""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "haproxy is not installed (apt-get install haproxy, as root)"
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "haproxy"],  # noqa: S607 -- Debian's apt-get
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    found = find()
    if found:
        return found, ""
    return None, f"apt-get install haproxy failed: {done.stderr.strip()[-300:]}"


def version(binary: str) -> str:
    done = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    first = done.stdout.splitlines()[0] if done.stdout else ""
    return " ".join(first.split()[:3]).replace("HAProxy version", "HAProxy")


def render(port: int, servers: dict[str, int], timeout: int = 60) -> str:
    """The configuration: one frontend on 127.0.0.1:`port`, round-robin over `servers`
    (name → port on 127.0.0.1), each checked on /health/ every 2 s."""
    pins = "\n".join(
        f"    use-server {name} if {{ req.hdr(x-ogp-instance) -m str {name} }}" for name in servers
    )
    lines = "\n".join(
        f"    server {name} 127.0.0.1:{server_port} check" for name, server_port in servers.items()
    )
    return Template(TEMPLATE.read_text()).substitute(
        port=port, timeout=timeout, pins=pins, servers=lines
    )


class HAProxy:
    """One haproxy process in the foreground (-db), in its own process group."""

    def __init__(self, binary: str, port: int, servers: dict[str, int], folder: Path) -> None:
        self.binary = binary
        self.port = port
        self.config = folder / f"haproxy-{port}.cfg"
        self.log = folder / f"haproxy-{port}.log"
        self.config.parent.mkdir(parents=True, exist_ok=True)
        self.config.write_text(render(port, servers))
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [self.binary, "-db", "-f", str(self.config)]

    def start(self, timeout: float = 10) -> None:
        check = subprocess.run(
            [self.binary, "-c", "-q", "-f", str(self.config)],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise RuntimeError(f"haproxy refused {self.config}: {check.stderr or check.stdout}")
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 -- our own arguments, no shell
                self.command(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"haproxy exited; see {self.log}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"haproxy did not listen on {self.port} within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
