"""Notifying many at once: a cold reminder scan makes thousands of notifications in a few
queries per batch, each still in its recipient's language and by their preference, and
e-mails each once."""

import datetime as dt
import time
import zoneinfo
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from commitments.models import Milestone
from ogp_portal.core import reminders
from ogp_portal.core.models import Delivery, EmailStatus, Notification, ReminderLog
from ogp_portal.core.notifications import Event, notify, notify_many, preferences_set
from ogp_portal.core.reminders import Due, scan, start_of_day
from ogp_portal.organisations.choices import Role
from tests.conftest import wait_for
from tests.core.test_notifications import _Proposal, _Response
from tests.core.test_reminders import running_commitment
from tests.factories import (
    MemberFactory,
    MilestoneFactory,
    UserFactory,
    grant,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2027, 3, 1, 9, tzinfo=PARIS)
DUE_ON = dt.date(2027, 3, 5)  # four days after NOW: "milestone.due"
TEMPLATE = "consultations/emails/proposal_decided.txt"


CONTEXT = {"proposal": _Proposal(), "response": _Response(), "commitments": []}


def lead(member, **fields):
    user = UserFactory(**fields)
    grant(user, Role.COMMITMENT_LEAD, member)
    return user


# --- The reminder scan ------------------------------------------------------------------------


def test_a_cold_scan_makes_the_same_few_queries_for_5_or_40_due_milestones(
    member, django_assert_max_num_queries
):
    # Given two leads and first 5, then 40 milestones due soon, none reminded yet (at most
    # 99 rows per insert on SQLite: 80 notifications still take one)
    commitment = running_commitment(member)
    lead(member)
    lead(member, preferred_language="fr")
    ContentType.objects.get_for_model(Milestone)  # cached for the process, once
    counts = []
    for total in (5, 40):
        MilestoneFactory.create_batch(
            total - Milestone.objects.count(), commitment=commitment, due_date=DUE_ON
        )
        ReminderLog.objects.all().delete()
        Notification.objects.all().delete()
        # When the scan runs
        with (
            django_assert_max_num_queries(25),
            CaptureQueriesContext(connection) as captured,
        ):
            assert scan(NOW) == 2 * total
        counts.append(len(captured))
        # Then every reminder is in the inbox and logged against its notification
        assert Notification.objects.filter(kind="milestone.due").count() == 2 * total
        assert not ReminderLog.objects.filter(notification__isnull=True).exists()
    # … in as many queries for 80 reminders as for 10: none per reminder
    assert counts[0] == counts[1]


def test_a_scan_writes_each_reminder_in_its_recipients_language(member):
    # Given an English and a French lead, and three milestones due soon
    commitment = running_commitment(member)
    ann = lead(member, name="Ann")
    bea = lead(member, name="Bea", preferred_language="fr")
    MilestoneFactory.create_batch(3, commitment=commitment, due_date=DUE_ON)
    # When the scan runs
    assert scan(NOW) == 6
    # Then each gets every reminder in their own language, greeted by name
    for notification in Notification.objects.filter(recipient=ann):
        assert notification.subject.startswith(f"Milestone of {commitment.ogp_id} due on")
        assert notification.body.startswith("Dear Ann,")
    for notification in Notification.objects.filter(recipient=bea):
        assert notification.subject.startswith(f"Jalon de {commitment.ogp_id}")
        assert notification.body.startswith("Bonjour Bea,")
    assert Notification.objects.filter(recipient=ann).count() == 3
    assert Notification.objects.filter(recipient=bea).count() == 3


def test_a_scan_follows_each_recipients_delivery_preference(member):
    # Given four leads: e-mail at once, daily digest, no e-mail, and no address
    commitment = running_commitment(member)
    at_once = lead(member)
    daily = lead(member)
    never = lead(member)
    no_address = lead(member, email="")
    preferences_set(daily, {"milestone.due": Delivery.DIGEST})
    preferences_set(never, {"milestone.due": Delivery.OFF})
    MilestoneFactory.create_batch(2, commitment=commitment, due_date=DUE_ON)
    # When the scan runs
    assert scan(NOW) == 8
    # Then all of them see both reminders in the inbox; only the e-mail differs
    statuses = Counter(Notification.objects.values_list("recipient_id", "email_status"))
    assert statuses == {
        (at_once.pk, EmailStatus.PENDING): 2,
        (daily.pk, EmailStatus.DIGEST): 2,
        (never.pk, EmailStatus.SKIPPED): 2,
        (no_address.pk, EmailStatus.SKIPPED): 2,
    }


def test_a_reminder_found_twice_in_one_scan_is_sent_once(member, monkeypatch):
    # Given a scanner that (by a bug) yields the same reminder twice
    commitment = running_commitment(member)
    only = lead(member)
    milestone = MilestoneFactory(commitment=commitment, due_date=DUE_ON)
    deadline = start_of_day(DUE_ON, "Europe/Paris")

    def twice(now):
        for _ in range(2):
            yield Due(
                kind="milestone.due",
                target=milestone,
                deadline=deadline,
                recipients=[only],
                subject="Due soon",
                template="commitments/emails/milestone_due.txt",
                context={"milestone": milestone, "commitment": commitment},
            )

    monkeypatch.setattr(reminders, "_scanners", [twice])
    # When the scan runs
    sent = scan(NOW)
    # Then the second claim of the same key lost, and its notification is gone
    assert sent == 1
    [notification] = Notification.objects.all()
    assert ReminderLog.objects.get().notification_id == notification.pk


@pytest.mark.django_db(transaction=True)
def test_a_scan_with_many_emails_sends_each_once_through_a_worker(celery_worker_thread):
    # Given two leads and 15 milestones due soon: 30 e-mails, queued in chunks
    member = MemberFactory(slug="member-bulk")
    commitment = running_commitment(member)
    lead(member, email="lead0@example.org")
    lead(member, email="lead1@example.org", preferred_language="fr")
    MilestoneFactory.create_batch(15, commitment=commitment, due_date=DUE_ON)
    # When the scan runs
    assert scan(NOW) == 30
    # Then a worker sends each of them once
    wait_for(lambda: len(mail.outbox) == 30, timeout=60)
    wait_for(
        lambda: (
            set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}
        )
    )
    time.sleep(0.5)
    # 30 notifications marked sent (each after its e-mail left) and 30 e-mails: none twice
    assert len(mail.outbox) == 30
    assert Counter(message.to[0] for message in mail.outbox) == {
        "lead0@example.org": 15,
        "lead1@example.org": 15,
    }


# --- notify_many and notify -------------------------------------------------------------------


@pytest.mark.django_db
def test_notify_many_makes_each_events_notifications_in_few_queries(
    django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # Given 20 people, half of them French, and two events of two kinds
    people = [UserFactory(preferred_language="fr" if i % 2 else "en") for i in range(20)]
    decided = Event(people, "proposal.decided", gettext_lazy("A decision on your proposal"),
                    TEMPLATE, CONTEXT, url="/consultations/proposals/1/")  # fmt: skip
    other = Event(people[:5], "test.other", "Plain subject", TEMPLATE, CONTEXT)
    # When both are sent at once
    with (
        django_assert_max_num_queries(4),  # preferences of each kind, one insert, one outbox row
        django_capture_on_commit_callbacks() as callbacks,
    ):
        groups = notify_many([decided, other])
    # Then each event has its notifications, in its recipients' order and language
    assert [[n.recipient_id for n in group] for group in groups] == [
        [user.pk for user in people],
        [user.pk for user in people[:5]],
    ]
    assert all(n.pk for group in groups for n in group)
    for notification in groups[0]:
        french = notification.recipient.preferred_language == "fr"
        assert notification.subject == (
            "Décision sur votre proposition" if french else "A decision on your proposal"
        )
        assert ("Décision" in notification.body) == french
        assert notification.body.startswith(
            f"{'Bonjour' if french else 'Dear'} {notification.recipient}"
        )
    assert {n.kind for n in groups[1]} == {"test.other"}
    assert len(callbacks) == 1  # the e-mails are queued once, after commit


@pytest.mark.django_db
def test_notify_still_returns_one_notification_per_recipient_in_order():
    ann, bea = UserFactory(name="Ann"), UserFactory(name="Bea", preferred_language="fr")

    created = notify([bea, ann, bea], "test.event", "Hello", TEMPLATE, CONTEXT)

    assert [n.recipient_id for n in created] == [bea.pk, ann.pk]
    assert [n.pk for n in created] == list(
        Notification.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert notify([], "test.event", "Hello", TEMPLATE, CONTEXT) == []
