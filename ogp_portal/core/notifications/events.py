"""notify(): each event becomes one Notification per recipient, in their language, e-mailed
after the commit by their preference."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.template.loader import render_to_string
from django.utils import translation

from ogp_portal.core.models import (
    Delivery,
    EmailStatus,
    Notification,
)

from .kinds import deliveries_for

# Notifications per INSERT (a reminder scan makes thousands at once).
INSERT_BATCH = 1000
# E-mails to queue after a commit: up to QUEUE_DIRECTLY one task each from the committing
# process; more in chunks of QUEUE_CHUNK ids that a worker turns into one task each.
QUEUE_DIRECTLY = 20
QUEUE_CHUNK = 500


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
    groups: list[list[Notification]] = []
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
    """Queue the e-mails of saved notifications that are due at once, through the outbox:
    written in the surrounding transaction, published after it commits (a rolled-back change
    sends nothing, and nobody waits on the broker)."""
    to_send = [n.pk for n in notifications if n.email_status == EmailStatus.PENDING]
    if to_send:
        _queue_emails(to_send)


def _queue_emails(notification_ids: list[int]) -> None:
    """One send task per notification (each retried and leased on its own). A few are
    queued here; many are handed to a worker in chunks that queue them there, so the
    transaction that made them (a reminder scan) writes few outbox rows."""
    from ogp_portal.core import outbox
    from ogp_portal.core.tasks import queue_notification_emails_task, send_notification_email_task

    if len(notification_ids) <= QUEUE_DIRECTLY:
        outbox.enqueue_many(send_notification_email_task, [(pk,) for pk in notification_ids])
        return
    chunks = range(0, len(notification_ids), QUEUE_CHUNK)
    outbox.enqueue_many(
        queue_notification_emails_task,
        [(notification_ids[start : start + QUEUE_CHUNK],) for start in chunks],
    )
