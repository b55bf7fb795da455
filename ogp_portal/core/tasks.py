"""Background jobs that belong to no domain app."""

import os
import smtplib
import socket

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .exports import run_export_task  # noqa: F401  (registered with the worker)
from .models import Heartbeat
from .reminders import scan_reminders_task  # noqa: F401  (registered with the worker)


@shared_task
def ping_task(payload: str) -> dict:
    """Echo back with the worker's identity; proves a round trip through a real worker."""
    return {"echo": payload, "pid": os.getpid(), "host": socket.gethostname()}


@shared_task
def record_heartbeat_task() -> None:
    """Mark that beat and a worker are alive (shown on /health/ as `scheduler_seen_at`)."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"seen_at": timezone.now()})


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=6,
)
def send_email_task(to: str, subject: str, body: str, kind: str = "") -> None:
    """Send one e-mail; network failures are retried with back-off."""
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    send_mail(f"{prefix}{subject}", body, settings.DEFAULT_FROM_EMAIL, [to])


@shared_task
def send_digests_task() -> int:
    """Send the daily digest e-mails (to be built)."""
    return 0
