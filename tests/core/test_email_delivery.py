"""E-mails leave through a real Celery worker: with unsubscribe headers and footer, once only,
retried when the mail server is unreachable, then shown to the secretariat."""

import datetime as dt
import re
import socket
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ogp_portal.core import notifications
from ogp_portal.core.models import (
    Delivery,
    EmailFailure,
    EmailStatus,
    Notification,
    NotificationPreference,
)
from ogp_portal.core.notifications import (
    notification_email_send,
    notify,
    register_kind,
    requeue_stuck_emails,
)
from ogp_portal.core.tasks import send_email_task, send_notification_email_task
from tests.conftest import wait_for
from tests.factories import UserFactory

KIND = "test.event"
BODY = "emails/notification.txt"
FAILURES = reverse("notifications:failure-list")


def event(user, subject="Your proposal was answered", url="/consultations/"):
    return notify(
        [user], KIND, subject, BODY, {"notification": {"body": "Read the answer."}}, url=url
    )


def closed_port() -> int:
    """A local port nobody listens on: connecting gives a real ConnectionRefusedError."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    return settings


# --- Sent at once ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_immediate_email_carries_footer_and_one_click_unsubscribe(celery_worker_thread, settings):
    user = UserFactory(email="reader@example.org", name="Ann")

    [notification] = event(user)

    wait_for(lambda: len(mail.outbox) == 1)
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert message.subject == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your proposal was answered"
    assert "Read the answer." in message.body
    assert f"{settings.SITE_URL}/consultations/" in message.body
    assert "Why you get this" in message.body
    assert f"Change your settings: {settings.SITE_URL}/notifications/preferences/" in message.body
    # RFC 2369 / RFC 8058 headers, with the same link as the footer.
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<{settings.SITE_URL}/notifications/unsubscribe/")
    assert header.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header[1:-1]
    assert link in message.body
    wait_for(lambda: Notification.objects.get().email_status == EmailStatus.SENT)
    notification.refresh_from_db()
    assert notification.emailed_at is not None

    # The mail program's one-click button (a POST, no session, no CSRF token) works.
    response = Client(enforce_csrf_checks=True).post(
        link.removeprefix(settings.SITE_URL),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=user, kind=KIND).delivery == Delivery.OFF
    event(user, subject="Another one")
    time.sleep(0.5)
    assert len(mail.outbox) == 1  # no more e-mails of that kind …
    assert Notification.objects.count() == 2  # … but it is still in the inbox


@pytest.mark.django_db(transaction=True)
def test_a_repeated_task_never_sends_twice(celery_worker_thread):
    user = UserFactory()
    [notification] = event(user)
    wait_for(lambda: Notification.objects.get().email_status == EmailStatus.SENT)

    # A duplicate message (a broker redelivery, the outbox sweep) finds it sent.
    send_notification_email_task.delay(notification.pk).get(timeout=20)
    assert notification_email_send(notification.pk) is False
    assert len(mail.outbox) == 1


# --- Unreachable mail server -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_unreachable_mail_server_is_retried_then_shown_to_the_secretariat(
    celery_worker_thread, unreachable_smtp, client_for, secretariat, citizen
):
    user = UserFactory(email="gone@example.org")

    [notification] = event(user, subject="Consultation closes soon")

    wait_for(lambda: EmailFailure.objects.exists())
    failure = EmailFailure.objects.get()
    assert failure.address == "gone@example.org"
    assert failure.kind == KIND
    assert failure.subject == "Consultation closes soon"
    assert "ConnectionRefusedError" in failure.error
    assert failure.attempts == unreachable_smtp.EMAIL_MAX_RETRIES + 1  # first try + retries
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert mail.outbox == []

    # The secretariat finds it from its page …
    client = client_for(secretariat)
    assert FAILURES in client.get(reverse("organisations:secretariat")).content.decode()
    page = client.get(FAILURES).content.decode()
    assert "gone@example.org" in page
    assert "Consultation closes soon" in page
    assert "1 failure still needs attention." in page
    # … and marks it resolved once the address is fixed.
    response = client.post(reverse("notifications:failure-resolve", args=[failure.pk]), follow=True)
    assert "1 failure" not in response.content.decode()
    assert "No e-mail failures need attention." in response.content.decode()
    failure.refresh_from_db()
    assert failure.resolved_at is not None

    # A citizen sees none of it.
    citizen_client = client_for(citizen)
    assert citizen_client.get(FAILURES).status_code == 403
    resolve = reverse("notifications:failure-resolve", args=[failure.pk])
    assert citizen_client.post(resolve).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_plain_email_that_cannot_be_sent_is_recorded_too(celery_worker_thread, unreachable_smtp):
    send_email_task.delay("nobody@example.org", "Welcome", "Hello", "welcome")
    wait_for(lambda: EmailFailure.objects.exists())
    failure = EmailFailure.objects.get()
    assert (failure.address, failure.kind, failure.subject) == (
        "nobody@example.org",
        "welcome",
        "Welcome",
    )
    assert failure.attempts == unreachable_smtp.EMAIL_MAX_RETRIES + 1


@pytest.mark.django_db(transaction=True)
def test_an_address_the_mail_library_refuses_fails_at_once_and_is_shown(
    celery_worker_thread, client_for, secretariat
):
    # A newline in the address: Django refuses the header (BadHeaderError, a ValueError).
    # Trying again would fail the same way, so it is not retried but recorded at once.
    user = UserFactory(email="broken\n@example.org")

    [notification] = event(user, subject="Consultation closes soon")

    wait_for(lambda: EmailFailure.objects.exists())
    failure = EmailFailure.objects.get()
    assert failure.address == "broken\n@example.org"
    assert failure.kind == KIND
    assert failure.subject == "Consultation closes soon"
    assert "BadHeaderError" in failure.error
    assert failure.attempts == 1
    assert failure.notification_id == notification.pk
    wait_for(
        lambda: Notification.objects.get(pk=notification.pk).email_status == EmailStatus.FAILED
    )
    assert mail.outbox == []
    page = client_for(secretariat).get(FAILURES).content.decode()
    assert "Consultation closes soon" in page


@pytest.mark.django_db(transaction=True)
def test_a_plain_email_to_a_refused_address_is_recorded_at_once(celery_worker_thread):
    result = send_email_task.delay("broken\n@example.org", "Welcome", "Hello", "welcome")

    with pytest.raises(ValueError, match="newlines"):
        result.get(timeout=20)
    failure = EmailFailure.objects.get()
    assert (failure.kind, failure.attempts) == ("welcome", 1)
    assert "BadHeaderError" in failure.error


@pytest.mark.django_db
def test_failure_page_names_the_kind_by_its_label(
    client_for, secretariat, django_assert_max_num_queries
):
    before = notifications._KINDS.get(KIND)
    register_kind(KIND, "Answers to your proposals")
    try:
        for i in range(30):
            EmailFailure.objects.create(address=f"p{i}@example.org", error="refused", kind=KIND)
        EmailFailure.objects.create(address="d@example.org", error="refused", kind="digest")
        EmailFailure.objects.create(address="w@example.org", error="refused", kind="welcome")
        client = client_for(secretariat)

        with django_assert_max_num_queries(15):
            page = client.get(FAILURES).content.decode()
    finally:
        notifications._KINDS.pop(KIND, None)
        if before is not None:
            notifications._KINDS[KIND] = before

    # The kind's cells are labelled for the stacked layout on phones.
    cells = re.findall(r'<td data-label="Kind">([^<]*)</td>', page)
    assert cells.count("Answers to your proposals") == 30
    assert KIND not in cells
    assert "Daily digest" in cells
    assert "welcome" in cells  # a kind nobody registers: its key


@pytest.mark.django_db
def test_failure_page_needs_sign_in(client):
    response = client.get(FAILURES)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_failure_page_is_newest_first_with_bounded_queries(
    client_for, secretariat, django_assert_max_num_queries
):
    for i in range(60):
        EmailFailure.objects.create(address=f"p{i}@example.org", error="refused", kind=KIND)
    client = client_for(secretariat)
    with django_assert_max_num_queries(15):
        response = client.get(FAILURES)
    failures = list(response.context["failures"])
    assert len(failures) == 50
    assert failures[0].address == "p59@example.org"


# --- Outbox sweep ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_sweep_requeues_only_emails_left_waiting(celery_worker_thread):
    user = UserFactory()
    old = timezone.now() - dt.timedelta(minutes=30)
    stuck, recent, retrying = Notification.objects.bulk_create(
        Notification(recipient=user, kind=KIND, subject=subject, body="…")
        for subject in ("Stuck", "Recent", "Waiting for its retry")
    )
    Notification.objects.filter(pk__in=[stuck.pk, retrying.pk]).update(created_at=old)
    Notification.objects.filter(pk=retrying.pk).update(
        emailed_at=timezone.now() + dt.timedelta(minutes=5)
    )

    assert requeue_stuck_emails(older_than=dt.timedelta(minutes=10)) == 1

    wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].subject.endswith("Stuck")
    wait_for(lambda: Notification.objects.get(pk=stuck.pk).email_status == EmailStatus.SENT)
    time.sleep(0.3)
    assert len(mail.outbox) == 1
