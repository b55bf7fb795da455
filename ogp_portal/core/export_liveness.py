"""Is an export job alive? The heartbeat a running job writes, and what counts as lost.

A worker can die in the middle of a render (killed, out of memory, its machine restarted)
without a word: the job would stay "Running 40 %" for good, and with the embedded broker its
message is gone too. So a running job proves it is alive: its worker writes `heartbeat_at`
as progress moves and, from a thread beside the render, every EXPORT_HEARTBEAT_SECONDS. A
running job whose heartbeat is older than EXPORT_HEARTBEAT_TIMEOUT_SECONDS lost its worker;
a queued job not started EXPORT_QUEUED_TIMEOUT_SECONDS after its message was sent may have
lost its message. The sweeper (core/exports.py, every EXPORT_SWEEP_SECONDS from beat)
queues both again; a new export joins only a job that is alive.

The intervals are read from the settings at each call, so tests can shorten them.
"""

import logging
import threading
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from .models import ExportJob, JobStatus

logger = logging.getLogger(__name__)


def heartbeat_interval() -> float:
    """Seconds between two heartbeats of a running job."""
    return float(settings.EXPORT_HEARTBEAT_SECONDS)


def heartbeat_timeout() -> timedelta:
    """Age of its last heartbeat after which a running job is presumed dead."""
    return timedelta(seconds=settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS)


def queued_timeout() -> timedelta:
    """Age of its message after which a queued job that never started is sent again."""
    return timedelta(seconds=settings.EXPORT_QUEUED_TIMEOUT_SECONDS)


def alive(now: datetime) -> models.Q:
    """Queued or running jobs that are still going: a running job with a fresh heartbeat,
    a queued one whose message was sent recently. Only these are joined by a new export."""
    return models.Q(
        status=JobStatus.RUNNING, heartbeat_at__gte=now - heartbeat_timeout()
    ) | models.Q(status=JobStatus.QUEUED, queued_at__gte=now - queued_timeout())


def lost_running(now: datetime) -> models.Q:
    """Running jobs whose worker stopped writing the heartbeat."""
    return models.Q(status=JobStatus.RUNNING) & (
        models.Q(heartbeat_at__lt=now - heartbeat_timeout()) | models.Q(heartbeat_at__isnull=True)
    )


def lost_queued(now: datetime) -> models.Q:
    """Queued jobs no worker took although their message was sent a while ago."""
    return models.Q(status=JobStatus.QUEUED, queued_at__lt=now - queued_timeout())


def is_stuck(job: ExportJob, now: datetime | None = None) -> bool:
    """The job is queued or running but not alive (its worker or its message was lost)."""
    now = now or timezone.now()
    if job.status == JobStatus.RUNNING:
        return job.heartbeat_at is None or job.heartbeat_at < now - heartbeat_timeout()
    if job.status == JobStatus.QUEUED:
        return job.queued_at < now - queued_timeout()
    return False


def beat(job_id: UUID | str, attempt: int) -> bool:
    """Write the heartbeat of run number `attempt` of the job; False once that run no longer
    holds the job (it finished, failed, or was presumed dead and queued again)."""
    return bool(
        ExportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempt=attempt).update(
            heartbeat_at=timezone.now()
        )
    )


class HeartbeatThread(threading.Thread):
    """Beats every heartbeat_interval() seconds while a render runs in the calling thread,
    so a long step that reports no progress (building a large plan's HTML, laying out a
    long table) does not look like a dead worker. It dies with its process, which is the
    point: a killed worker's job stops beating. Use as a context manager around the run."""

    def __init__(self, job_id: UUID | str, attempt: int) -> None:
        super().__init__(name=f"export-heartbeat-{job_id}", daemon=True)
        self.job_id = job_id
        self.attempt = attempt
        self.interval = heartbeat_interval()
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.interval):
                try:
                    if not beat(self.job_id, self.attempt):
                        return
                except Exception:
                    # A database hiccup: the next beat may get through; a job that misses
                    # every beat until the timeout is run again, which is safe.
                    logger.warning("Heartbeat of export job %s failed", self.job_id, exc_info=True)
        finally:
            # This thread's own connection (Django opens one per thread): closed, so that it
            # does not linger (PostgreSQL counts it; a test database could not be dropped).
            connection.close()

    def __enter__(self) -> "HeartbeatThread":
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop_event.set()
        self.join(timeout=self.interval + 30)
