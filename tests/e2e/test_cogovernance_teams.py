"""Civil society holds a pen too (#16), in a real browser: a CSO partner on a commitment team
posts progress and a CSO outside the team cannot; a coalition proposal appears on each
co-sponsor's page; a shadow assessment that disagrees is flagged on the commitment."""

import pytest
from django.urls import reverse

from commitments.models import CommitmentPartner, ProgressUpdate
from consultations.models import ProposalCosponsor
from ogp_portal.organisations.choices import OrganisationKind
from plans.choices import PlanStatus
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

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def budget_lab(member):
    return OrganisationFactory(name="Budget Lab", member=member, kind=OrganisationKind.CSO)


@pytest.fixture
def budget_lab_member(budget_lab):
    user = UserFactory(email="lab@example.org", name="Lara Lab")
    join(user, budget_lab, is_admin=True)
    return user


@pytest.fixture
def commitment(member, commitment_lead):
    plan = PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION)
    commitment = CommitmentFactory(plan=plan, title="Open court registers")
    MilestoneFactory(commitment=commitment, description="Publish the first register")
    return commitment


def test_a_team_partner_posts_progress_and_a_cso_outside_cannot(
    page, live_server, civil_servant, cso, cso_member, budget_lab_member, commitment
):
    # Given the civil servant puts the CSO on the commitment's team from its page
    sign_in(page, live_server, civil_servant)
    page.goto(commitment.get_absolute_url())
    page.get_by_label("Civil-society partner").select_option(label=cso.name)
    page.get_by_role("button", name="Add to the team").click()
    page.wait_for_load_state()
    assert CommitmentPartner.objects.filter(commitment=commitment, organisation=cso).exists()
    assert cso.name in page.locator("#team-heading + p + ul").inner_text()

    # When a member of that CSO posts progress
    sign_in(page, live_server, cso_member)
    page.goto(commitment.get_absolute_url())
    page.get_by_role("link", name="Post a progress update").click()
    page.get_by_label("What happened").fill("Volunteers checked the register in four courts.")
    page.get_by_role("button", name="Publish update").click()
    page.wait_for_load_state()

    # Then it is on the commitment page
    assert "Volunteers checked the register in four courts." in page.locator("main").inner_text()
    assert ProgressUpdate.objects.get().author == cso_member
    assert_no_serious_axe_violations(page)

    # And a CSO outside the team sees no button, and is refused at the form's address
    sign_in(page, live_server, budget_lab_member)
    page.goto(commitment.get_absolute_url())
    assert page.get_by_role("link", name="Post a progress update").count() == 0
    response = page.goto(reverse("commitments:progress-create", args=[commitment.ogp_id]))
    assert response is not None
    assert response.status == 403
    assert ProgressUpdate.objects.count() == 1


def test_a_coalition_proposal_appears_on_each_cosponsors_page(
    page, live_server, member, cso, cso_member, budget_lab, budget_lab_member
):
    consultation = make_consultation(PlanFactory(member=member, status="co_creation"))
    proposal = make_proposal(
        cso_member, consultation, title="Publish court decisions", organisation=cso
    )
    # Given the proposing CSO invites Budget Lab from the proposal page
    sign_in(page, live_server, cso_member)
    page.goto(proposal.get_absolute_url())
    page.get_by_label("Invite a co-sponsor").select_option(label="Budget Lab")
    page.get_by_role("button", name="Invite").click()
    page.wait_for_load_state()
    # When Budget Lab's admin accepts, from their organisation's page
    sign_in(page, live_server, budget_lab_member)
    page.goto(budget_lab.get_absolute_url())
    page.get_by_role("link", name="Publish court decisions").first.click()
    page.get_by_role("button", name="Co-sponsor for Budget Lab").click()
    page.wait_for_load_state()
    assert ProposalCosponsor.objects.get().status == "accepted"
    # Then the proposal is a coalition, and both organisations' public pages list it
    page.context.clear_cookies()
    page.goto(proposal.get_absolute_url())
    # (both organisations are verified: each name carries its "Verified" badge)
    coalition = f"Coalition of {cso.name} Verified, Budget Lab Verified"
    assert coalition in page.locator("main").inner_text()
    for organisation in (cso, budget_lab):
        page.goto(organisation.get_absolute_url())
        main = page.locator("main").inner_text()
        assert "Publish court decisions" in main
        assert "1 proposal" in main
    assert_no_serious_axe_violations(page)


def test_a_disagreeing_shadow_assessment_is_flagged_on_the_commitment(
    page, live_server, cso, cso_member, commitment
):
    # Given the government's status is "Not started"; the CSO says it is complete
    sign_in(page, live_server, cso_member)
    page.goto(reverse("commitments:commitment-monitoring", args=[commitment.ogp_id]))
    page.get_by_label("Implementation status as we see it").select_option(label="Complete")
    page.get_by_label("Our assessment").fill("The register is online and complete since May.")
    page.get_by_role("button", name="Publish assessment").click()
    page.wait_for_load_state()
    assert cso.name in page.locator("main").inner_text()  # the monitoring page again
    assert_no_serious_axe_violations(page)
    # Then anyone reading the commitment is told civil society sees it otherwise
    page.context.clear_cookies()
    page.goto(commitment.get_absolute_url())
    flag = page.locator("#civil-society-differs").inner_text()
    assert "Civil society assesses this differently:" in flag
    assert f"{cso.name}: Complete" in flag
    page.get_by_role("link", name="Compare the assessments").click()
    assert "The register is online and complete since May." in page.locator("main").inner_text()
    assert_no_serious_axe_violations(page)
