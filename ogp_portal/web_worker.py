"""The gunicorn worker of gunicorn.conf.py: gthread, plus a graceful reload that drops nothing.

On SIGHUP gunicorn starts new workers and at once tells the old ones to stop, before the new
ones have imported Django (3 to 10 s here). Every request in between waited, then reached a
fresh process all at once, where load shedding answered 503 (tests/test_gunicorn_reload.py).
And with `reuse_port` each worker listens on a socket of its own: the kernel kept routing new
connections to a stopping worker's socket, and closing it reset those it had not accepted.

So a worker told to stop by a reload keeps serving until the workers started by that reload
have loaded the application (or HANDOVER_SECONDS have passed), and when it stops it takes
what its socket already holds and closes the socket at once, before finishing its requests.
The master and the workers share what they know through files in a folder of the master's
(a reload's start, each worker's readiness). A new worker also answers a page once before
it takes connections, so its first real requests find the views imported and the templates
compiled. Django is imported only then: gunicorn loads this module before the app.
"""

import contextlib
import gc
import io
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from gunicorn import sock
from gunicorn.workers.gthread import TConn, ThreadWorker

# The longest an old worker waits for its successors; a successor that fails to boot only
# delays the old worker's stop by this much. Below graceful_timeout (30 s), which the
# master gives the old workers to finish.
HANDOVER_SECONDS = 20.0
# The longest between two "alive" signs to the master (far below gunicorn's timeout, 30 s).
NOTIFY_EVERY_SECONDS = 1.0
# Pages a new worker answers once, inside the process, before it takes connections.
WARM_UP_PATHS = [p for p in os.environ.get("WEB_WARM_UP_PATHS", "/").split(",") if p]


def _folder(master_pid: int) -> Path:
    return Path(tempfile.gettempdir()) / f"ogp-gunicorn-{master_pid}"


def reload_started(master_pid: int) -> None:
    """Record that a reload begins now (gunicorn's on_reload hook, in the master, runs
    before the new workers are started)."""
    folder = _folder(master_pid)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("ready-*"):
        old.unlink(missing_ok=True)
    (folder / "reload").write_text(repr(time.time()))


def forget(master_pid: int) -> None:
    """Remove the master's folder (gunicorn's on_exit hook)."""
    shutil.rmtree(_folder(master_pid), ignore_errors=True)


def _reload_time(master_pid: int) -> float | None:
    try:
        return float((_folder(master_pid) / "reload").read_text())
    except (OSError, ValueError):
        return None


def _freeze_what_is_loaded() -> None:
    """Leave the objects of the loaded application out of garbage collection: Django's
    modules, URL patterns, compiled templates live as long as the process, yet every full
    collection walked all of them again (py-spy, make bench's ceiling: gc_collect_main and
    its visits were among the busiest functions of a worker)."""
    gc.collect()
    gc.freeze()


class HandoverThreadWorker(ThreadWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set in the master just before the fork: which reloads this worker predates.
        self.spawned_at = time.time()
        self.handing_over = False
        self._notified_at = float("-inf")

    def notify(self) -> None:
        # gthread tells the master it is alive after every batch of events, about once per
        # request under load: a write to the worker's temporary file each time (a syscall
        # that updates an inode). The master only looks for a sign within `timeout`.
        now = time.monotonic()
        if now - self._notified_at >= NOTIFY_EVERY_SECONDS:
            self._notified_at = now
            super().notify()

    def enqueue_req(self, conn: TConn) -> None:
        # When the request became ready to read: load shedding counts its wait from here,
        # not from when a thread of the pool got to it (ogp_portal/core/load_shedding.py).
        conn.ogp_ready_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn: TConn) -> Any:
        from ogp_portal.core.load_shedding import request_ready_at

        request_ready_at(getattr(conn, "ogp_ready_at", None))
        try:
            return super().handle(conn)
        finally:
            request_ready_at(None)

    def load_wsgi(self) -> None:
        # With reuse_port the master opened this worker's socket before the fork, so the
        # kernel sends it connections while Django loads (seconds): after a reload they would
        # wait for nothing while the old workers are idle. Leave the port until the app is
        # loaded; connections that arrived meanwhile are held and served first. (At the first
        # start nobody else serves: there they wait in the socket as before.)
        rejoin = self.cfg.reuse_port and _reload_time(self.ppid) is not None
        held = self._take_queued_and_close() if rejoin else []
        super().load_wsgi()
        self._warm_up()
        _freeze_what_is_loaded()
        if rejoin:
            self.sockets = sock.create_sockets(self.cfg, self.log)
            for conn in held:
                self.nr_conns += 1
                self.enqueue_req(conn)
        folder = _folder(self.ppid)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"ready-{self.pid}").write_text(repr(self.spawned_at))

    def _warm_up(self) -> None:
        """Answer WARM_UP_PATHS once inside the process before taking traffic: a fresh
        process's first requests import the views and compile the templates, seconds of CPU
        during which requests piled up behind them and load shedding answered 503."""
        from django.conf import settings

        hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.strip(".*")]
        host = hosts[0] if hosts else "localhost"
        for path in WARM_UP_PATHS:
            environ = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_NAME": host,
                "SERVER_PORT": "443",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "HTTP_HOST": host,
                "HTTP_X_FORWARDED_PROTO": "https",
                "REMOTE_ADDR": "127.0.0.1",
                "wsgi.version": (1, 0),
                "wsgi.url_scheme": "https",
                "wsgi.input": io.BytesIO(),
                "wsgi.errors": sys.stderr,
                "wsgi.multithread": True,
                "wsgi.multiprocess": True,
                "wsgi.run_once": False,
            }
            try:
                result = self.wsgi(environ, lambda status, headers, exc_info=None: None)
                for _chunk in result:
                    pass
                if hasattr(result, "close"):
                    result.close()
            except Exception:  # a warm-up failure must not keep the worker from serving
                self.log.exception("Warm-up request to %s failed", path)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        reloaded_at = _reload_time(self.ppid)
        if (
            self.alive
            and not self.handing_over
            and reloaded_at is not None
            and reloaded_at > self.spawned_at
        ):
            # Stopped by a reload: serve on until the new workers can (a second TERM stops).
            self.handing_over = True
            threading.Thread(
                target=self._hand_over, args=(reloaded_at,), name="handover", daemon=True
            ).start()
            return
        super().handle_exit(sig, frame)

    def _successors_ready(self, reloaded_at: float) -> int:
        ready = 0
        for marker in _folder(self.ppid).glob("ready-*"):
            with contextlib.suppress(OSError, ValueError):
                ready += float(marker.read_text()) >= reloaded_at
        return ready

    def _hand_over(self, reloaded_at: float) -> None:
        deadline = time.monotonic() + HANDOVER_SECONDS
        while time.monotonic() < deadline and self.alive:
            if self._successors_ready(reloaded_at) >= self.cfg.workers:
                break
            time.sleep(0.1)
        self.log.info("Worker %s hands over to the reloaded workers", self.pid)
        ThreadWorker.handle_exit(self, signal.SIGTERM, None)

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled)
        if not enabled and not self.alive and self.cfg.reuse_port:
            self._leave_port()

    def _leave_port(self) -> None:
        """Accept what the kernel already queued on this worker's own socket, then close it,
        so that new connections go to the other workers instead of being reset here."""
        for conn in self._take_queued_and_close():
            self.nr_conns += 1
            self.enqueue_req(conn)

    def _take_queued_and_close(self) -> list[Any]:
        """The connections queued on this worker's sockets, which are then closed: a
        connection left in a closed SO_REUSEPORT socket's queue is reset."""
        taken = []
        for listener in self.sockets:
            if listener.sock is None:
                continue
            listener.setblocking(False)
            while True:
                try:
                    client, address = listener.accept()
                except (BlockingIOError, InterruptedError):
                    break
                except ConnectionAbortedError:
                    continue
                client.setblocking(True)
                taken.append(TConn(self.cfg, client, address, listener.getsockname()))
            listener.close()
        return taken
