"""One notification service every app calls: notify(recipients, kind, subject, template, ctx).

Each event becomes one `Notification` per recipient, rendered in the recipient's language:
it shows in their inbox and, by their preference for that kind, is e-mailed at once (a Celery
task queued after the transaction commits, so a rolled-back change never sends mail), in the
daily digest, or not at all. `notify_many()` does the same for many events at once, in a
few queries (the reminder scan); `notifications_build` / `notifications_save` /
`notification_emails_queue` are its steps, for a caller that must act between them.

Apps declare the kinds they send with `register_kind()` from their `AppConfig.ready`; the
preferences page lists them. This module never imports an app back.

Sending e-mail lives here too (the tasks in `tasks.py` only load and call):
`notification_email_send`, `send_digests` and `requeue_stuck_emails`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections, models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .audit import record_event
from .models import (
    Delivery,
    EmailFailure,
    EmailStatus,
    Notification,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# While a notification waits to be e-mailed, `emailed_at` holds the lease of the attempt
# working on it (or, after a failure, the time its retry is due): no other attempt (a
# duplicate message, the outbox sweep) may take it before then, so it is never sent twice.
# Longer than any SMTP conversation (EMAIL_TIMEOUT bounds each socket operation).
SEND_LEASE = timedelta(minutes=5)
# Notifications per INSERT (a reminder scan makes thousands at once).
INSERT_BATCH = 1000
# E-mails to queue after a commit: up to QUEUE_DIRECTLY one task each from the committing
# process; more in chunks of QUEUE_CHUNK ids that a worker turns into one task each.
QUEUE_DIRECTLY = 20
QUEUE_CHUNK = 500


# --- Kinds -----------------------------------------------------------------------------------


# Who a kind concerns, so the preferences page shows people only the kinds they can get.
AUDIENCE_EVERYONE = "everyone"
AUDIENCE_CSO = "cso"
AUDIENCE_STAFF = "staff"  # people with a role for a member (civil servants, leads, …)
AUDIENCE_ORGANISATION_ADMINS = "organisation admins"
AUDIENCES = (AUDIENCE_EVERYONE, AUDIENCE_CSO, AUDIENCE_STAFF, AUDIENCE_ORGANISATION_ADMINS)


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any  # a (lazy) translated string
    description: Any = ""
    default: str = Delivery.IMMEDIATE
    audience: str = AUDIENCE_EVERYONE


_KINDS: dict[str, Kind] = {}
# The unsubscribe link of the daily digest e-mail names this pseudo-kind: "no more digests".
DIGEST_KIND = "digest"


def _check_audience(key: str, audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r} for notification kind {key!r}")


def register_kind(
    key: str,
    label: Any,
    description: Any = "",
    default: str = Delivery.IMMEDIATE,
    audience: str = AUDIENCE_EVERYONE,
) -> Kind:
    """Declare a notification kind (call from AppConfig.ready). Registering the same key
    again replaces it, so a reloaded app does not fail. `audience` says who the kind
    concerns (one of AUDIENCES)."""
    if default not in Delivery.values:
        raise ValueError(f"Unknown delivery {default!r} for notification kind {key!r}")
    _check_audience(key, audience)
    kind = Kind(
        key=key, label=label, description=description, default=Delivery(default), audience=audience
    )
    _KINDS[key] = kind
    return kind


def kinds() -> list[Kind]:
    """Every registered kind, in the order they were registered."""
    return list(_KINDS.values())


def get_kind(key: str) -> Kind:
    """The registered kind, or a stand-in for one nobody registered (sent immediately)."""
    if key in _KINDS:
        return _KINDS[key]
    if key == DIGEST_KIND:
        return Kind(key=key, label=_("Daily digest"), default=Delivery.DIGEST)
    return Kind(key=key, label=key)


def deliveries_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's delivery choice for `kind` (one query; the kind's default without a row)."""
    user_ids = list(user_ids)
    default = get_kind(kind).default
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, default) for pk in user_ids}


def preferences_for(user) -> dict[str, str]:
    """The user's delivery choice for every registered kind (one query)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: chosen.get(kind.key, kind.default) for kind in kinds()}


def preferences_set(user, choices: dict[str, str]) -> None:
    """Store the user's choices for the given kinds; kinds not named keep theirs."""
    rows = [
        NotificationPreference(user=user, kind=kind, delivery=Delivery(delivery))
        for kind, delivery in choices.items()
    ]
    NotificationPreference.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["delivery", "updated_at"],
    )


# --- notify ----------------------------------------------------------------------------------


def _language_of(user) -> str:
    return getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE


def _render_subject(subject: Any) -> str:
    """`subject` may be a lazy translation, or a lazily formatted one (e.g. reminders'
    `lazy_format`): str() inside the recipient's language renders it in that language.
    It is never used as a format string here: it may hold user text (a proposal title)."""
    return " ".join(str(subject).split())[:300]  # a header line: no line breaks


@dataclass(frozen=True)
class Event:
    """One event to tell people about: the arguments of notify(), for notify_many()."""

    recipients: Iterable[Any]
    kind: str
    subject: Any
    template: str
    context: dict
    target: models.Model | None = None
    url: str = ""


def notify(
    recipients: Iterable,
    kind: str,
    subject: Any,
    template: str,
    context: dict,
    *,
    target: models.Model | None = None,
    url: str = "",
) -> list[Notification]:
    """Tell each recipient about an event of `kind`: one inbox entry each, rendered in their
    language, e-mailed by their preference once the surrounding transaction commits.

    `subject` may be a lazy translation (or a lazily formatted one); `template` renders the
    body with `context` plus `recipient` and `site_url`.
    `target` is the record the event is about, `url` the portal path to open it.
    Queries: one for the preferences and one insert, whatever the number of recipients."""
    event = Event(recipients, kind, subject, template, context, target=target, url=url)
    return notify_many([event])[0]


def notify_many(events: Sequence[Event]) -> list[list[Notification]]:
    """notify() for many events at once (a reminder scan sends thousands): the
    notifications of each event, in its order. Queries: one for the preferences per kind
    and one insert per INSERT_BATCH notifications, whatever the number of events."""
    groups = notifications_build(events)
    created = notifications_save([n for group in groups for n in group])
    notification_emails_queue(created)
    return groups


def notifications_build(events: Sequence[Event]) -> list[list[Notification]]:
    """The unsaved notifications of each event (one per recipient, each recipient once):
    subject and body in the recipient's language, e-mail status by their preference.

    The subject depends on the language only, so it is rendered once per event and
    language; the body may name the recipient, so it is rendered for each. One query per
    kind for the preferences."""
    people = [list({user.pk: user for user in event.recipients}.values()) for event in events]
    user_ids: dict[str, set[int]] = {}
    for event, users in zip(events, people, strict=True):
        user_ids.setdefault(event.kind, set()).update(user.pk for user in users)
    deliveries = {kind: deliveries_for(ids, kind) for kind, ids in user_ids.items() if ids}
    groups = []
    for event, users in zip(events, people, strict=True):
        if not users:
            groups.append([])
            continue
        target_type = (
            ContentType.objects.get_for_model(event.target) if event.target is not None else None
        )
        by_language: dict[str, list] = {}
        for user in users:
            by_language.setdefault(_language_of(user), []).append(user)
        built: dict[int, Notification] = {}
        for language, speakers in by_language.items():
            with translation.override(language):
                subject = _render_subject(event.subject)
                for user in speakers:
                    context = {**event.context, "recipient": user, "site_url": settings.SITE_URL}
                    built[user.pk] = Notification(
                        recipient=user,
                        kind=event.kind,
                        subject=subject,
                        body=render_to_string(event.template, context).strip(),
                        url=event.url[:500],
                        target_type=target_type,
                        target_id=event.target.pk if event.target is not None else None,
                        email_status=_email_status(user, deliveries[event.kind][user.pk]),
                    )
        groups.append([built[user.pk] for user in users])
    return groups


def _email_status(user, delivery: str) -> str:
    if not user.email or not user.is_active or delivery == Delivery.OFF:
        return EmailStatus.SKIPPED
    if delivery == Delivery.DIGEST:
        return EmailStatus.DIGEST
    return EmailStatus.PENDING


def notifications_save(notifications: list[Notification]) -> list[Notification]:
    """Insert built notifications, INSERT_BATCH per query; each gets its id."""
    if not notifications:
        return []
    if not connections[Notification.objects.db].features.can_return_rows_from_bulk_insert:
        for notification in notifications:  # a backend that cannot return ids from a bulk insert
            notification.save()
        return notifications
    return Notification.objects.bulk_create(notifications, batch_size=INSERT_BATCH)


def notification_emails_queue(notifications: Iterable[Notification]) -> None:
    """Queue the e-mails of saved notifications that are due at once, when the surrounding
    transaction commits (a rolled-back change sends nothing)."""
    to_send = [n.pk for n in notifications if n.email_status == EmailStatus.PENDING]
    if to_send:
        transaction.on_commit(lambda: _queue_emails(to_send))


def _queue_emails(notification_ids: list[int]) -> None:
    """One send task per notification (each retried and leased on its own). A few are
    queued here; many are handed to a worker in chunks that queue them there, so the
    process that made them (a reminder scan) does not wait on the broker for each."""
    from .tasks import queue_notification_emails_task, send_notification_email_task

    if len(notification_ids) <= QUEUE_DIRECTLY:
        for pk in notification_ids:
            send_notification_email_task.delay(pk)
        return
    for start in range(0, len(notification_ids), QUEUE_CHUNK):
        queue_notification_emails_task.delay(notification_ids[start : start + QUEUE_CHUNK])


# --- Unsubscribe links -----------------------------------------------------------------------


def unsubscribe_token(user, kind: str) -> str:
    """A signed token naming the user and the kind; it does not expire (RFC 8058 links must
    keep working in old e-mails) and changes nothing without the user's later POST."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) of a token; raises signing.BadSignature when it was tampered with."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not data.get("k"):
        raise signing.BadSignature("Malformed unsubscribe token")
    return data["u"], str(data["k"])


def unsubscribe_url(user, kind: str) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe(user_id: int, kind: str) -> None:
    """Stop e-mails of `kind` for this user (the inbox still gets them). The digest's own
    link (kind DIGEST_KIND) stops every kind the user gets in the digest."""
    if kind != DIGEST_KIND:
        NotificationPreference.objects.update_or_create(
            user_id=user_id, kind=kind, defaults={"delivery": Delivery.OFF}
        )
        return
    in_digest = {kind.key for kind in kinds() if kind.default == Delivery.DIGEST}
    rows = NotificationPreference.objects.filter(user_id=user_id)
    for key, delivery in rows.values_list("kind", "delivery"):
        if delivery == Delivery.DIGEST:
            in_digest.add(key)
        else:
            in_digest.discard(key)
    # Notifications waiting for the digest stay in the inbox only.
    waiting = Notification.objects.filter(recipient_id=user_id, email_status=EmailStatus.DIGEST)
    in_digest.update(waiting.values_list("kind", flat=True).distinct())
    with transaction.atomic():
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user_id=user_id, kind=k, delivery=Delivery.OFF)
                for k in in_digest
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["delivery", "updated_at"],
        )
        waiting.update(email_status=EmailStatus.SKIPPED)


# --- Inbox -----------------------------------------------------------------------------------

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


# --- Sending ---------------------------------------------------------------------------------


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


# --- Daily digest ----------------------------------------------------------------------------


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
