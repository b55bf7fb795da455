"""The outbox: a task is written with the change it belongs to, published after the commit
or by the relay, each exactly once, and nobody waits on a broker that does not answer."""

import re
import socket
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.db import transaction
from django.utils import timezone

from ogp_portal.celery import app
from ogp_portal.core import outbox
from ogp_portal.core.models import EmailStatus, Notification, OutboxMessage
from ogp_portal.core.notifications import notify
from ogp_portal.core.tasks import (
    queue_notification_emails_task,
    relay_outbox_task,
    send_notification_email_task,
)
from tests.conftest import wait_for
from tests.factories import UserFactory

KIND = "test.event"
BODY = "emails/notification.txt"
SEND = send_notification_email_task.name


def event(user):
    return notify([user], KIND, "Answered", BODY, {"notification": {"body": "Read it."}})


@pytest.fixture
def broker_at():
    """Point the outbox's publishing at another broker URL for one test; afterwards the
    run's broker again, and this process tries right after a commit again."""
    app.pool  # noqa: B018  (made now, on the run's broker: the switch below must not reach it)
    before = app.conf.broker_write_url

    def point(url):
        app.conf.broker_write_url = url

    yield point
    app.conf.broker_write_url = before
    outbox._paused_until = 0.0


@pytest.fixture
def paused():
    """No try right after a commit: the rows wait for the relay (as when the broker was down)."""
    outbox._paused_until = float("inf")
    yield
    outbox._paused_until = 0.0


@pytest.fixture
def task_runs():
    """Counts the tasks a worker in this process finished, by name."""
    runs: Counter[str] = Counter()
    lock = threading.Lock()

    def on_postrun(sender=None, **_kwargs):
        with lock:
            runs[getattr(sender, "name", "")] += 1

    task_postrun.connect(on_postrun, weak=False)
    # Messages earlier tests left in this run's queue are run first (and do nothing): wait
    # until the worker is idle, then count from zero.
    seen = -1
    while seen != sum(runs.values()):
        seen = sum(runs.values())
        time.sleep(0.5)
    runs.clear()
    yield runs
    task_postrun.disconnect(on_postrun)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- written with the change -------------------------------------------------------------------


@pytest.mark.django_db
def test_an_email_is_written_to_the_outbox_in_the_changes_transaction(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        [notification] = event(user)
        # Before the commit the row is there, in the same transaction, not yet published
        [row] = OutboxMessage.objects.all()
    assert row.task == SEND
    assert row.args == [notification.pk]
    assert row.published_at is None
    assert row.available_at <= timezone.now()
    assert len(callbacks) == 1  # one try to publish, after the commit


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_message(django_capture_on_commit_callbacks):
    user = UserFactory()

    @transaction.atomic
    def change_that_fails():
        event(user)
        raise RuntimeError("the change fails after its e-mail was queued")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        change_that_fails()
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert callbacks == []


@pytest.mark.django_db
def test_many_emails_are_handed_over_in_chunks():
    people = UserFactory.create_batch(25)
    notify(people, KIND, "Answered", BODY, {"notification": {"body": "Read it."}})
    [row] = OutboxMessage.objects.all()
    assert row.task == queue_notification_emails_task.name
    assert sorted(row.args[0]) == sorted(Notification.objects.values_list("pk", flat=True))


# --- claimed once --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_row_is_claimed_by_one_publisher_until_its_lease_ends(paused):
    user = UserFactory()
    event(user)
    rows = OutboxMessage.objects.all()

    first = outbox._claim(rows)
    second = outbox._claim(rows)

    assert [row.attempts for row in first] == [1]
    assert second == []  # the first publisher holds it
    # Given the first publisher died holding it, when its lease has ended, it is due again
    OutboxMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    assert [row.attempts for row in outbox._claim(rows)] == [2]


@pytest.mark.django_db
def test_the_relay_publishes_each_row_once_and_forgets_old_ones(paused):
    users = UserFactory.create_batch(3)
    for user in users:
        event(user)
    assert OutboxMessage.objects.filter(published_at=None).count() == 3

    assert outbox.relay() == 3
    assert outbox.relay() == 0
    assert not OutboxMessage.objects.filter(published_at=None).exists()
    OutboxMessage.objects.update(published_at=timezone.now() - outbox.KEEP_PUBLISHED * 2)
    outbox.relay()
    assert not OutboxMessage.objects.exists()


# --- the broker does not answer --------------------------------------------------------------


@pytest.mark.django_db
def test_a_refusing_broker_costs_the_committing_request_no_time(broker_at):
    broker_at(f"redis://127.0.0.1:{closed_port()}/0")
    user = UserFactory()

    started = time.monotonic()
    with transaction.atomic():
        event(user)
    [row] = OutboxMessage.objects.all()
    published = outbox.publish_soon([row.pk])
    elapsed = time.monotonic() - started

    assert published == 0
    assert elapsed < 1.0
    row.refresh_from_db()
    assert row.published_at is None
    assert row.available_at <= timezone.now()  # due at once for the relay
    assert "111" in row.error or "refused" in row.error.lower()
    # This process now leaves the broker alone for a while: the next try costs nothing
    started = time.monotonic()
    assert outbox.publish_soon([row.pk]) == 0
    assert time.monotonic() - started < 0.05
    assert OutboxMessage.objects.get().attempts == 1


@pytest.mark.django_db
def test_a_broker_that_never_answers_is_given_up_on_within_a_second(broker_at):
    # A socket that accepts connections and never answers (a hung or unreachable server)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        broker_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        user = UserFactory()
        event(user)
        row = OutboxMessage.objects.get()

        started = time.monotonic()
        assert outbox.publish_soon([row.pk]) == 0
        assert time.monotonic() - started < 1.0
    assert OutboxMessage.objects.get().published_at is None


@pytest.mark.django_db
def test_the_relay_fails_loudly_and_keeps_the_rows_when_the_broker_is_down(broker_at, paused):
    broker_at(f"redis://127.0.0.1:{closed_port()}/0")
    event(UserFactory())
    with pytest.raises(Exception, match="111|refused"):
        outbox.relay()
    row = OutboxMessage.objects.get()
    assert row.published_at is None
    assert row.claim is None
    assert row.available_at <= timezone.now()


# --- through a real worker -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_relay_delivers_through_a_real_worker_exactly_once(
    celery_worker_thread, task_runs, paused
):
    # Given an e-mail committed while nothing could publish it
    user = UserFactory(email="reader@example.org")
    with transaction.atomic():
        [notification] = event(user)
    time.sleep(0.5)
    assert mail.outbox == []
    assert task_runs[SEND] == 0

    # When beat's relay task runs in the worker, twice
    assert relay_outbox_task.delay().get(timeout=30) == 1
    assert relay_outbox_task.delay().get(timeout=30) == 0

    # Then the worker sends it, once
    wait_for(lambda: task_runs[SEND] == 1)
    wait_for(lambda: Notification.objects.get().email_status == EmailStatus.SENT)
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]

    # A publisher that died after sending and before stamping the row sends it again once the
    # lease ends: the task runs a second time and sends nothing.
    OutboxMessage.objects.update(published_at=None, available_at=timezone.now())
    assert outbox.relay() == 1
    wait_for(lambda: task_runs[SEND] == 2)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_the_try_after_commit_reaches_a_real_worker_without_the_relay(
    celery_worker_thread, task_runs
):
    user = UserFactory(email="quick@example.org")
    with transaction.atomic():
        event(user)
    wait_for(lambda: task_runs[SEND] == 1)
    assert OutboxMessage.objects.get().published_at is not None
    assert len(mail.outbox) == 1


def test_beat_runs_the_relay_every_few_seconds(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["relay-outbox"]
    assert entry["task"] == relay_outbox_task.name
    assert 0 < entry["schedule"] <= 10


def test_only_the_outbox_talks_to_the_broker():
    """No code publishes a task itself (`.delay()`, `.apply_async()`, `send_task`): a publish
    outside the outbox would make its request wait on the broker, and be lost with it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    publish = re.compile(r"\.(delay|apply_async|send_task)\(")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for app in ("ogp_portal", "plans", "commitments", "consultations", "forums", "records")
        for path in sorted((root / app).rglob("*.py"))
        if path.name != "outbox.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if publish.search(line)
    ]
    assert offenders == []
