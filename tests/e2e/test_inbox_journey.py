"""A signed-in person sees their unread notifications, reads one, and chooses how they are
e-mailed; every page passes axe."""

import re

import pytest
from django.utils.translation import gettext_lazy

from ogp_portal.core import notifications
from ogp_portal.core.models import Delivery, NotificationPreference
from ogp_portal.core.notifications import notify, register_kind

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

KIND = "test.journey"


@pytest.fixture
def journey_kind():
    before = dict(notifications._KINDS)
    # Not e-mailed by default: this journey is about the inbox, no worker is running.
    register_kind(
        KIND, "Answers to your proposals", "When a government answers.", default=Delivery.OFF
    )
    yield
    notifications._KINDS.clear()
    notifications._KINDS.update(before)


def test_person_reads_notifications_and_chooses_email_settings(
    page, live_server, citizen, journey_kind
):
    for title in ("Open courts", "Plain letters"):
        notify(
            [citizen],
            KIND,
            gettext_lazy("A decision on your proposal"),
            "emails/notification.txt",
            {"notification": {"body": f"The government answered “{title}”."}},
            url="/consultations/",
        )
    sign_in(page, live_server, citizen)
    header = page.locator("header.site-header")

    # The header says how many are unread, in words.
    page.goto("/")
    header.get_by_role("link", name="Notifications (2 unread)").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_role("heading", level=1, name="Notifications").is_visible()
    assert page.get_by_text("You have 2 unread notifications.").is_visible()
    assert page.locator("main").get_by_text("Unread", exact=True).count() == 2
    assert_no_serious_axe_violations(page)

    # Opening one marks it read and goes to what it is about.
    page.get_by_role("link", name="A decision on your proposal").first.click()
    page.wait_for_url("**/consultations/")
    header.get_by_role("link", name="Notifications (1 unread)").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_text("You have 1 unread notification.").is_visible()

    # Mark the rest read.
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_text("All notifications are marked as read.").wait_for()
    assert header.get_by_role("link", name="Notifications", exact=True).is_visible()

    # Choose a daily digest for this kind.
    page.get_by_role("link", name="Choose which notifications you get by e-mail").click()
    page.wait_for_url("**/notifications/preferences/")
    group = page.get_by_role("group", name="Answers to your proposals")
    assert group.get_by_role("radio", name="Not by e-mail").is_checked()
    assert_no_serious_axe_violations(page)
    group.get_by_role("radio", name="In a daily digest").check()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Your e-mail settings are saved.").wait_for()
    assert (
        page.get_by_role("group", name="Answers to your proposals")
        .get_by_role("radio", name="In a daily digest")
        .is_checked()
    )
    assert NotificationPreference.objects.get(user=citizen, kind=KIND).delivery == "digest"
    assert re.search(r"/notifications/preferences/$", page.url)
    assert_no_serious_axe_violations(page)
