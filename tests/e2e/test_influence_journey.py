"""In the browser: the influence page fits a phone and passes axe; a citizen comments on a
commitment's progress and the commitment lead answers in public."""

import datetime as dt

import pytest
from django.utils import timezone

from consultations.choices import InputKind, ResponseDecision, ResponseStatus
from consultations.models import InputEntry, ReasonedResponse
from tests.factories import CommitmentFactory, PlanFactory

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_influence_page_fits_a_phone_and_passes_axe(page, member):
    plan = PlanFactory(member=member, status="implementation")
    commitment = CommitmentFactory(plan=plan, title="Open court registers for everyone")
    response = ReasonedResponse.objects.create(
        plan=plan, status=ResponseStatus.PUBLISHED, decision=ResponseDecision.ACCEPTED,
        reason="Taken up.", published_at=timezone.now(),
    )  # fmt: skip
    response.commitments.add(commitment)
    for kind in (InputKind.PROPOSAL, InputKind.OFFLINE, InputKind.COMMENT, InputKind.FORUM):
        InputEntry.objects.create(plan=plan, kind=kind, title=f"{kind} input", response=response)
    InputEntry.objects.create(plan=plan, kind=InputKind.ANSWER, title="Waiting")

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/plans/{plan.pk}/influence/")
    page.get_by_role("heading", name="How input shaped the plan").wait_for()
    assert page.get_by_role("img", name="From input to decision to commitment").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_serious_axe_violations(page)


def test_a_citizen_comments_on_progress_and_the_lead_answers(
    page, live_server, member, commitment_lead, citizen
):
    today = timezone.localdate()
    plan = PlanFactory(
        member=member,
        status="implementation",
        period_start=today - dt.timedelta(days=200),
        period_end=today + dt.timedelta(days=300),
    )
    commitment = CommitmentFactory(plan=plan)

    sign_in(page, live_server, citizen)
    page.goto(commitment.get_absolute_url())
    page.get_by_label("Your comment").fill("When will the registers open?")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is posted.").wait_for()

    sign_in(page, live_server, commitment_lead)
    page.goto(commitment.get_absolute_url())
    page.get_by_text("Reply", exact=True).click()
    page.get_by_label("Your reply").fill("In June, in all courts.")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Answer from the commitment lead").wait_for()
    assert_no_serious_axe_violations(page)
