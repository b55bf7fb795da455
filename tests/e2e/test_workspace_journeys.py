"""Each role, on a 375 px phone screen, starts from its workspace (reached through the menu,
no typed URL) and reaches its goal; axe finds no serious violation on any page visited."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from commitments.models import ProgressUpdate
from consultations.models import Comment, Flag, Proposal
from consultations.services.proposals import proposal_save
from ogp_portal.organisations.choices import MembershipStatus
from ogp_portal.organisations.models import Organisation, OrganisationMembership
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
    join,
)

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}


def checked(page):
    """axe, and the page fits the phone's width."""
    assert_no_serious_axe_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def open_workspace(page, live_server, user, link_name):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, user)
    page.goto("/")
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name=re.compile(link_name)).first.click()
    checked(page)


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="co_creation")


@pytest.fixture
def consultation(plan):
    return make_consultation(plan, title="Ideas for the next plan")


def test_civil_servant_answers_an_input(page, live_server, civil_servant, citizen, consultation):
    proposal = make_proposal(citizen, consultation, title="Open the court registers")
    open_workspace(page, live_server, civil_servant, "Workspace: Member A")
    page.get_by_role("link", name=re.compile("Open the court registers")).first.click()
    checked(page)
    page.get_by_label("Not accepted").check()
    page.get_by_label("Reasoned response").fill("The courts publish them already.")
    page.get_by_role("button", name="Publish the decision").click()
    checked(page)
    proposal.refresh_from_db()
    assert proposal.response.reason == "The courts publish them already."


def test_commitment_lead_posts_progress_on_a_due_milestone(
    page, live_server, commitment_lead, member
):
    plan = PlanFactory(member=member, status="implementation")
    commitment = CommitmentFactory(plan=plan)
    today = timezone.localdate()
    MilestoneFactory(
        commitment=commitment,
        description="Publish the registers",
        start_date=today - dt.timedelta(days=60),
        due_date=today + dt.timedelta(days=5),
    )
    open_workspace(page, live_server, commitment_lead, "Workspace: Member A")
    page.get_by_role("link", name=re.compile("Publish the registers")).click()
    checked(page)
    page.locator("select[name=milestone]").select_option(index=1)
    page.locator("textarea[name=narrative]").fill("The first registers are online.")
    page.get_by_role("button", name=re.compile("Post|Publish|Save")).first.click()
    checked(page)
    assert ProgressUpdate.objects.filter(narrative="The first registers are online.").exists()


def test_cso_finds_its_draft_and_submits_it(page, live_server, cso_member, consultation):
    draft = proposal_save(
        consultation, actor=cso_member, submit=False, title="Half-written idea", problem="x"
    )
    open_workspace(page, live_server, cso_member, "Workspace: Member A")
    page.get_by_role("link", name="Half-written idea").click()
    checked(page)
    page.get_by_role("button", name="Submit", exact=True).click()
    checked(page)
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_moderator_hides_a_flagged_comment(page, live_server, moderator, citizen, consultation):
    proposal = make_proposal(citizen, consultation)
    comment = Comment.objects.create(
        consultation=consultation, proposal=proposal, author=citizen, body="Rude", body_html="Rude"
    )
    Flag.objects.create(comment=comment, user=UserFactory(), reason="insulting")
    open_workspace(page, live_server, moderator, "Workspace: Member A")
    page.get_by_role("link", name="Ideas for the next plan").first.click()
    checked(page)
    page.get_by_label("Reason (published in place of the comment)").fill("Insults.")
    page.get_by_role("button", name="Hide").click()
    checked(page)
    comment.refresh_from_db()
    assert comment.moderation_state == "hidden"


def test_org_admin_accepts_a_join_request(page, live_server, cso_member, cso):
    applicant = UserFactory(email="applicant@example.org", name="Ada Applicant")
    join(applicant, cso, status=MembershipStatus.PENDING)
    open_workspace(page, live_server, cso_member, "Workspace: Member A")
    page.get_by_role("link", name=re.compile("Ada Applicant")).click()
    checked(page)
    page.get_by_role("button", name=re.compile("Approve Ada Applicant")).click()
    checked(page)
    assert OrganisationMembership.objects.get(user=applicant).status == MembershipStatus.APPROVED


def test_secretariat_verifies_an_organisation(page, live_server, secretariat, member):
    OrganisationFactory(name="Waiting CSO", member=member, verified_at=None)
    open_workspace(page, live_server, secretariat, "Secretariat")
    page.get_by_role("button", name="Verify Waiting CSO").click()
    checked(page)
    assert Organisation.objects.get(name="Waiting CSO").is_verified


def test_citizen_comments_on_an_open_consultation_from_home(
    page, live_server, citizen, cso_member, consultation
):
    make_proposal(cso_member, consultation, title="Open the court registers")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, citizen)
    page.goto("/")
    checked(page)
    page.get_by_role("link", name="Ideas for the next plan").first.click()
    checked(page)
    page.get_by_role("link", name="Open the court registers").first.click()
    checked(page)
    page.get_by_label("Your comment").fill("Please include the regional courts.")
    page.get_by_role("button", name="Post comment").click()
    checked(page)
    assert Comment.objects.filter(body__contains="regional courts").exists()
    assert Proposal.objects.count() == 1
