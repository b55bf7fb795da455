"""A citizen on a phone reads the portal in Arabic, right to left: chooses Arabic in the
switcher, finds the open consultation, signs in and comments on a proposal. Every page is
dir=rtl, fits a 375 px screen and has no serious accessibility violation; the home page has
none in any of the four languages either."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, Consultation
from consultations.services.proposals import proposal_save
from tests.factories import PASSWORD, PlanFactory, UserFactory

from .conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


def assert_right_to_left_and_fits(page):
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def open_menu(page):
    """On a phone the header menu (language switcher included) folds behind a "Menu" button."""
    page.locator("label.menu-button").click()


def test_a_citizen_comments_in_arabic_on_a_phone(page, live_server, member, citizen):
    # Given an open consultation with one proposal
    now = timezone.now()
    plan = PlanFactory(member=member, status="co_creation", title="Second National Action Plan")
    consultation = Consultation.objects.create(
        plan=plan,
        title="Ideas for the second plan",
        kind="idea_collection",
        description="What should the plan do?",
        notice_published_at=now - timezone.timedelta(days=20),
        opens_at=now - timezone.timedelta(hours=1),
        closes_at=now + timezone.timedelta(days=7),
    )
    proposal = proposal_save(
        consultation, actor=UserFactory(), submit=True, title="Court data portal"
    )
    page.set_viewport_size(PHONE)

    # The citizen opens the home page and switches to Arabic
    page.goto("/")
    open_menu(page)
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert page.get_by_role("heading", name="نُنشئ الحكومة المنفتحة معًا، وعلى الملأ").is_visible()
    assert_right_to_left_and_fits(page)
    assert_no_serious_axe_violations(page)

    # … finds the open consultation from the menu, and its proposal
    open_menu(page)
    page.get_by_role("link", name="المشاورات", exact=True).first.click()
    page.get_by_role("link", name="Ideas for the second plan").click()
    page.wait_for_url(f"**{consultation.get_absolute_url()}")
    assert_right_to_left_and_fits(page)
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Court data portal").first.click()
    page.wait_for_url(f"**{proposal.get_absolute_url()}")
    assert_right_to_left_and_fits(page)

    # … signs in (the form is in Arabic) and comes back to the proposal
    page.get_by_role("link", name="تسجيل الدخول").first.click()
    page.wait_for_url("**/accounts/login/**")
    assert_right_to_left_and_fits(page)
    assert_no_serious_axe_violations(page)
    form = page.locator("form[action^='/accounts/login/']")
    form.locator("input[name=login]").fill(citizen.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/accounts/login/")
    page.goto(proposal.get_absolute_url())

    # … and comments
    page.get_by_label("تعليقك", exact=True).fill("فكرة ممتازة، **أؤيدها**.")
    page.get_by_role("button", name="نشر التعليق").click()
    page.get_by_text("نُشر تعليقك.").wait_for()
    assert Comment.objects.get(proposal=proposal).body == "فكرة ممتازة، **أؤيدها**."
    assert_right_to_left_and_fits(page)
    assert_no_serious_axe_violations(page)


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_home_page_and_guides_have_no_serious_violation_in_each_language(
    page, live_server, language
):
    page.set_viewport_size(PHONE)
    page.goto("/")
    open_menu(page)
    page.get_by_label("Language").select_option(language)
    page.get_by_role("button", name="Change").click()
    page.wait_for_function(f"document.documentElement.lang === '{language}'")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert_no_serious_axe_violations(page)
    page.goto(reverse("guides:take-part"))
    assert_no_serious_axe_violations(page)
    page.goto(reverse("guides:resource-list"))
    assert_no_serious_axe_violations(page)
