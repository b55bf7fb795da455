"""The inbox: previews, read marks, and resolving failed e-mails."""

from __future__ import annotations

import re

from django.utils import timezone

from ogp_portal.core.audit import record_event
from ogp_portal.core.models import (
    EmailFailure,
    Notification,
)

# "Dear Ann," / "Bonjour Ann," alone on the first line: the e-mail's greeting.
_GREETING_LINE = re.compile(r"\A[^\n]{1,80},[ \t]*(?:\n|\Z)")


def notification_preview(body: str, recipient) -> str:
    """A notification's body for the inbox list, without the e-mail greeting it starts with.

    The apps' templates render one text for the inbox and the e-mail, greeting included;
    the list shows what happened instead. Only a first line that ends with a comma and
    names the recipient is dropped: any other body is shown whole."""
    match = _GREETING_LINE.match(body)
    name = str(recipient).strip()
    rest = body[match.end() :].strip() if match else ""
    if match and name and name in match.group(0) and rest:
        return rest
    return body


def notification_mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def email_failure_resolve(failure: EmailFailure, *, actor) -> EmailFailure:
    """The secretariat has dealt with a failed address (fixed it, contacted the person)."""
    now = timezone.now()
    if EmailFailure.objects.filter(pk=failure.pk, resolved_at__isnull=True).update(resolved_at=now):
        failure.resolved_at = now
        record_event(actor, "core.email_failure.resolved", failure)
    return failure
