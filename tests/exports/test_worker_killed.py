"""Fault test: the worker rendering a plan PDF is killed (SIGKILL) in the middle; once a
worker is back, the file is ready within 2 minutes.

Production shape in small: a real Celery worker process (prefork, as deployed) and a real
beat process, on the run's broker (the embedded filesystem broker, or Redis when REDIS_URL
is set) and database. Beat keeps running while the worker is dead, as it does in
docker-compose. The heartbeat and sweep intervals are shortened (environment) so the test
takes seconds; with the defaults the same path adds at most 75 s (timeout 45 s + sweep 30 s).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from ogp_portal.core import exports
from ogp_portal.core.exports import run_export_task
from ogp_portal.core.models import ExportJob, GeneratedFile, JobStatus

from .conftest import read_file

# Shortened for the test (production: 10 s, 45 s, 45 s, 30 s). FAULT_TEST_PRODUCTION_INTERVALS=1
# keeps the production defaults (the run then takes about two and a half minutes).
INTERVALS = (
    {}
    if os.environ.get("FAULT_TEST_PRODUCTION_INTERVALS")
    else {
        "EXPORT_HEARTBEAT_SECONDS": "1",
        "EXPORT_HEARTBEAT_TIMEOUT_SECONDS": "5",
        "EXPORT_QUEUED_TIMEOUT_SECONDS": "5",
        "EXPORT_SWEEP_SECONDS": "2",
    }
)
# Commitments in the plan: enough pages that the render takes a few seconds.
COMMITMENTS = 40


def _database_url() -> str:
    """The test database, as DATABASE_URL for the processes the test starts."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def fault_queue() -> str:
    """A queue of this test only: the run's own queue may have a worker thread of earlier
    tests on it (celery_worker_thread, session-wide), which no SIGKILL would reach."""
    return f"{settings.CELERY_TASK_DEFAULT_QUEUE}-faults-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def celery_processes(transactional_db, tmp_path, fault_queue):
    """Starts Celery worker and beat processes on the test database, with fault_queue as
    their default queue (each in its own process group, killed with it); every one is
    killed at the end, even when the test fails. Depends on transactional_db, so they are
    gone before the database is flushed."""
    env = {
        **os.environ,
        **INTERVALS,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test",
        "DATABASE_URL": _database_url(),
        "OGP_TEST_CELERY_QUEUE": fault_queue,
    }
    started: list[subprocess.Popen] = []

    def start(role: str) -> subprocess.Popen:
        name = f"{role}-{uuid.uuid4().hex[:8]}"
        if role == "worker":
            args = [
                "worker", "--pool", "prefork", "--concurrency", "1", "--hostname",
                f"{name}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle",
            ]  # fmt: skip
        else:
            args = ["beat", "--schedule", str(tmp_path / "celerybeat-schedule")]
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ogp_portal", *args, "--loglevel", "INFO"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        started.append(process)
        return process

    yield start

    for process in started:
        kill(process)
    for log in sorted(tmp_path.glob("*.log")):
        # The processes' logs, which pytest shows when the test fails.
        print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")  # noqa: T201


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the process and its children (the prefork pool), as an OOM kill or a
    `docker kill` does."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _wait(condition, timeout: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"timed out waiting for {what}"
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_export_the_file_is_ready_within_2_minutes_of_a_new_worker(
    celery_processes, fault_queue, make_plan, civil_servant, monkeypatch
):
    plan = make_plan(n=COMMITMENTS, title="Big Open Government Plan")
    celery_processes("beat")
    worker = celery_processes("worker")
    # Asked for as the export page does, its message sent to the test's own queue (the
    # worker and beat processes send theirs, the sweeper's included, there too)
    monkeypatch.setattr(
        exports,
        "_enqueue",
        lambda job: transaction.on_commit(
            lambda: run_export_task.apply_async(args=[str(job.pk)], queue=fault_queue)
        ),
    )
    job = exports.request_export("plan", plan, civil_servant, "en")

    # When the worker is laying out the pages, it is killed
    def laying_out() -> bool:
        job.refresh_from_db()
        assert job.status != JobStatus.DONE, "the render ended before the worker was killed"
        return job.status == JobStatus.RUNNING and job.progress >= 40

    _wait(laying_out, 90, "the render to start")
    kill(worker)
    killed_at = time.monotonic()
    killed = ExportJob.objects.get(pk=job.pk)
    assert killed.status == JobStatus.RUNNING
    assert killed.attempt == 1

    # Then a worker comes back
    time.sleep(1)
    celery_processes("worker")
    back_at = time.monotonic()

    def ready() -> bool:
        job.refresh_from_db()
        return job.status in (JobStatus.DONE, JobStatus.FAILED)

    _wait(ready, 120, "the file after the worker came back")
    seconds = time.monotonic() - back_at
    # The figure issue #14 asks for (pytest -s shows it).
    print(  # noqa: T201
        f"FIGURE worker killed at {killed.progress} %; file ready {seconds:.1f} s after a "
        f"worker came back ({time.monotonic() - killed_at:.1f} s after the kill); "
        f"attempts {job.attempt}, restarts {job.restarts}"
    )
    assert job.status == JobStatus.DONE, job.error
    assert seconds < 120
    assert job.attempt == 2  # run once more, not twice
    assert job.restarts == 1
    assert GeneratedFile.objects.count() == 1
    assert read_file(job.result).startswith(b"%PDF")
