"""E-mailing one notification: lease, send, postpone, fail, requeue the stuck ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ogp_portal.core.models import (
    EmailFailure,
    EmailStatus,
    Notification,
)

from .events import _language_of, _queue_emails
from .kinds import get_kind
from .unsubscribe_links import unsubscribe_url

# While a notification waits to be e-mailed, `emailed_at` holds the lease of the attempt
# working on it (or, after a failure, the time its retry is due): no other attempt (a
# duplicate message, the outbox sweep) may take it before then, so it is never sent twice.
# Longer than any SMTP conversation (EMAIL_TIMEOUT bounds each socket operation).
SEND_LEASE = timedelta(minutes=5)


def _footer_context(user, kind: str) -> dict:
    return {
        "recipient": user,
        "kind": get_kind(kind),
        "site_url": settings.SITE_URL,
        "preferences_url": f"{settings.SITE_URL}{reverse('notifications:preferences')}",
        "inbox_url": f"{settings.SITE_URL}{reverse('notifications:inbox')}",
        "unsubscribe_url": unsubscribe_url(user, kind),
    }


def _message(user, subject: str, body: str, unsubscribe: str, connection=None):
    return EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
        headers={
            # RFC 2369 + RFC 8058: mail programs show an "unsubscribe" button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def build_notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail for one notification: its body plus why it came and how to stop it."""
    user = notification.recipient
    context = {**_footer_context(user, notification.kind), "notification": notification}
    with translation.override(_language_of(user)):
        body = render_to_string("emails/notification.txt", context)
    return _message(user, notification.subject, body, context["unsubscribe_url"])


def notification_email_send(notification_id: int) -> bool:
    """Send one notification's e-mail unless it was sent, skipped or is being sent.

    Claims the row with a conditional UPDATE (a lease in `emailed_at`), sends, then marks it
    SENT. A network error leaves it PENDING and propagates so the task retries. Returns
    False when there was nothing to do (already sent, vanished, taken by another attempt)."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING)
        .filter(Q(emailed_at__isnull=True) | Q(emailed_at__lte=now))
        .update(emailed_at=now + SEND_LEASE)
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not notification.recipient.email:
        Notification.objects.filter(pk=notification_id).update(
            email_status=EmailStatus.SKIPPED, emailed_at=None
        )
        return False
    build_notification_email(notification).send()
    Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING).update(
        email_status=EmailStatus.SENT, emailed_at=timezone.now()
    )
    return True


def notification_email_postpone(notification_id: int, retry_at: datetime) -> None:
    """A failed attempt: keep others off the row until its retry is due."""
    Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING).update(
        emailed_at=retry_at
    )


def notification_email_fail(notification_id: int, *, error: str, attempts: int) -> None:
    """Every retry failed: mark the notification FAILED and show it to the secretariat."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return
    with transaction.atomic():
        if Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING).update(
            email_status=EmailStatus.FAILED, emailed_at=None
        ):
            EmailFailure.objects.create(
                address=notification.recipient.email,
                kind=notification.kind,
                subject=notification.subject[:300],
                error=error,
                attempts=attempts,
                notification=notification,
            )


def email_failure_record(
    address: str, *, kind: str = "", subject: str = "", error: str, attempts: int = 1
) -> EmailFailure:
    """A plain e-mail (not a notification) could not be delivered."""
    return EmailFailure.objects.create(
        address=address, kind=kind, subject=subject[:300], error=error, attempts=attempts
    )


def requeue_stuck_emails(older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again the e-mails still waiting after `older_than` that no attempt holds (a
    crash between commit and queueing, a lost broker message). Safe to run at any time: the
    send claims each row, so a duplicate message sends nothing. Returns how many."""
    now = timezone.now()
    stuck = list(
        Notification.objects.filter(
            email_status=EmailStatus.PENDING, created_at__lt=now - older_than
        )
        .filter(Q(emailed_at__isnull=True) | Q(emailed_at__lte=now))
        .values_list("pk", flat=True)[:1000]
    )
    if stuck:
        _queue_emails(stuck)
    return len(stuck)
