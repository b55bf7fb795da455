"""Reminders: one periodic scan asks every registered scanner what is due and sends each
reminder once.

A scanner is a function `scanner(now) -> Iterable[Due]`, registered by its app in
`AppConfig.ready()` with `register_scanner()`; core never imports the apps above it
(shared/architecture.md). Scanners select only the deadlines inside their window, with one
query per kind (never one per row), so a scan stays cheap however many deadlines lie ahead.

Sending once: each (recipient, kind, object, deadline) is claimed by inserting a
`ReminderLog` row that points at its notification; the notifications whose rows this scan
inserted are kept and e-mailed, the others deleted, in the same transaction. A batch of
claims is one insert that skips keys already taken (ON CONFLICT DO NOTHING), so the unique
constraint settles two scans running at once (the second insert waits for the first
transaction, then skips) and a retried task. A moved deadline is a new key, so its
reminders fire again. A batch costs a few queries whatever its size (`notify_many`'s
steps): the reminders of a cold scan are made thousands at a time.

A repeated scan must stay cheap when tens of thousands of deadlines are pending and all
were reminded: scanners that meet many rows ask `sent_reminders()` (one query) which keys
are taken and skip those rows before building a `Due` at all.

Dates (a milestone's due date, a plan's end) become instants at 00:00 in the member's time
zone (`start_of_day`), so "14 days before" means the same wall-clock moment for everyone
of that member whichever server runs the scan.
"""

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import lazy

from .models import Notification, ReminderLog
from .notifications import Event, notification_emails_queue, notifications_build, notifications_save

logger = logging.getLogger(__name__)

# Due items handled per round trip: existing keys are fetched for a whole batch at once.
BATCH_SIZE = 2000


@dataclass
class Due:
    """One reminder a scanner found due: `kind` is the notification kind (what users choose
    e-mail delivery for); `stage` tells apart several reminders of one kind for the same
    deadline ("3 days before", "1 day before"), each sent once."""

    kind: str
    target: models.Model
    deadline: dt.datetime
    recipients: Iterable[Any]
    subject: Any  # a lazy string: rendered in each recipient's language
    template: str
    context: dict = field(default_factory=dict)
    url: str = ""
    stage: str = ""

    @property
    def log_kind(self) -> str:
        return f"{self.kind}:{self.stage}" if self.stage else self.kind


Scanner = Callable[[dt.datetime], Iterable[Due]]
_scanners: list[Scanner] = []


def register_scanner(fn: Scanner) -> Scanner:
    """Add a scanner (called from AppConfig.ready). Registering twice keeps one."""
    if fn not in _scanners:
        _scanners.append(fn)
    return fn


def registered_scanners() -> list[Scanner]:
    return list(_scanners)


# --- helpers for scanners -------------------------------------------------------------------


def start_of_day(day: dt.date, time_zone: str | None = None) -> dt.datetime:
    """00:00 of `day` in `time_zone` (the member's; the site's when not given)."""
    tz = zoneinfo.ZoneInfo(time_zone or settings.TIME_ZONE)
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def _interpolate(message, params: dict) -> str:
    return message % params


# A translated message with named placeholders, formatted only when it is rendered: notify()
# renders it once per recipient, in that person's language.
lazy_format = lazy(_interpolate, str)


def users_with_role(role: str, member_ids: Iterable[int]) -> dict[int, list]:
    """Active holders of a per-member role, by member id (one query)."""
    from ogp_portal.organisations.models import RoleGrant

    holders: dict[int, list] = {}
    grants = (
        RoleGrant.objects.filter(role=role, member_id__in=set(member_ids), user__is_active=True)
        .select_related("user")
        .order_by("member_id", "user_id")
    )
    for grant in grants:
        if grant.member_id is not None:  # always set: filtered on member_id above
            holders.setdefault(grant.member_id, []).append(grant.user)
    return holders


def cso_people(member_ids: Iterable[int]) -> dict[int, list]:
    """Active, approved members of the *verified* CSOs of each member (one query): the
    people who act for civil society there (the same test as is_cso_representative)."""
    from ogp_portal.organisations.choices import MembershipStatus, OrganisationKind
    from ogp_portal.organisations.models import OrganisationMembership

    people: dict[int, dict] = {}
    memberships = (
        OrganisationMembership.objects.filter(
            status=MembershipStatus.APPROVED,
            user__is_active=True,
            organisation__kind=OrganisationKind.CSO,
            organisation__verified_at__isnull=False,
            organisation__member_id__in=set(member_ids),
        )
        .select_related("user", "organisation")
        .order_by("user_id")
    )
    for membership in memberships:
        member_id = membership.organisation.member_id
        if member_id is not None:  # always set: filtered on member_id above
            people.setdefault(member_id, {})[membership.user_id] = membership.user
    return {member_id: list(users.values()) for member_id, users in people.items()}


def secretariat_users() -> list:
    from ogp_portal.organisations.choices import Role

    return list(
        get_user_model()
        .objects.filter(role_grants__role=Role.SECRETARIAT, is_active=True)
        .distinct()
        .order_by("pk")
    )


def unique_users(*groups: Iterable[Any]) -> list:
    """The people of several groups, each once, in order (a person may hold two roles)."""
    seen: dict[int, Any] = {}
    for group in groups:
        for user in group:
            if user is not None and user.pk not in seen:
                seen[user.pk] = user
    return list(seen.values())


def sent_reminders(
    kinds: Iterable[str], model: type[models.Model], start: dt.datetime, end: dt.datetime
) -> dict[tuple[str, int, dt.datetime], set[int]]:
    """Who already got each reminder of `kinds` about a `model` row whose deadline lies in
    [start, end]: {(log kind, target id, deadline): recipient ids}, in one query. A scanner
    skips a row when all its recipients are in there, so a scan where nothing new is due
    costs two queries per scanner, not work per row. (The claim in `_send_batch` still
    decides; this only saves work.)"""
    content_type = ContentType.objects.get_for_model(model)
    sent: dict[tuple[str, int, dt.datetime], set[int]] = {}
    # The deadline comes as text and each distinct value is parsed once: a scan reads up to
    # a hundred thousand rows but only a few thousand deadlines (days x time zones), and
    # the driver's per-row conversion cost more than all the rest of a repeated scan.
    deadlines: dict[str, dt.datetime] = {}
    rows = ReminderLog.objects.filter(
        kind__in=list(kinds), target_type=content_type, deadline__range=(start, end)
    ).values_list("kind", "target_id", Cast("deadline", models.TextField()), "recipient_id")
    for kind, target_id, text, recipient_id in rows.iterator(chunk_size=5000):
        if text not in deadlines:
            deadlines[text] = _parse_stored_datetime(text)
        sent.setdefault((kind, target_id, deadlines[text]), set()).add(recipient_id)
    return sent


def _parse_stored_datetime(text: str) -> dt.datetime:
    # PostgreSQL gives "2027-03-09 23:00:00+00"; SQLite stores UTC without an offset.
    value = parse_datetime(text)
    if value is None:
        raise ValueError(f"Unreadable stored datetime {text!r}")
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


# --- the scan -------------------------------------------------------------------------------


def scan(now: dt.datetime | None = None) -> int:
    """Run every registered scanner and send each due reminder once. Returns how many
    reminders this call sent (those another scan had already sent are not counted).

    A scanner that fails is logged and the others still run; the first error is raised at
    the end so the task shows as failed."""
    now = now or timezone.now()
    sent = 0
    errors: list[Exception] = []
    for scanner in registered_scanners():
        try:
            items = iter(scanner(now))
            while batch := list(islice(items, BATCH_SIZE)):
                sent += _send_batch(batch)
        except Exception as error:  # one app's bug must not stop the other reminders
            logger.exception("Reminder scanner %s failed", getattr(scanner, "__name__", scanner))
            errors.append(error)
    if errors:
        raise errors[0]
    return sent


def _key(user, due: Due, content_type_id: int) -> tuple:
    # Aware datetimes compare and hash by instant, whatever their zone.
    return (user.pk, due.log_kind, content_type_id, due.target.pk, due.deadline)


def _send_batch(batch: list[Due]) -> int:
    content_types = ContentType.objects.get_for_models(*{type(d.target) for d in batch})
    wanted = []
    people: dict[int, list] = {}  # scanners share one recipient list between many items
    for due in batch:
        content_type_id = content_types[type(due.target)].pk
        if id(due.recipients) not in people:
            people[id(due.recipients)] = unique_users(due.recipients)
        for user in people[id(due.recipients)]:
            wanted.append((user, due, _key(user, due, content_type_id)))
    if not wanted:
        return 0
    # One query finds the reminders already sent, so they are not claimed again; the
    # constraint still decides when two scans race.
    existing = set(
        ReminderLog.objects.filter(
            recipient_id__in={key[0] for _, _, key in wanted},
            kind__in={key[1] for _, _, key in wanted},
            target_type_id__in={key[2] for _, _, key in wanted},
            target_id__in={key[3] for _, _, key in wanted},
            deadline__gte=min(key[4] for _, _, key in wanted),
            deadline__lte=max(key[4] for _, _, key in wanted),
        ).values_list("recipient_id", "kind", "target_type_id", "target_id", "deadline")
    )
    todo: dict[int, tuple[Due, list]] = {}
    for user, due, key in wanted:
        if key not in existing:
            todo.setdefault(id(due), (due, []))[1].append((user, key))
    return _claim_and_notify(list(todo.values()))


def _claim_and_notify(todo: list[tuple[Due, list]]) -> int:
    """Make the batch's notifications, then claim every key with one insert of log rows
    that point at them, skipping keys already taken; the rows that now point at this scan's
    notifications are the claims it won. The notifications of claims it lost (another scan
    took the key meanwhile) are deleted, and only the won ones are e-mailed, all in one
    transaction, so a failure leaves neither logs nor notifications behind. A concurrent
    scan's insert of the same keys waits for this transaction, then skips them, and deletes
    its own notifications for them.

    Queries per batch, whatever its size: the preferences (one per kind), the notification
    and log inserts (one per thousand rows) and the read-back of the claims won."""
    if not todo:
        return 0
    events = [
        Event(
            [user for user, _key in claims],
            due.kind,
            due.subject,
            due.template,
            due.context,
            target=due.target,
            url=due.url,
        )
        for due, claims in todo
    ]
    with transaction.atomic():
        groups = notifications_build(events)
        created = notifications_save([n for group in groups for n in group])
        logs: list[ReminderLog] = []
        for (_due, claims), group in zip(todo, groups, strict=True):
            by_recipient = {n.recipient_id: n for n in group}
            logs.extend(
                ReminderLog(
                    recipient_id=key[0],
                    kind=key[1],
                    target_type_id=key[2],
                    target_id=key[3],
                    deadline=key[4],
                    notification_id=by_recipient[user.pk].pk,
                )
                for user, key in claims
            )
        # One order for every scan: two inserts of the same keys wait, never deadlock.
        logs.sort(
            key=lambda log: (
                log.recipient_id,
                log.kind,
                log.target_type_id,
                log.target_id,
                log.deadline.timestamp(),
            )
        )
        ReminderLog.objects.bulk_create(logs, batch_size=1000, ignore_conflicts=True)
        ids = {n.pk for n in created}
        if not ids:
            return 0
        won = ids & set(
            ReminderLog.objects.filter(
                notification_id__gte=min(ids), notification_id__lte=max(ids)
            ).values_list("notification_id", flat=True)
        )
        if len(won) < len(ids):
            Notification.objects.filter(pk__in=ids - won).delete()
        notification_emails_queue(n for n in created if n.pk in won)
    return len(won)


@shared_task
def scan_reminders_task() -> int:
    """Beat's periodic job: send every reminder that is due (once), then re-queue e-mails
    a crash left waiting."""
    from .notifications import requeue_stuck_emails

    try:
        return scan()
    finally:
        requeue_stuck_emails()
