"""Background jobs that belong to no domain app."""

import logging
import os
import smtplib
import socket
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from . import outbox

# Registered with the worker:
from .exports import run_export_task, sweep_export_jobs_task  # noqa: F401
from .models import Heartbeat
from .notifications import (
    email_failure_record,
    notification_email_fail,
    notification_email_postpone,
    notification_email_send,
    requeue_stuck_emails,  # noqa: F401  (the reminder scan calls it; exported here too)
    send_digests,
)
from .reminders import scan_reminders_task  # noqa: F401  (registered with the worker)

logger = logging.getLogger(__name__)

# Network trouble worth another try. Anything else (an address or header the mail library
# refuses, a bug) would fail the same way every time: it is recorded at once, like a send
# whose retries ran out, and the task fails with it.
RETRYABLE = (smtplib.SMTPException, OSError)


@shared_task
def ping_task(payload: str) -> dict:
    """Echo back with the worker's identity; proves a round trip through a real worker."""
    return {"echo": payload, "pid": os.getpid(), "host": socket.gethostname()}


@shared_task
def relay_outbox_task() -> int:
    """Publish the outbox rows still waiting (their first try after commit failed, or its
    process died); beat runs it every few seconds. See ogp_portal/core/outbox.py."""
    return outbox.relay()


@shared_task
def record_heartbeat_task() -> None:
    """Mark that beat and a worker are alive (shown on /health/ as `scheduler_seen_at`)."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"seen_at": timezone.now()})


def _backoff(retries: int) -> int:
    """Seconds before retry number `retries + 1`: EMAIL_RETRY_BACKOFF doubled each time."""
    backoff: int = min(settings.EMAIL_RETRY_BACKOFF * 2**retries, settings.EMAIL_RETRY_BACKOFF_MAX)
    return backoff


def _retry_or_give_up(task: Task, exc: Exception, give_up: Callable[..., Any]) -> None:
    """Retry a failed send with back-off; after EMAIL_MAX_RETRIES retries call `give_up`
    (which records the failure) instead. Settings are read per call, so tests can shrink them.
    """
    retries = task.request.retries
    if retries >= settings.EMAIL_MAX_RETRIES:
        give_up(error=repr(exc), attempts=retries + 1)
        return
    countdown = _backoff(retries)
    raise task.retry(exc=exc, countdown=countdown, max_retries=settings.EMAIL_MAX_RETRIES)


@shared_task(bind=True)
def send_notification_email_task(self: Task, notification_id: int) -> bool:
    """E-mail one notification (see notifications.notification_email_send); network
    failures are retried with back-off, then recorded as an EmailFailure. Any other error is
    permanent: the notification is marked FAILED and recorded at once, then re-raised."""
    try:
        return notification_email_send(notification_id)
    except RETRYABLE as exc:
        # Hold the row until the retry is due (a second early, so the retry never finds
        # its own lease still running).
        retry_at = timezone.now() + timedelta(seconds=_backoff(self.request.retries) - 1)
        notification_email_postpone(notification_id, retry_at)
        _retry_or_give_up(self, exc, partial(notification_email_fail, notification_id))
        return False
    except Exception as exc:
        logger.exception("E-mail of notification %s failed for good", notification_id)
        notification_email_fail(notification_id, error=repr(exc), attempts=self.request.retries + 1)
        raise


@shared_task
def queue_notification_emails_task(notification_ids: list[int]) -> int:
    """Queue one send_notification_email_task per notification: notify() hands many
    e-mails over in chunks, so a reminder scan does not wait on the broker once per e-mail.
    Each send keeps its own lease, retries and failure record. The sends go through the
    outbox like any other task; a chunk lost on the way is queued again by
    requeue_stuck_emails, like any lost message."""
    rows = outbox.enqueue_many(send_notification_email_task, [(pk,) for pk in notification_ids])
    # A worker has no request to keep quick: the whole chunk is handed over now (the outbox
    # publishes only the first few right after a commit).
    outbox.publish(rows)
    return len(notification_ids)


@shared_task(bind=True)
def send_email_task(self: Task, to: str, subject: str, body: str, kind: str = "") -> None:
    """Send one plain e-mail (no inbox entry); network failures are retried with back-off,
    then recorded as an EmailFailure; any other error is recorded at once and re-raised."""
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    try:
        send_mail(f"{prefix}{subject}", body, settings.DEFAULT_FROM_EMAIL, [to])
    except RETRYABLE as exc:
        _retry_or_give_up(self, exc, partial(email_failure_record, to, kind=kind, subject=subject))
    except Exception as exc:
        logger.exception("E-mail %r to %s failed for good", kind, to)
        email_failure_record(
            to, kind=kind, subject=subject, error=repr(exc), attempts=self.request.retries + 1
        )
        raise


@shared_task
def send_digests_task() -> int:
    """Send the daily digest e-mails: one per user with notifications waiting for it."""
    return send_digests()
