"""The transactional outbox: how a change hands a Celery task over without waiting on the
broker (issue #14, item 2).

A service calls `enqueue(task, *args)` inside its transaction. That writes an OutboxMessage
row, nothing else: the row commits with the change or rolls back with it, so a committed
change always gets its task and a rolled-back one never does, whether the broker is up or not.

Two publishers take rows to the broker, each claiming them first by a conditional UPDATE
(`published_at IS NULL AND available_at <= now` → `claim = token, available_at = now + lease`),
so two of them never both take a row while its lease runs:
- right after the commit, the same process tries the rows it just wrote, with a very short
  timeout and a total budget well under a second; when the broker does not answer it gives up
  and stops trying for OPPORTUNISTIC_PAUSE seconds, so a request never waits on a dead broker;
- `relay_outbox_task`, run by beat every few seconds (CELERY_BEAT_SCHEDULE), publishes
  whatever is left: rows whose first try failed, and rows of a publisher that died holding a
  claim (its lease ends and the row is due again).

A row is stamped `published_at` after the broker took its message. A publisher dying between
the two sends the message again after the lease: every task published this way must be
idempotent (the e-mail lease `emailed_at`, the export job's queued → running claim), so a
repeated message does nothing twice. Published rows are deleted after KEEP_PUBLISHED.
"""

import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from celery import Task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Connect and socket timeout (seconds) of the broker connection the request process uses
# right after commit; the whole try stops after OPPORTUNISTIC_BUDGET seconds.
OPPORTUNISTIC_TIMEOUT = 0.25
OPPORTUNISTIC_BUDGET = 0.5
# At most this many rows are published right after a commit (a change notifying thousands
# leaves the rest to the relay, so the request stays quick).
OPPORTUNISTIC_LIMIT = 20
# After a failed try, this process leaves publishing to the relay for this many seconds.
OPPORTUNISTIC_PAUSE = 5.0
# The relay's timeouts: it runs in a worker, which may wait a little longer.
RELAY_TIMEOUT = 5.0
RELAY_BATCH = 500
RELAY_BUDGET = 30.0
# How long a claim holds a row: longer than any publish can take, so a live publisher never
# loses its row to another; short enough that a dead one's rows are soon published anyway.
LEASE = timedelta(seconds=60)
# Published rows are kept this long (to answer "was it sent?"), then deleted by the relay.
KEEP_PUBLISHED = timedelta(days=2)

# monotonic() before which this process does not try to publish right after a commit.
_paused_until = 0.0


def task_name(task: Task | str) -> str:
    return task if isinstance(task, str) else str(task.name)


def enqueue(task: Task | str, *args: Any) -> OutboxMessage:
    """Write one task for the broker into the current transaction (arguments JSON-serialisable:
    ids and primitives); it is published once the transaction commits. Outside a transaction
    the row commits at once and is published at once."""
    return enqueue_many(task, [args])[0]


def enqueue_many(task: Task | str, calls: Iterable[Sequence[Any]]) -> list[OutboxMessage]:
    """`enqueue` for many calls of one task: one INSERT, one try after commit."""
    name = task_name(task)
    now = timezone.now()
    rows = [OutboxMessage(task=name, args=list(args), available_at=now) for args in calls]
    if not rows:
        return []
    rows = OutboxMessage.objects.bulk_create(rows)
    if all(row.pk is not None for row in rows):
        pks = [row.pk for row in rows[:OPPORTUNISTIC_LIMIT]]
        # robust: a publish that fails must never fail the request whose change committed.
        transaction.on_commit(lambda: publish_soon(pks), robust=True)
    return rows


def publish_soon(pks: list[int]) -> int:
    """Right after a commit: publish these rows if the broker answers at once; otherwise
    leave them to the relay (and stop trying in this process for OPPORTUNISTIC_PAUSE s).
    Never raises; returns how many were published."""
    global _paused_until
    if time.monotonic() < _paused_until:
        return 0
    try:
        rows = _claim(OutboxMessage.objects.filter(pk__in=pks))
        published = _publish(rows, timeout=OPPORTUNISTIC_TIMEOUT, budget=OPPORTUNISTIC_BUDGET)
    except Exception:
        logger.warning("Outbox: publishing after commit failed; the relay will.", exc_info=True)
        _paused_until = time.monotonic() + OPPORTUNISTIC_PAUSE
        return 0
    if published < len(rows):
        _paused_until = time.monotonic() + OPPORTUNISTIC_PAUSE
    return published


def publish(rows: Iterable[OutboxMessage]) -> int:
    """Publish these committed rows now, with the relay's patience (for a worker that wrote
    many rows and has no request to keep quick). Rows another publisher holds are left to it.
    Raises when the broker cannot be reached; returns how many were published."""
    claimed = _claim(OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]))
    return _publish(claimed, timeout=RELAY_TIMEOUT, budget=RELAY_BUDGET, raise_errors=True)


def relay(*, batch: int = RELAY_BATCH, budget: float = RELAY_BUDGET) -> int:
    """Publish every due row (the beat task's body), a batch at a time, for at most `budget`
    seconds; delete rows published longer than KEEP_PUBLISHED ago. Returns how many were
    published. Raises when the broker cannot be reached (the rows stay for the next run)."""
    started = time.monotonic()
    published = 0
    while time.monotonic() - started < budget:
        now = timezone.now()
        due = OutboxMessage.objects.filter(published_at__isnull=True, available_at__lte=now)
        pks = list(due.order_by("available_at", "pk").values_list("pk", flat=True)[:batch])
        if not pks:
            break
        rows = _claim(OutboxMessage.objects.filter(pk__in=pks))
        left = budget - (time.monotonic() - started)
        done = _publish(rows, timeout=RELAY_TIMEOUT, budget=left, raise_errors=True)
        published += done
        if done < len(rows):
            break
    OutboxMessage.objects.filter(published_at__lt=timezone.now() - KEEP_PUBLISHED).delete()
    return published


def _claim(candidates: Any) -> list[OutboxMessage]:
    """Take the due, unpublished rows among `candidates` by one conditional UPDATE: rows
    another publisher claimed meanwhile (and whose lease still runs) are not taken."""
    now = timezone.now()
    token = uuid.uuid4()
    claimed = candidates.filter(published_at__isnull=True, available_at__lte=now).update(
        claim=token, available_at=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return []
    return list(OutboxMessage.objects.filter(claim=token).order_by("pk"))


def _publish(
    rows: list[OutboxMessage], *, timeout: float, budget: float, raise_errors: bool = False
) -> int:
    """Send the claimed rows on one fresh broker connection with these timeouts and no
    retries, stop when `budget` seconds are spent, stamp the sent ones published and give
    the others back (due at once, with the error). Returns how many were sent."""
    from ogp_portal.celery import app

    if not rows:
        return 0
    deadline = time.monotonic() + budget
    sent: list[int] = []
    error = ""
    try:
        with app.connection_for_write(
            connect_timeout=timeout,
            transport_options={
                # kombu: give up connecting at once instead of retrying (its default retries
                # for ever); redis-py: connect and read timeouts.
                "max_retries": 0,
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
            },
        ) as connection:
            for row in rows:
                if time.monotonic() > deadline:
                    error = "Out of time; left for the relay."
                    break
                app.send_task(
                    row.task, args=row.args, connection=connection, retry=False, ignore_result=True
                )
                sent.append(row.pk)
    except Exception as exc:
        error = repr(exc)
        if raise_errors:
            _settle(rows, sent, error)
            raise
        logger.warning("Outbox: broker unreachable (%s); %d left for the relay.", exc, len(rows))
    _settle(rows, sent, error)
    return len(sent)


def _settle(rows: list[OutboxMessage], sent: list[int], error: str) -> None:
    now = timezone.now()
    if sent:
        OutboxMessage.objects.filter(pk__in=sent).update(published_at=now, claim=None, error="")
    unsent = [row.pk for row in rows if row.pk not in set(sent)]
    if unsent:
        OutboxMessage.objects.filter(pk__in=unsent, published_at__isnull=True).update(
            available_at=now, claim=None, error=error[:2000]
        )
