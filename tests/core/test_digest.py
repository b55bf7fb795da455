"""The daily digest: one e-mail per user with everything waiting for it, sent once."""

import datetime as dt
import socket

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ogp_portal.core import notifications
from ogp_portal.core.models import (
    Delivery,
    EmailFailure,
    EmailStatus,
    Notification,
    NotificationPreference,
)
from ogp_portal.core.notifications import notify, register_kind, send_digests
from ogp_portal.core.tasks import send_digests_task
from tests.factories import UserFactory

DAILY, URGENT = "test.daily", "test.urgent"
BODY = "emails/notification.txt"


@pytest.fixture(autouse=True)
def test_kinds():
    before = dict(notifications._KINDS)
    register_kind(DAILY, "Daily things", default=Delivery.DIGEST)
    register_kind(URGENT, "Urgent things")
    yield
    notifications._KINDS.clear()
    notifications._KINDS.update(before)


def event(users, subject, kind=DAILY, url=""):
    return notify(
        users, kind, subject, BODY, {"notification": {"body": f"About {subject}."}}, url=url
    )


def a_day_of_events(users, start):
    """Events through a day: the digest kind three times, an urgent one once."""
    for hour, subject in [(8, "Comment on P-1"), (12, "Comment on P-2"), (17, "Support for P-1")]:
        with time_machine.travel(start + dt.timedelta(hours=hour), tick=False):
            event(users, subject, url="/consultations/proposals/1/")
    with time_machine.travel(start + dt.timedelta(hours=9), tick=False):
        event(users, "Consultation closes tomorrow", kind=URGENT)


@pytest.mark.django_db
def test_a_days_events_arrive_in_one_email_per_user_and_only_once(settings):
    ann, bob = UserFactory(email="ann@example.org"), UserFactory(email="bob@example.org")
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    a_day_of_events([ann, bob], start - dt.timedelta(days=1))
    mail.outbox.clear()  # (urgent ones are e-mailed on their own; only the digest counts here)

    assert send_digests() == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
    digest = next(m for m in mail.outbox if m.to == ["ann@example.org"])
    assert (
        digest.subject
        == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your daily summary: 3 notifications"
    )
    body = digest.body
    # In the order they happened, each with its text and link.
    assert (
        body.index("Comment on P-1") < body.index("Comment on P-2") < body.index("Support for P-1")
    )
    assert "About Comment on P-2." in body
    assert f"{settings.SITE_URL}/consultations/proposals/1/" in body
    assert "Consultation closes tomorrow" not in body  # it was e-mailed at once
    # Why it came, where to change that, and one-click links.
    assert "Why you get this" in body
    assert f"{settings.SITE_URL}/notifications/preferences/" in body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest.extra_headers["List-Unsubscribe"][1:-1] in body
    assert "Stop e-mails about “Daily things”" in body
    statuses = set(Notification.objects.filter(kind=DAILY).values_list("email_status", flat=True))
    assert statuses == {EmailStatus.SENT}

    # The next run (beat firing twice, a retried task) sends nothing more.
    assert send_digests() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_users_choose_the_digest_for_a_kind_and_others_get_it_at_once():
    waits, hurries = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=waits, kind=URGENT, delivery=Delivery.DIGEST)
    NotificationPreference.objects.create(user=hurries, kind=DAILY, delivery=Delivery.OFF)

    event([waits, hurries], "Consultation closes tomorrow", kind=URGENT)
    event([waits, hurries], "Comment on P-1")
    send_digests()

    digests = [m for m in mail.outbox if "daily summary" in m.subject]
    assert [m.to for m in digests] == [[waits.email]]
    assert "Consultation closes tomorrow" in digests[0].body
    assert "Comment on P-1" in digests[0].body
    # Turned off: in the inbox only, never e-mailed.
    off = Notification.objects.get(recipient=hurries, kind=DAILY)
    assert off.email_status == EmailStatus.SKIPPED


@pytest.mark.django_db
def test_a_digest_in_the_users_language():
    french = UserFactory(preferred_language="fr")
    subject = gettext_lazy("A decision on your proposal")
    notify([french], DAILY, subject, BODY, {"notification": {}})
    send_digests()
    # The item's subject was rendered in French when it happened.
    assert "Décision sur votre proposition" in mail.outbox[0].body


@pytest.mark.django_db
def test_events_after_the_run_wait_for_the_next_one():
    user = UserFactory()
    event([user], "Early")
    cut = timezone.now()
    with time_machine.travel(cut + dt.timedelta(minutes=1)):
        event([user], "Late")
    assert send_digests(now=cut) == 1
    assert "Early" in mail.outbox[0].body
    assert "Late" not in mail.outbox[0].body
    assert Notification.objects.get(subject="Late").email_status == EmailStatus.DIGEST


@pytest.mark.django_db
def test_a_failed_digest_is_recorded_and_sent_with_the_next_run(settings):
    user = UserFactory(email="later@example.org")
    event([user], "Comment on P-1")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the block ends: nobody listens there
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    assert send_digests() == 0

    failure = EmailFailure.objects.get()
    assert (failure.address, failure.kind) == ("later@example.org", "digest")
    assert "ConnectionRefusedError" in failure.error
    assert Notification.objects.get().email_status == EmailStatus.DIGEST

    settings.EMAIL_BACKEND = backend  # the mail server is back
    assert send_digests() == 1
    assert "Comment on P-1" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_sends_digests_through_a_worker(celery_worker_thread):
    user = UserFactory(email="daily@example.org")
    event([user], "Comment on P-1")
    assert send_digests_task.delay().get(timeout=30) == 1
    assert [m.to for m in mail.outbox] == [["daily@example.org"]]
    assert send_digests_task.delay().get(timeout=30) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_one_users_failing_digest_does_not_stop_the_others():
    # Given three users with a digest waiting; the mail library refuses the first one's
    # address (a newline in it: BadHeaderError, a ValueError, not a network error)
    broken = UserFactory(email="broken\n@example.org")
    ann, bob = UserFactory(email="ann@example.org"), UserFactory(email="bob@example.org")
    event([broken, ann, bob], "Comment on P-1")
    event([broken], "Comment on P-2")

    # When the digests go out
    assert send_digests() == 2

    # Then the others got theirs
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
    # … and the broken one's notifications wait for the next run, recorded for the secretariat
    waiting = Notification.objects.filter(recipient=broken)
    assert set(waiting.values_list("email_status", "emailed_at")) == {(EmailStatus.DIGEST, None)}
    failure = EmailFailure.objects.get()
    assert (failure.address, failure.kind) == ("broken\n@example.org", "digest")
    assert "BadHeaderError" in failure.error
    assert failure.subject.endswith("2 notifications")
    others = Notification.objects.exclude(recipient=broken)
    assert set(others.values_list("email_status", flat=True)) == {EmailStatus.SENT}
