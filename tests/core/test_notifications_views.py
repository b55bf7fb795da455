"""The inbox, the header count, e-mail settings and one-click unsubscribe, from outside."""

import re

import pytest
from django.conf import settings
from django.core import signing
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
from ogp_portal.core.notifications import register_kind, unsubscribe_token
from tests.factories import UserFactory

KIND, OTHER_KIND = "test.event", "test.other"
INBOX = reverse("notifications:inbox")
PREFERENCES = reverse("notifications:preferences")
BODY = "emails/notification.txt"  # any template renders a body


@pytest.fixture
def test_kinds():
    before = dict(notifications._KINDS)
    register_kind(KIND, "Test events", "Sent when a test event happens.")
    register_kind(OTHER_KIND, "Other events", default=Delivery.DIGEST)
    yield
    notifications._KINDS.clear()
    notifications._KINDS.update(before)


def mine(user):
    """The user's choices for the two test kinds (the apps register kinds of their own)."""
    chosen = notifications.preferences_for(user)
    return {KIND: chosen[KIND], OTHER_KIND: chosen[OTHER_KIND]}


def make(user, n=1, *, read=False, url="", kind=KIND):
    return Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            subject=f"Event {i}",
            body=f"Something happened ({i}).",
            url=url,
            read_at=timezone.now() if read else None,
            email_status=EmailStatus.SENT,
        )
        for i in range(n)
    )


# --- Header and inbox --------------------------------------------------------------------------


@pytest.mark.django_db
def test_header_shows_the_unread_count_to_the_signed_in_user(client_for, citizen):
    make(citizen, 3)
    make(citizen, 2, read=True)
    page = client_for(citizen).get("/").content.decode()
    assert f'<a href="{INBOX}">Notifications (3 unread)</a>' in page


@pytest.mark.django_db
def test_header_shows_no_count_when_all_is_read_and_nothing_to_visitors(
    client, client_for, citizen
):
    make(citizen, 2, read=True)
    page = client_for(citizen).get("/").content.decode()
    assert f'<a href="{INBOX}">Notifications</a>' in page
    client.logout()
    assert INBOX not in client.get("/").content.decode()


@pytest.mark.django_db
def test_inbox_lists_newest_first_and_marks_unread_in_text(client_for, citizen):
    make(citizen, 1, read=True)
    make(citizen, 2)
    response = client_for(citizen).get(INBOX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "You have 2 unread notifications." in page
    assert page.count(">Unread</span>") == 2
    subjects = [n.subject for n in response.context["notifications"]]
    assert subjects == ["Event 1", "Event 0", "Event 0"]


@pytest.mark.django_db
def test_inbox_needs_sign_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_inbox_is_paginated_by_25(client_for, citizen):
    make(citizen, 30)
    client = client_for(citizen)
    assert len(client.get(INBOX).context["notifications"]) == 25
    assert len(client.get(INBOX, {"page": 2}).context["notifications"]) == 5


@pytest.mark.django_db
def test_mark_all_read_clears_the_count(client_for, citizen, cso_member):
    make(citizen, 4)
    make(cso_member, 2)
    client = client_for(citizen)
    response = client.post(reverse("notifications:notification-mark-all-read"), follow=True)
    page = response.content.decode()
    assert "You have no unread notifications." in page
    assert f'<a href="{INBOX}">Notifications</a>' in page
    # Another person's notifications stay unread.
    assert Notification.objects.filter(recipient=cso_member, read_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client_for, citizen):
    [notification] = make(citizen, url="/consultations/")
    client = client_for(citizen)
    response = client.get(reverse("notifications:notification-open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == "/consultations/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "You have no unread notifications." in client.get(INBOX).content.decode()


@pytest.mark.django_db
def test_a_notification_without_a_link_is_shown_on_its_own_page(client_for, citizen):
    [notification] = make(citizen)
    response = client_for(citizen).get(
        reverse("notifications:notification-open", args=[notification.pk])
    )
    assert response.status_code == 200
    assert "Something happened (0)." in response.content.decode()


@pytest.mark.django_db
def test_an_outside_link_is_not_followed(client_for, citizen):
    [notification] = make(citizen, url="https://evil.example.com/")
    response = client_for(citizen).get(
        reverse("notifications:notification-open", args=[notification.pk])
    )
    assert response.status_code == 200  # shown here, no redirect off the portal


@pytest.mark.django_db
def test_another_users_notification_is_not_found(client_for, citizen, cso_member):
    [notification] = make(cso_member, url="/consultations/")
    response = client_for(citizen).get(
        reverse("notifications:notification-open", args=[notification.pk])
    )
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 60])
def test_inbox_queries_do_not_grow_with_notifications(
    client_for, citizen, count, django_assert_max_num_queries
):
    make(citizen, count)
    client = client_for(citizen)
    with django_assert_max_num_queries(10):  # 8 today, whatever the number of rows
        response = client.get(INBOX)
    assert response.status_code == 200


# --- Preferences ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preferences_page_has_one_labelled_radio_group_per_kind(test_kinds, client_for, citizen):
    page = client_for(citizen).get(PREFERENCES).content.decode()
    assert "<legend>Test events</legend>" in page
    assert "<legend>Other events</legend>" in page
    assert "Sent when a test event happens." in page
    # The defaults are pre-selected: the other kind goes to the digest.
    assert re.search(r'<input type="radio" name="test\.other" value="digest"[^>]*checked', page)
    assert re.search(r'<input type="radio" name="test\.event" value="immediate"[^>]*checked', page)


@pytest.mark.django_db
def test_saving_preferences_changes_the_chosen_kind_and_keeps_others(
    test_kinds, client_for, citizen
):
    NotificationPreference.objects.create(user=citizen, kind="legacy", delivery=Delivery.OFF)
    client = client_for(citizen)

    response = client.post(PREFERENCES, {KIND: Delivery.OFF}, follow=True)

    assert "Your e-mail settings are saved." in response.content.decode()
    stored = dict(
        NotificationPreference.objects.filter(user=citizen).values_list("kind", "delivery")
    )
    # The kind left out of the form and a kind nobody registers any more keep their choice.
    assert stored == {KIND: Delivery.OFF, "legacy": Delivery.OFF}
    assert mine(citizen) == {
        KIND: Delivery.OFF,
        OTHER_KIND: Delivery.DIGEST,
    }
    # Saving again updates in place.
    client.post(PREFERENCES, {KIND: Delivery.IMMEDIATE, OTHER_KIND: Delivery.OFF})
    assert mine(citizen) == {
        KIND: Delivery.IMMEDIATE,
        OTHER_KIND: Delivery.OFF,
    }


@pytest.mark.django_db
def test_a_made_up_choice_is_refused(test_kinds, client_for, citizen):
    response = client_for(citizen).post(PREFERENCES, {KIND: "hourly"})
    assert response.status_code == 200
    assert "Please correct the errors below." in response.content.decode()
    assert not NotificationPreference.objects.filter(user=citizen).exists()


# --- Unsubscribe ---------------------------------------------------------------------------------


def unsubscribe_path(user, kind=KIND):
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)])


@pytest.mark.django_db
def test_unsubscribe_link_asks_first_without_sign_in_and_changes_nothing(test_kinds, client):
    user = UserFactory(email="reader@example.org")
    response = client.get(unsubscribe_path(user))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stop e-mails about “Test events”?" in page
    # Anyone holding the link (a forwarded mail) must not learn the account's address.
    assert "reader@example.org" not in page
    assert not NotificationPreference.objects.exists()  # a mail scanner's GET does nothing


@pytest.mark.django_db
def test_unsubscribe_stops_only_that_kind_for_that_user(test_kinds):
    user, neighbour = UserFactory(), UserFactory()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(unsubscribe_path(user)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = browser.post(unsubscribe_path(user), {"csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert "You will no longer get e-mails about “Test events”" in response.content.decode()
    assert str(user.email) not in response.content.decode()
    assert mine(user) == {KIND: Delivery.OFF, OTHER_KIND: Delivery.DIGEST}
    assert notifications.preferences_for(neighbour)[KIND] == Delivery.IMMEDIATE
    # What follows: this kind is no longer e-mailed, the other kind still is.
    notifications.notify([user], KIND, "One", BODY, {"notification": {"body": "One"}})
    notifications.notify([user], OTHER_KIND, "Two", BODY, {"notification": {"body": "Two"}})
    status = dict(Notification.objects.values_list("kind", "email_status"))
    assert status == {KIND: EmailStatus.SKIPPED, OTHER_KIND: EmailStatus.DIGEST}


@pytest.mark.django_db
def test_one_click_post_from_a_mail_program_works_without_csrf_token(test_kinds):
    user = UserFactory()
    mail_program = Client(enforce_csrf_checks=True)  # no cookie, no token, as RFC 8058 says
    response = mail_program.post(
        unsubscribe_path(user),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert notifications.preferences_for(user)[KIND] == Delivery.OFF


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_refused_clearly(test_kinds, client, method):
    user, victim = UserFactory(), UserFactory()
    token = unsubscribe_token(user, KIND)
    # Someone who guesses the format still cannot sign a token for another person.
    forged = signing.dumps({"u": victim.pk, "k": KIND}, salt="guessed", compress=True)
    for bad in (forged, token[:-3] + "xyz", "not-a-token"):
        response = getattr(client, method)(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_the_digest_link_stops_every_kind_sent_in_the_digest(test_kinds, client):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, kind=KIND, delivery=Delivery.DIGEST)
    notifications.notify([user], KIND, "Waiting", BODY, {"notification": {"body": "Waiting"}})

    response = client.post(unsubscribe_path(user, notifications.DIGEST_KIND))

    assert "You will no longer get the daily summary" in response.content.decode()
    assert mine(user) == {KIND: Delivery.OFF, OTHER_KIND: Delivery.OFF}
    assert Notification.objects.get().email_status == EmailStatus.SKIPPED


# --- What the QA walkthrough found ---------------------------------------------------------------


@pytest.mark.django_db
def test_inbox_preview_leaves_out_the_email_greeting(client_for):
    # Given notifications whose body starts with the e-mail greeting (as the apps' e-mail
    # templates render it, in English or French), and one whose first line is more
    user = UserFactory(name="Ann Lee")
    for subject, body in [
        ("Plain", "Ann Lee, the chair, asked:\nWhy?"),
        ("Bonjour", "Bonjour Ann Lee,\n\nLa consultation ferme demain."),
        ("Greeted", "Dear Ann Lee,\n\nA participant replied to your comment."),
    ]:
        Notification.objects.create(recipient=user, kind=KIND, subject=subject, body=body)

    page = client_for(user).get(INBOX).content.decode()

    # Then the list shows what happened, not "Dear Ann Lee, …"
    previews = re.findall(r"<p>([^<]*)</p>\s*</li>", page)
    assert previews == [
        "A participant replied to your comment.",
        "La consultation ferme demain.",
        "Ann Lee, the chair, asked: Why?",
    ]
    # The notification's own page keeps the whole text
    greeted = Notification.objects.get(subject="Greeted")
    detail = client_for(user).get(reverse("notifications:notification-open", args=[greeted.pk]))
    assert "Dear Ann Lee," in detail.content.decode()


@pytest.mark.django_db
def test_unsubscribe_link_opened_again_says_it_is_already_done(test_kinds, client):
    user = UserFactory(email="reader@example.org")
    client.post(unsubscribe_path(user))

    response = client.get(unsubscribe_path(user))

    page = response.content.decode()
    assert response.status_code == 200
    assert "E-mails about “Test events” are already stopped." in page
    assert "reader@example.org" not in page
    assert "Stop e-mails about" not in page
    assert "Stop these e-mails" not in page
    assert f'href="{PREFERENCES}"' in page
    # Another kind, still on, is asked about as before
    page = client.get(unsubscribe_path(user, OTHER_KIND)).content.decode()
    assert "Stop e-mails about “Other events”?" in page


STAFF_KIND, ADMIN_KIND = "test.staff", "test.admins"


@pytest.fixture
def audience_kinds(test_kinds):
    register_kind(STAFF_KIND, "Staff events", audience=notifications.AUDIENCE_STAFF)
    register_kind(ADMIN_KIND, "Join events", audience=notifications.AUDIENCE_ORGANISATION_ADMINS)


def legends(page):
    return re.findall(r"<legend>(.*?)</legend>", page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "staff", "admin"),
    [
        ("citizen", False, False),
        ("cso_member", False, True),  # an approved admin of a CSO
        ("civil_servant", True, False),
        ("secretariat", True, False),
    ],
)
def test_preferences_show_each_person_the_kinds_that_concern_them(
    audience_kinds, client_for, request, who, staff, admin
):
    page = client_for(request.getfixturevalue(who)).get(PREFERENCES).content.decode()

    shown = legends(page)
    assert "Test events" in shown
    assert ("Staff events" in shown) is staff
    assert ("Join events" in shown) is admin
    assert "<h2>For everyone taking part</h2>" in page
    assert ("<h2>For government and secretariat staff</h2>" in page) is staff
    assert ("<h2>For organisation admins</h2>" in page) is admin


@pytest.mark.django_db
def test_the_apps_mark_their_staff_and_admin_kinds(client_for, citizen, civil_servant):
    audiences = {kind.key: kind.audience for kind in notifications.kinds()}
    staff = {key for key, audience in audiences.items() if audience == "staff"}
    assert staff == {
        "milestone.due",
        "milestone.overdue",
        "forum.idle",
        "minutes.overdue",
        "plan.ending",
        "plan.procedural_review",
        "proposal.unanswered",
    }
    assert audiences["organisation.join_requested"] == "organisation admins"
    assert audiences["organisation.rejected"] == "organisation admins"
    # A citizen sees only the kinds anyone may get; a civil servant the staff ones too
    labels = {
        audience: [str(k.label) for k in notifications.kinds() if k.audience == audience]
        for audience in ("everyone", "staff")
    }
    # 6 + organisation.join_declined (#13) + group_application.decided (#16)
    assert len(labels["everyone"]) == 8
    citizen_page = client_for(citizen).get(PREFERENCES).content.decode()
    assert sorted(legends(citizen_page)) == sorted(labels["everyone"])
    servant_page = client_for(civil_servant).get(PREFERENCES).content.decode()
    assert sorted(legends(servant_page)) == sorted(labels["everyone"] + labels["staff"])


@pytest.mark.django_db
def test_a_kind_already_received_is_shown_even_without_the_role(
    audience_kinds, client_for, citizen
):
    # Given a forum chair without a role, who got a staff kind of notification
    make(citizen, kind=STAFF_KIND)

    page = client_for(citizen).get(PREFERENCES).content.decode()

    # Then they can choose how to get it
    assert "Staff events" in legends(page)
    assert "Join events" not in legends(page)


@pytest.mark.django_db
def test_saving_preferences_stores_the_shown_kinds_and_ignores_hidden_ones(
    audience_kinds, client_for, citizen
):
    client = client_for(citizen)

    response = client.post(PREFERENCES, {KIND: Delivery.OFF, STAFF_KIND: Delivery.OFF})

    assert response.status_code == 302
    stored = dict(
        NotificationPreference.objects.filter(user=citizen).values_list("kind", "delivery")
    )
    assert stored == {KIND: Delivery.OFF}


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience"):
        register_kind("test.bad", "Bad", audience="everybody")


# --- Failed e-mails page -------------------------------------------------------------------------

FAILURES = reverse("notifications:failure-list")


@pytest.mark.django_db
def test_failure_page_scrolls_its_table_and_names_each_resolve_button(client_for, secretariat):
    EmailFailure.objects.create(address="gone@example.org", error="refused", kind=KIND)

    page = client_for(secretariat).get(FAILURES).content.decode()

    assert "1 failure still needs attention." in page
    region = re.search(r'<div class="table-scroll"([^>]*)>\s*<table class="table-stack">', page)
    assert region, page
    assert 'tabindex="0"' in region.group(1)
    assert 'role="region"' in region.group(1)
    assert 'aria-label="Failed e-mails, newest first"' in region.group(1)
    button = re.search(
        r"<button [^>]*>(.*?)</button>", page.split('<table class="table-stack">')[1], re.S
    )
    assert button.group(1) == (
        'Mark resolved<span class="visually-hidden"> (the e-mail to gone@example.org)</span>'
    )


@pytest.mark.django_db
def test_failure_page_without_failures_to_deal_with_says_so(client_for, secretariat):
    EmailFailure.objects.create(
        address="fixed@example.org", error="refused", resolved_at=timezone.now()
    )

    page = client_for(secretariat).get(FAILURES).content.decode()

    assert "No e-mail failures need attention." in page
    assert "0 failures" not in page
    assert "Each was tried several times." not in page


def test_the_stylesheet_lets_a_wide_table_scroll():
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    assert re.search(r"\.table-scroll\s*\{[^}]*overflow-x:\s*auto", css)


def test_a_tampered_preference_value_is_refused_and_nothing_is_saved(
    test_kinds, client_for, citizen
):
    client = client_for(citizen)

    response = client.post(PREFERENCES, {KIND: "every-minute", OTHER_KIND: Delivery.OFF})

    # The form comes back with an error instead of a 500, and no choice is stored half-way.
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=citizen).exists()
