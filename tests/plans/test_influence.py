"""The plan's level of public influence (#16, item 7): the point of contact records a level
per phase with what supports it; the portal proposes one from what it sees (answered inputs,
forum seats, commitment teams, forum decisions that gated adoption)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import CommitmentPartner
from forums.models import Forum, ForumSeat
from ogp_portal.core.models import AuditEvent
from plans.models import PlanInfluence
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import CommitmentFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="implementation")


def _text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _set(client, plan, **data):
    return client.post(reverse("plans:plan-influence-level", args=[plan.pk]), data)


def test_a_civil_servant_records_the_levels_and_the_plan_page_shows_them(
    client, client_for, civil_servant, plan
):
    response = _set(
        client_for(civil_servant),
        plan,
        co_creation_level="collaborate",
        co_creation_support="https://example.org/forum-decision-12",
        implementation_level="involve",
        implementation_support="The forum reviews progress twice a year.",
    )
    assert response.status_code == 302
    assert PlanInfluence.objects.get(plan=plan).co_creation_level == "collaborate"
    assert AuditEvent.objects.filter(action="plans.influence.set").exists()
    client.logout()
    text = _text(client.get(plan.get_absolute_url()))
    assert "Level of public influence" in text
    assert "Collaborate" in text
    assert "https://example.org/forum-decision-12" in text
    assert "The forum reviews progress twice a year." in text


def test_a_level_needs_its_support(client_for, civil_servant, plan):
    response = _set(client_for(civil_servant), plan, co_creation_level="empower")
    assert response.status_code == 200
    assert "Link the records that support this level" in response.content.decode()
    assert not PlanInfluence.objects.exists()


@pytest.mark.parametrize(
    "who", ["citizen", "cso_member", "msf_member", "other_member_civil_servant", "commitment_lead"]
)
def test_only_the_members_civil_servants_record_it(request, client_for, who, plan):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("plans:plan-influence-level", args=[plan.pk])).status_code == 403
    response = _set(client, plan, co_creation_level="inform", co_creation_support="x")
    assert response.status_code == 403
    assert not PlanInfluence.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, plan):
    response = _set(client, plan, co_creation_level="inform", co_creation_support="x")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_portal_proposes_levels_from_what_it_sees(
    client, member, cso, cso_member, civil_servant
):
    plan = PlanFactory(member=member, status="co_creation")
    page = _text(client.get(plan.get_absolute_url()))
    assert "Nothing on record yet." in page
    # An input answered with a published reasoned response: at least "consult"
    consultation = make_consultation(plan)
    proposal = make_proposal(cso_member, consultation)
    _respond(proposal, civil_servant)
    # Civil society on the forum: at least "involve"
    forum = Forum.objects.create(
        member=member, name="Forum", mandate="m", rules_of_participation="r"
    )
    today = timezone.localdate()
    ForumSeat.objects.create(
        forum=forum, name="Ana", sector="civil_society",
        term_starts_on=today - dt.timedelta(days=10), term_ends_on=today + dt.timedelta(days=300),
    )  # fmt: skip
    # A CSO partner on a commitment team: "collaborate" in implementation
    commitment = CommitmentFactory(plan=plan)
    CommitmentPartner.objects.create(commitment=commitment, organisation=cso)
    text = _text(client.get(plan.get_absolute_url()))
    assert "1 input answered with a published reasoned response" in text
    assert "Civil society holds seats on the multi-stakeholder forum" in text
    assert "1 commitment has civil-society partners on its team" in text
    assert "At least “Involve”" in text
    assert "At least “Collaborate”" in text


def _respond(proposal, civil_servant):
    """Publish a reasoned response to the proposal, through the service."""
    from consultations.services.proposals import proposal_decide

    proposal_decide(
        proposal, actor=civil_servant, decision="not_accepted", reason="Not in this cycle."
    )


def test_the_plan_page_stays_bounded(client, member, cso, plan, django_assert_max_num_queries):
    for _i in range(20):
        CommitmentPartner.objects.create(commitment=CommitmentFactory(plan=plan), organisation=cso)
    with django_assert_max_num_queries(40):
        assert client.get(plan.get_absolute_url()).status_code == 200
