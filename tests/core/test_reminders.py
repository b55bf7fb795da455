"""The reminder scan: each reminder is sent once, even when two scans run at once or the task
is queued twice; the scan's cost does not grow with deadlines that are far away."""

import datetime as dt
import threading
import time
import zoneinfo
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commitments.choices import MilestoneStatus
from commitments.models import Milestone
from ogp_portal.core.models import Delivery, EmailStatus, Notification, ReminderLog
from ogp_portal.core.notifications import preferences_set
from ogp_portal.core.reminders import scan, scan_reminders_task, start_of_day
from ogp_portal.organisations.choices import Role
from tests.conftest import wait_for
from tests.factories import (
    CommitmentFactory,
    MemberFactory,
    MilestoneFactory,
    PlanFactory,
    UserFactory,
    grant,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def running_commitment(member):
    plan = PlanFactory(
        member=member,
        status="implementation",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2028, 12, 31),
    )
    return CommitmentFactory(plan=plan)


def leads(member, n):
    users = [UserFactory(email=f"lead{i}@example.org") for i in range(n)]
    for user in users:
        grant(user, Role.COMMITMENT_LEAD, member)
    return users


def notified(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_a_second_scan_sends_nothing_again(member):
    # Given a milestone due in 5 days and two commitment leads
    commitment = running_commitment(member)
    leads(member, 2)
    due_on = dt.date(2027, 3, 10)
    MilestoneFactory(commitment=commitment, due_date=due_on)
    now = start_of_day(due_on, "Europe/Paris") - dt.timedelta(days=5)
    # When the scan runs twice
    first, second = scan(now), scan(now + dt.timedelta(minutes=5))
    # Then each lead got one reminder, the first time only
    assert (first, second) == (2, 0)
    assert notified("milestone.due") == ["lead0@example.org", "lead1@example.org"]
    assert ReminderLog.objects.count() == 2
    # Each record of a sent reminder points at the inbox entry it made
    assert set(ReminderLog.objects.values_list("notification__kind", flat=True)) == {
        "milestone.due"
    }


def test_a_person_who_switched_email_off_still_sees_the_reminder_in_the_inbox(member):
    commitment = running_commitment(member)
    (quiet,) = leads(member, 1)
    preferences_set(quiet, {"milestone.due": Delivery.OFF})
    due_on = dt.date(2027, 3, 10)
    MilestoneFactory(commitment=commitment, due_date=due_on)
    scan(start_of_day(due_on, "Europe/Paris") - dt.timedelta(days=1))
    note = Notification.objects.get(recipient=quiet, kind="milestone.due")
    assert note.email_status == EmailStatus.SKIPPED
    assert note.url == commitment.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_the_task_queued_twice_on_a_worker_emails_each_lead_once(celery_worker_thread):
    # Given a milestone due in 3 days (real clock: the task scans "now") and two leads
    member = MemberFactory(slug="member-a")
    commitment = running_commitment(member)
    leads(member, 2)
    MilestoneFactory(commitment=commitment, due_date=timezone.localdate() + dt.timedelta(days=3))
    # When beat (or a retry) queues the scan twice
    first = scan_reminders_task.delay()
    second = scan_reminders_task.delay()
    # Then each lead gets one inbox entry and one e-mail
    wait_for(lambda: first.ready() and second.ready())
    assert sorted([first.get(), second.get()]) == [0, 2]
    wait_for(lambda: len(mail.outbox) == 2)
    time.sleep(0.5)
    assert sorted(m.to[0] for m in mail.outbox) == ["lead0@example.org", "lead1@example.org"]
    assert notified("milestone.due") == ["lead0@example.org", "lead1@example.org"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    # The SQLite test database is shared in-memory, where a second writer fails at once
    # ("table is locked") instead of waiting; the file database the portal runs on waits.
    reason="real concurrent writers need PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_scans_running_at_once_send_each_reminder_once(celery_worker_thread):
    # Given 20 milestones due soon and three leads: 60 reminders to send
    member = MemberFactory(slug="member-a")
    commitment = running_commitment(member)
    leads(member, 3)
    due_on = dt.date(2027, 3, 10)
    MilestoneFactory.create_batch(20, commitment=commitment, due_date=due_on)
    now = start_of_day(due_on, "Europe/Paris") - dt.timedelta(days=2)
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def run_scan():
        try:
            barrier.wait(timeout=10)
            counts.append(scan(now))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    # When two scans start at the same moment (two beat schedulers, a retried task)
    threads = [threading.Thread(target=run_scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Then together they sent each reminder exactly once, and so did the mail
    assert errors == []
    assert sum(counts) == 60
    assert ReminderLog.objects.count() == 60
    assert Notification.objects.filter(kind="milestone.due").count() == 60
    wait_for(lambda: len(mail.outbox) == 60, timeout=60)
    time.sleep(0.5)
    assert len(mail.outbox) == 60
    per_lead = Counter(message.to[0] for message in mail.outbox)
    assert per_lead == {f"lead{i}@example.org": 20 for i in range(3)}


def test_scan_cost_does_not_grow_with_far_future_deadlines(member):
    # Given one milestone due soon, and first 10, then 200 milestones due years away
    commitment = running_commitment(member)
    leads(member, 1)
    now = dt.datetime(2027, 3, 1, 9, tzinfo=PARIS)
    MilestoneFactory(commitment=commitment, due_date=dt.date(2027, 3, 5))
    MilestoneFactory.create_batch(10, commitment=commitment, due_date=dt.date(2028, 12, 1))
    with CaptureQueriesContext(connection) as few:
        assert scan(now) == 1
    MilestoneFactory.create_batch(190, commitment=commitment, due_date=dt.date(2028, 12, 1))
    ReminderLog.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        assert scan(now) == 1
    # Then the scan makes the same number of queries either way
    assert len(many) == len(few)


def test_scan_queries_are_bounded(member, django_assert_max_num_queries):
    commitment = running_commitment(member)
    leads(member, 2)
    now = dt.datetime(2027, 3, 1, 9, tzinfo=PARIS)
    MilestoneFactory.create_batch(200, commitment=commitment, due_date=dt.date(2028, 12, 1))
    MilestoneFactory.create_batch(
        5, commitment=commitment, due_date=dt.date(2027, 3, 5), status=MilestoneStatus.NOT_STARTED
    )
    # 8 scanners (one or two queries each), one look-up of sent keys; per batch, whatever
    # its size: the preferences, the notification insert, the claim insert and its
    # read-back (nothing per milestone or per recipient)
    with django_assert_max_num_queries(20):
        assert scan(now) == 10
    # A repeated scan finds everything sent in one query per batch: no per-row work
    with django_assert_max_num_queries(20):
        assert scan(now) == 0


def test_a_failing_scanner_does_not_stop_the_others(member, monkeypatch):
    from ogp_portal.core import reminders

    def broken(now):
        raise RuntimeError("bug in one app")

    monkeypatch.setattr(reminders, "_scanners", [broken, *reminders._scanners])
    commitment = running_commitment(member)
    leads(member, 1)
    MilestoneFactory(commitment=commitment, due_date=dt.date(2027, 3, 5))
    with pytest.raises(RuntimeError, match="bug in one app"):
        scan(dt.datetime(2027, 3, 1, 9, tzinfo=PARIS))
    # The milestone reminder went out all the same
    assert notified("milestone.due") == ["lead0@example.org"]


def test_a_scan_with_everything_already_sent_costs_the_same_however_many_are_due(
    member, django_assert_max_num_queries
):
    commitment = running_commitment(member)
    leads(member, 2)
    now = dt.datetime(2027, 3, 1, 9, tzinfo=PARIS)
    warm_scans = []
    for total in (5, 50):
        # Given first 5, then 50 milestones due soon, all already reminded to both leads
        MilestoneFactory.create_batch(
            total - Milestone.objects.count(), commitment=commitment, due_date=dt.date(2027, 3, 5)
        )
        scan(now)
        assert ReminderLog.objects.count() == 2 * total
        # When the scan runs again with nothing new due
        with django_assert_max_num_queries(16) as captured:
            assert scan(now + dt.timedelta(hours=1)) == 0
        warm_scans.append(captured.captured_queries)
    # Then it made the same few queries (about two per scanner) and claimed nothing
    assert len(warm_scans[0]) == len(warm_scans[1])
    assert not any("INSERT" in query["sql"] for queries in warm_scans for query in queries)
