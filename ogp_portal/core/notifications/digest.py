"""The daily digest: one e-mail per person for the kinds they chose to receive daily."""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from ogp_portal.core.models import (
    EmailStatus,
    Notification,
)

from .events import _language_of
from .kinds import DIGEST_KIND, get_kind
from .sending import _footer_context, _message, email_failure_record
from .unsubscribe_links import unsubscribe_url

logger = logging.getLogger(__name__)


def digest_send(user, *, now: datetime | None = None, connection=None) -> int:
    """Send one user their waiting digest notifications in one e-mail; returns how many.

    The rows are claimed first (DIGEST → SENT with this run's time stamp), so a second run,
    even at the same moment, finds nothing to send. If making or sending the e-mail fails
    for any reason (the network, an address the mail library refuses, a template error) they
    go back to DIGEST for the next run, the failure is shown to the secretariat, and 0 is
    returned: one user's problem never stops the others' digests. `connection` is an open
    mail connection shared by the run; after a failure it is closed, and the next send opens
    a fresh one."""
    now = now or timezone.now()
    stamp = timezone.now()  # unique per claim: tells this run's rows from another's
    claimed = Notification.objects.filter(
        recipient=user, email_status=EmailStatus.DIGEST, created_at__lte=now
    ).update(email_status=EmailStatus.SENT, emailed_at=stamp)
    if not claimed:
        return 0
    mine = Notification.objects.filter(
        recipient=user, email_status=EmailStatus.SENT, emailed_at=stamp
    )
    subject = ""
    try:
        items = list(mine.order_by("created_at", "pk"))
        kind_keys = sorted({item.kind for item in items})
        with translation.override(_language_of(user)):
            context = {
                **_footer_context(user, DIGEST_KIND),
                "notifications": items,
                "kinds": [get_kind(key) for key in kind_keys],
                "unsubscribe_links": [
                    (get_kind(key), unsubscribe_url(user, key)) for key in kind_keys
                ],
            }
            subject = ngettext(
                "Your daily summary: %(count)d notification",
                "Your daily summary: %(count)d notifications",
                len(items),
            ) % {"count": len(items)}
            body = render_to_string("emails/digest.txt", context)
        # The header's one-click link stops the digest as a whole (every kind in it).
        message = _message(user, subject, body, context["unsubscribe_url"], connection=connection)
        if connection is not None:
            connection.open()  # nothing when the run's session is open; reopens after a failure
        message.send()
    except Exception as exc:  # any failure: keep the rows for the next run, go on with others
        mine.update(email_status=EmailStatus.DIGEST, emailed_at=None)
        email_failure_record(
            user.email, kind=DIGEST_KIND, subject=subject, error=repr(exc), attempts=1
        )
        logger.warning("Digest e-mail to user %s failed: %r", user.pk, exc, exc_info=True)
        if connection is not None:
            # The session may be broken half-way through a conversation; closing can fail too.
            with suppress(Exception):
                connection.close()
        return 0
    return len(items)


def send_digests(now: datetime | None = None) -> int:
    """Send every waiting digest (one e-mail per user); returns how many e-mails went out."""
    now = now or timezone.now()
    user_ids = (
        Notification.objects.filter(email_status=EmailStatus.DIGEST, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    users = get_user_model().objects.filter(pk__in=user_ids).order_by("pk")
    sent = 0
    # One mail connection for the run: opened by the first send and kept open (the SMTP
    # backend closes a session only if send_messages opened it); digest_send closes it after
    # a failure and the next send opens a new one.
    connection = get_connection()
    try:
        for user in users.iterator():
            if not user.email or not user.is_active:
                Notification.objects.filter(recipient=user, email_status=EmailStatus.DIGEST).update(
                    email_status=EmailStatus.SKIPPED
                )
                continue
            if digest_send(user, now=now, connection=connection):
                sent += 1
    finally:
        with suppress(Exception):  # quitting a session that broke may fail; nothing is lost
            connection.close()
    return sent
