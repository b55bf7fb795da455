"""Background jobs that belong to no domain app."""

import os
import socket

from celery import shared_task
from django.utils import timezone

from .models import Heartbeat


@shared_task
def ping_task(payload: str) -> dict:
    """Echo back with the worker's identity; proves a round trip through a real worker."""
    return {"echo": payload, "pid": os.getpid(), "host": socket.gethostname()}


@shared_task
def record_heartbeat_task() -> None:
    """Mark that beat and a worker are alive (shown on /health/ as `scheduler_seen_at`)."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"seen_at": timezone.now()})
