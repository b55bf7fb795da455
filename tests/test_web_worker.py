"""The web worker (ogp_portal/web_worker.py) once the application is loaded."""

import gc
import os
import time
from types import SimpleNamespace

from gunicorn.workers.gthread import ThreadWorker

from ogp_portal.web_worker import HandoverThreadWorker, forget


def test_a_loaded_worker_leaves_the_application_out_of_garbage_collection(monkeypatch):
    # Given a worker whose application (Django, here already imported) has just loaded
    worker = object.__new__(HandoverThreadWorker)
    worker.cfg = SimpleNamespace(reuse_port=False)
    worker.ppid = 4_000_000 + os.getpid()  # a folder of this test's own
    worker.pid = os.getpid()
    worker.spawned_at = time.time()
    monkeypatch.setattr(ThreadWorker, "load_wsgi", lambda self: None)
    monkeypatch.setattr(HandoverThreadWorker, "_warm_up", lambda self: None)
    gc.unfreeze()
    try:
        worker.load_wsgi()
        # Then the objects loaded so far are never walked again by a collection
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
        forget(worker.ppid)


def test_the_worker_tells_the_master_it_is_alive_once_a_second_not_per_request(monkeypatch):
    signs: list[float] = []
    now: list[float] = [100.0]
    worker = object.__new__(HandoverThreadWorker)
    worker._notified_at = float("-inf")
    worker.tmp = SimpleNamespace(notify=lambda: signs.append(now[0]))
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    for step in range(30):  # 30 requests in 3 seconds
        now[0] = 100.0 + step / 10
        worker.notify()
    assert signs == [100.0, 101.0, 102.0]
