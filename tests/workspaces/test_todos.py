"""Workspace to-dos and the header count, seen from the outside: a to-do appears, links to
where it is done, disappears once done, and another member's items never show."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, Flag
from ogp_portal.core.models import EmailFailure
from ogp_portal.organisations.choices import MembershipStatus
from ogp_portal.organisations.models import OrganisationMembership
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
    join,
)

pytestmark = pytest.mark.django_db


def workspace(client, member):
    return client.get(
        reverse("organisations:member-workspace", args=[member.slug])
    ).content.decode()


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="co_creation")


@pytest.fixture
def consultation(plan):
    return make_consultation(plan)


def test_input_awaiting_response_appears_and_goes_once_answered(
    client_for, civil_servant, citizen, consultation, other_member
):
    proposal = make_proposal(citizen, consultation, title="Open the court registers")
    other_plan = PlanFactory(member=other_member, status="co_creation")
    make_proposal(citizen, make_consultation(other_plan), title="Elsewhere entirely")
    client = client_for(civil_servant)
    page = workspace(client, consultation.plan.member)
    assert "Inputs awaiting a published response" in page
    review = reverse("consultations:proposal-review", args=[proposal.pk])
    assert f'href="{review}"' in page
    assert "Open the court registers" in page
    assert "Elsewhere entirely" not in page
    # The header shows the count by the workspace link.
    assert "to do</span>" in page

    client.post(review, {"decision": "not_accepted", "reason": "Already done by the courts."})
    page = workspace(client, consultation.plan.member)
    assert "Open the court registers" not in page


def test_unannounced_consultation_and_minutes_to_publish(client_for, civil_servant, plan):
    draft = make_consultation(plan, title="Draft window", notice_published_at=None)
    page = workspace(client_for(civil_servant), plan.member)
    assert "Consultations to schedule" in page
    assert f'href="{draft.get_absolute_url()}"' in page


def test_plan_blockers_listed_for_civil_servants(client_for, civil_servant, citizen, consultation):
    make_proposal(citizen, consultation, title="Open the court registers")
    page = workspace(client_for(civil_servant), consultation.plan.member)
    assert "Plans and what blocks their adoption" in page
    assert "still need a published reasoned response" in page


def test_commitment_lead_sees_overdue_milestone_until_complete(
    client_for, commitment_lead, member, other_member
):
    plan = PlanFactory(member=member, status="implementation")
    commitment = CommitmentFactory(plan=plan)
    today = timezone.localdate()
    milestone = MilestoneFactory(
        commitment=commitment,
        description="Publish the registers",
        start_date=today - dt.timedelta(days=60),
        due_date=today - dt.timedelta(days=3),
    )
    MilestoneFactory(
        commitment=CommitmentFactory(plan=plan, lead_institution="Ministry of Finance"),
        description="Someone else's milestone",
        start_date=today - dt.timedelta(days=60),
        due_date=today - dt.timedelta(days=3),
    )
    client = client_for(commitment_lead)
    page = workspace(client, member)
    assert "Publish the registers" in page
    assert "overdue since" in page
    assert "Someone else" not in page
    assert reverse("commitments:progress-create", args=[commitment.ogp_id]) in page
    type(milestone).objects.filter(pk=milestone.pk).update(status="complete")
    assert "Publish the registers" not in workspace(client, member)


def test_cso_sees_its_draft_and_submitted_inputs(
    client_for, cso_member, other_member_cso_member, other_member, consultation
):
    from consultations.services.proposals import proposal_save

    draft = proposal_save(
        consultation, actor=cso_member, submit=False, title="Half-written idea", problem="x"
    )
    make_proposal(cso_member, consultation, title="Submitted idea")
    client = client_for(cso_member)
    page = workspace(client, consultation.plan.member)
    assert "Your drafts to finish and submit" in page
    assert reverse("consultations:proposal-edit", args=[draft.pk]) in page
    assert "Your inputs and their decisions" in page
    assert "Submitted idea" in page
    assert "Open calls for input" in page
    assert consultation.get_absolute_url() in page
    # Another member's CSO representative sees nothing of this member.
    assert "Half-written idea" not in workspace(client_for(other_member_cso_member), other_member)


def test_moderator_sees_flagged_comments_and_queue_link(
    client_for, moderator, citizen, consultation
):
    proposal = make_proposal(citizen, consultation)
    comment = Comment.objects.create(
        consultation=consultation, proposal=proposal, author=citizen, body="Rude", body_html="Rude"
    )
    Flag.objects.create(comment=comment, user=UserFactory(), reason="insulting")
    client = client_for(moderator)
    page = workspace(client, consultation.plan.member)
    queue = reverse("consultations:moderation-queue", args=[consultation.pk])
    assert "Flagged comments in the moderation queue" in page
    assert f'href="{queue}"' in page
    client.post(reverse("consultations:comment-hide", args=[comment.pk]), {"reason": "Insults."})
    assert f'href="{queue}"' not in workspace(client, consultation.plan.member)


def test_org_admin_sees_join_requests_until_answered(client_for, cso_member, cso, other_member):
    applicant = UserFactory(email="applicant@example.org")
    join(applicant, cso, status=MembershipStatus.PENDING)
    elsewhere = OrganisationFactory(name="Elsewhere CSO", member=other_member)
    join(UserFactory(email="stranger@example.org"), elsewhere, status=MembershipStatus.PENDING)
    client = client_for(cso_member)
    page = workspace(client, cso.member)
    assert "Join requests to answer" in page
    assert "applicant@example.org" in page or str(applicant) in page
    assert "stranger@example.org" not in page
    OrganisationMembership.objects.filter(user=applicant).update(status=MembershipStatus.APPROVED)
    assert "Join requests to answer" not in workspace(client, cso.member)


def test_secretariat_sees_organisations_to_verify_and_failures(client_for, secretariat, member):
    org = OrganisationFactory(name="Waiting CSO", member=member, verified_at=None)
    EmailFailure.objects.create(address="x@example.org", error="550")
    client = client_for(secretariat)
    page = client.get(reverse("organisations:secretariat")).content.decode()
    assert "Organisations to verify" in page
    assert "E-mails that could not be delivered" in page
    assert reverse("notifications:failure-list") in page
    home = client.get(reverse("core:home")).content.decode()
    assert "2 to do" in home  # the badge by the Secretariat link
    client.post(reverse("organisations:organisation-verify", args=[org.pk]))
    page = client.get(reverse("organisations:secretariat")).content.decode()
    assert "Waiting CSO</a>" not in page.split("Organisations to verify")[1].split("</ul>")[0]


def test_workspaces_of_other_roles_stay_quiet(client_for, citizen, member):
    # A citizen has no workspace and no badge.
    page = client_for(citizen).get(reverse("core:home")).content.decode()
    assert "to do</span>" not in page


def test_workspace_queries_are_bounded(
    client_for, civil_servant, citizen, consultation, django_assert_max_num_queries
):
    for i in range(40):
        make_proposal(citizen, consultation, title=f"Idea {i}")
    make_consultation(consultation.plan, title="Draft window", notice_published_at=None)
    client = client_for(civil_servant)
    with django_assert_max_num_queries(30):
        response = client.get(
            reverse("organisations:member-workspace", args=[consultation.plan.member.slug])
        )
    assert response.status_code == 200
    assert (
        response.content.decode().count('/review/"') == 11
    )  # ten listed, and the heading links the first
