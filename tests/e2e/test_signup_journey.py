"""A new citizen's first visit: sign up, confirm the e-mail, sign out and back in."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from .conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.e2e

EMAIL = "new.citizen@example.org"
PASSWORD = "Quiet-Harbour-Lantern-58"
CONFIRM_URL = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")


def header(page):
    return page.locator("header.site-header")


def assert_signed_in(page):
    assert header(page).get_by_role("button", name="Sign out").is_visible()
    profile = header(page).get_by_role("link", name=f"Profile ({EMAIL})")
    assert profile.is_visible()
    assert profile.get_attribute("href") == "/accounts/profile/"
    assert header(page).get_by_role("link", name="Sign in").count() == 0


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    # The focused skip link is on screen (it is only hidden while not focused).
    box = page.locator(".skip-link").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main$"))
    assert page.evaluate("document.activeElement.id") == "main"


def test_new_citizen_signs_up_confirms_signs_out_and_back_in(page):
    page.goto("/")
    assert_no_serious_axe_violations(page)

    # Sign up from the header.
    header(page).get_by_role("link", name="Sign up").click()
    page.wait_for_url("**/accounts/signup/")
    assert_no_serious_axe_violations(page)
    form = page.locator("form[action='/accounts/signup/']")
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_no_serious_axe_violations(page)

    # The verification e-mail: the live server runs in this process, so the locmem outbox
    # holds it.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    match = CONFIRM_URL.search(message.body)
    assert match, f"no confirmation link in the e-mail:\n{message.body}"
    confirm_path = urlsplit(match.group(0)).path

    page.goto(confirm_path)
    assert_no_serious_axe_violations(page)
    page.locator("main").get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: urlsplit(url).path != confirm_path)
    assert_signed_in(page)
    assert_no_serious_axe_violations(page)  # the signed-in header

    # Sign out: the header button posts a form.
    header(page).get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    assert header(page).get_by_role("link", name="Sign in").is_visible()
    assert header(page).get_by_role("button", name="Sign out").count() == 0

    # Sign in again with the same e-mail and password.
    header(page).get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/accounts/login/")
    assert_no_serious_axe_violations(page)
    form = page.locator("form[action='/accounts/login/']")
    form.locator("input[name=login]").fill(EMAIL)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    assert_signed_in(page)


def test_anonymous_visitor_is_sent_from_secretariat_to_login(page):
    page.goto("/secretariat/")  # follows the redirect

    url = urlsplit(page.url)
    assert url.path == "/accounts/login/"
    assert url.query == "next=/secretariat/"
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Sign In"
