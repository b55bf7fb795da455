"""notify(): one inbox entry per recipient in their language, e-mailed by their preference
after commit, through a real worker."""

import time

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy

from ogp_portal.core import notifications
from ogp_portal.core.models import (
    Delivery,
    EmailStatus,
    Notification,
    NotificationPreference,
)
from ogp_portal.core.notifications import notify, register_kind
from tests.conftest import wait_for
from tests.factories import UserFactory

KIND = "test.event"


class _Proposal:  # stands in for a proposal in the e-mail template
    title, reference, pk = "Open courts", "P-1", 1

    def get_absolute_url(self):
        return "/consultations/proposals/1/"


class _Response:
    reason = "Merged into XV0001."

    def get_decision_display(self):
        return "Merged"


TEMPLATE = "consultations/emails/proposal_decided.txt"
CONTEXT = {"proposal": _Proposal(), "response": _Response(), "commitments": []}
SUBJECT = gettext_lazy("A decision on your proposal")


@pytest.fixture
def test_kind():
    """A kind registered for the test only (apps register theirs in AppConfig.ready)."""
    before = dict(notifications._KINDS)
    register_kind(KIND, "Test events", "Sent in tests.")
    yield KIND
    notifications._KINDS.clear()
    notifications._KINDS.update(before)


def send(users, kind=KIND, **kwargs):
    return notify(users, kind, SUBJECT, TEMPLATE, CONTEXT, **kwargs)


# --- Through a real worker ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_notification_email_goes_through_a_worker_after_commit(celery_worker_thread):
    english = UserFactory(email="en@example.org", name="Ann")
    french = UserFactory(email="fr@example.org", name="Bea", preferred_language="fr")
    with transaction.atomic():
        notify([english, french], "test", "Hello", TEMPLATE, CONTEXT)
        assert mail.outbox == []  # nothing leaves before the transaction commits
    wait_for(lambda: len(mail.outbox) == 2)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "Dear Ann" in by_recipient["en@example.org"].body
    assert "Décision" in by_recipient["fr@example.org"].body
    # Once sent, the inbox entries say so.
    wait_for(
        lambda: (
            set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}
        )
    )


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing_and_leaves_no_inbox_entry(celery_worker_thread):
    user = UserFactory()

    def change_that_fails():
        with transaction.atomic():
            send([user])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    time.sleep(0.5)
    assert mail.outbox == []
    assert not Notification.objects.exists()


# --- What notify() records -------------------------------------------------------------------


@pytest.mark.django_db
def test_each_recipient_gets_an_inbox_entry_in_their_language(
    test_kind, django_capture_on_commit_callbacks
):
    english = UserFactory(name="Ann")
    french = UserFactory(name="Bea", preferred_language="fr")

    with django_capture_on_commit_callbacks() as callbacks:
        created = send([english, french], url="/consultations/proposals/1/")

    assert len(created) == 2
    assert len(callbacks) == 1  # the e-mails are queued once the change commits
    by_user = {n.recipient_id: n for n in Notification.objects.all()}
    assert by_user[english.pk].subject == "A decision on your proposal"
    assert "Dear Ann" in by_user[english.pk].body
    assert by_user[french.pk].subject == "Décision sur votre proposition"
    assert "Décision" in by_user[french.pk].body
    assert {n.url for n in by_user.values()} == {"/consultations/proposals/1/"}
    assert {n.email_status for n in by_user.values()} == {EmailStatus.PENDING}


@pytest.mark.django_db
def test_preferences_decide_what_is_emailed(test_kind, django_capture_on_commit_callbacks):
    at_once, daily, never = UserFactory(), UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=daily, kind=KIND, delivery=Delivery.DIGEST)
    NotificationPreference.objects.create(user=never, kind=KIND, delivery=Delivery.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        send([at_once, daily, never])

    status = dict(Notification.objects.values_list("recipient_id", "email_status"))
    # Every one of them sees it in the inbox; only the e-mail differs.
    assert status == {
        at_once.pk: EmailStatus.PENDING,
        daily.pk: EmailStatus.DIGEST,
        never.pk: EmailStatus.SKIPPED,
    }


@pytest.mark.django_db
def test_a_kind_registered_for_the_digest_waits_by_default():
    before = dict(notifications._KINDS)
    try:
        register_kind("test.quiet", "Quiet events", default=Delivery.DIGEST)
        user = UserFactory()
        send([user], kind="test.quiet")
        assert Notification.objects.get().email_status == EmailStatus.DIGEST
    finally:
        notifications._KINDS.clear()
        notifications._KINDS.update(before)


@pytest.mark.django_db
def test_users_without_an_address_or_inactive_are_not_emailed(test_kind):
    inactive = UserFactory(is_active=False)
    no_address = UserFactory(email="")
    send([inactive, no_address])
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SKIPPED}
    assert Notification.objects.count() == 2  # both still see it in the inbox


@pytest.mark.django_db
def test_notify_uses_a_bounded_number_of_queries(test_kind, django_assert_max_num_queries):
    users = [UserFactory() for _ in range(30)]
    NotificationPreference.objects.create(user=users[0], kind=KIND, delivery=Delivery.OFF)
    with django_assert_max_num_queries(4):
        send(users)
    assert Notification.objects.count() == 30


def test_kinds_lists_registered_kinds_for_the_preferences_page(test_kind):
    listed = {kind.key: kind for kind in notifications.kinds()}
    assert listed[KIND].label == "Test events"
    assert listed[KIND].default == Delivery.IMMEDIATE
