"""A civil servant drafts a plan in the browser; a citizen sees what is public, not the drafts."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from commitments.models import Commitment
from plans.models import ActionPlan

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_civil_servant_drafts_a_plan_and_citizen_sees_only_the_public_parts(
    page, live_server, civil_servant, citizen, member
):
    sign_in(page, live_server, civil_servant)

    # Create the plan
    page.goto("/plans/")
    page.get_by_role("link", name="Start a new plan for Member A").click()
    page.get_by_label("Title").fill("First National Action Plan 2026–2027")
    page.get_by_label("Period start").fill("2026-01-01")
    page.get_by_label("Period end").fill("2027-12-31")
    page.get_by_label("Introduction and long-term vision").fill(
        "A government that people can see into and shape."
    )
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Create the plan").click()
    page.get_by_text("The plan is created in planning.").wait_for()
    plan = ActionPlan.objects.get()

    # Two policy areas
    for name in ("Access to Justice", "Digital Governance"):
        page.get_by_role("link", name="Add a policy area").click()
        page.get_by_label("Name").fill(name)
        page.get_by_role("button", name="Save").click()
        page.get_by_text("The policy area is saved.").wait_for()

    # Three commitments, each with a milestone
    for title, area in [
        ("Free legal aid you can find", "Access to Justice"),
        ("Plain-language court letters", "Access to Justice"),
        ("Open data by default", "Digital Governance"),
    ]:
        page.goto(plan.get_absolute_url())
        page.get_by_role("link", name="Add a commitment").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Plain-language summary").fill(f"{title}: what changes for people.")
        # The form gives a plain-language hint while the summary is written
        hint = page.locator("#id_summary_readability").inner_text()
        assert hint.startswith("Plain-language check:")
        assert hint.endswith("Easy to read.")
        page.get_by_label("Policy area").select_option(label=area)
        page.get_by_label("Lead institution").fill("Ministry of Justice")
        page.get_by_label("What is the commitment (the solution)?").fill("Publish the register.")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Add its milestones next").wait_for()
        page.get_by_role("link", name="Add a milestone").click()
        page.get_by_label(re.compile(r"^Milestone:?$")).fill(f"First step of {title}")
        page.get_by_label("Start date").fill("2026-02-01")
        page.get_by_label("Expected completion date").fill("2026-09-30")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("The milestone is saved.").wait_for()
    assert Commitment.objects.filter(plan=plan).count() == 3
    commitment = Commitment.objects.get(title="Free legal aid you can find")
    assert commitment.milestones.count() == 1
    assert_no_serious_axe_violations(page)

    # Edit one commitment twice, then read the diff
    for text in (
        "Publish the register as open data.",
        "Publish the register as open data monthly.",
    ):
        page.goto(commitment.get_absolute_url())
        page.get_by_role("link", name="Edit", exact=True).click()
        page.get_by_label("What is the commitment (the solution)?").fill(text)
        page.get_by_role("button", name="Save").click()
        page.get_by_text("The commitment is saved.").wait_for()
    page.get_by_role("link", name="Versions and changes").click()
    assert page.locator("td.diff-new ins").first.inner_text().strip() == "monthly"
    # created + two edits of the commitment, and its milestone's creation
    assert page.locator("section.version").count() == 4
    assert_no_serious_axe_violations(page)

    # Give notice, then (15 days later) open co-creation
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Edit the plan's text").click()
    page.get_by_label("Co-creation timeline and ways to take part").fill(
        "February: idea collection online and in regional workshops."
    )
    page.get_by_role("button", name="Save").click()
    # Stages that make the plan public ask for confirmation on a page of their own
    page.get_by_role("link", name="Move to “Notice period”").click()
    page.wait_for_url(f"**/plans/{plan.pk}/transition/notice/")
    assert page.get_by_text("the notice period starts").is_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Yes, move the plan to “Notice period”").click()
    page.get_by_text("The plan is now in “Notice period”").wait_for()
    assert page.get_by_text("must be public for 14 days").is_visible()
    # Fifteen days pass (the notice was published 15 days earlier than it really was)
    ActionPlan.objects.filter(pk=plan.pk).update(
        notice_published_at=timezone.now() - dt.timedelta(days=15)
    )
    page.reload()
    page.get_by_role("button", name="Move to “Co-creation”").click()
    page.get_by_text("The plan is now in “Co-creation”").wait_for()
    assert_no_serious_axe_violations(page)

    # A citizen sees the plan, its sections and themes, but not the draft commitments
    sign_in(page, live_server, citizen)
    page.goto(plan.get_absolute_url())
    page.get_by_role("heading", name="First National Action Plan 2026–2027").wait_for()
    assert page.get_by_text("A government that people can see into and shape.").is_visible()
    assert page.get_by_role("heading", name="Digital Governance").is_visible()
    assert page.get_by_text("The commitments are being drafted").is_visible()
    assert page.get_by_text("Free legal aid you can find").count() == 0
    assert page.get_by_role("link", name="Edit the plan's text").count() == 0
    response = page.goto(commitment.get_absolute_url())
    assert response.status == 404
    assert_no_serious_axe_violations(page)
