"""Coalitions (#16, item 5): several verified CSOs co-sponsor one proposal. The proposing
organisation invites; an approved member of an invited organisation answers; the proposal
says "Coalition of …" and each co-sponsor's public page lists and counts it."""

import re

import pytest
from django.urls import reverse

from consultations.models import ProposalCosponsor
from ogp_portal.core.models import AuditEvent
from ogp_portal.organisations.choices import OrganisationKind
from tests.factories import OrganisationFactory, UserFactory, join

from .test_services import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_lab(member):
    return OrganisationFactory(name="Budget Lab", member=member, kind=OrganisationKind.CSO)


@pytest.fixture
def budget_lab_member(budget_lab):
    user = UserFactory(email="lab@example.org")
    join(user, budget_lab)
    return user


@pytest.fixture
def coalition_proposal(cso, cso_member, consultation):
    return make_proposal(cso_member, consultation, organisation=cso)


def _text(response):
    """The page as a reader sees it: tags out, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


def _invite(client, proposal, organisation):
    return client.post(
        reverse("consultations:cosponsor-invite", args=[proposal.pk]),
        {"organisation": organisation.pk},
    )


def _answer(client, invitation, action="accept"):
    return client.post(
        reverse("consultations:cosponsorship-answer", args=[invitation.pk]), {"action": action}
    )


def test_a_coalition_forms_and_shows_on_the_proposal_and_each_cosponsors_page(
    client, client_for, cso, cso_member, budget_lab, budget_lab_member, coalition_proposal
):
    # Given the proposing CSO invites Budget Lab
    assert _invite(client_for(cso_member), coalition_proposal, budget_lab).status_code == 302
    invitation = ProposalCosponsor.objects.get()
    assert invitation.status == "invited"
    # Budget Lab's members see the invitation on their organisation's page
    lab_client = client_for(budget_lab_member)
    lab_page = lab_client.get(budget_lab.get_absolute_url()).content.decode()
    assert "Invitations to co-sponsor" in lab_page
    # When a member of Budget Lab accepts
    assert _answer(lab_client, invitation).status_code == 302
    assert AuditEvent.objects.filter(action="consultations.cosponsor.accepted").exists()
    client.logout()
    # Then the proposal says it is a coalition, publicly
    text = _text(client.get(coalition_proposal.get_absolute_url()))
    # (both organisations are verified, so each name carries its "Verified" badge)
    assert f"Coalition of {cso.name} Verified, Budget Lab Verified" in text
    # And each co-sponsor's public page lists it and counts it
    for organisation in (cso, budget_lab):
        page = client.get(organisation.get_absolute_url()).content.decode()
        assert coalition_proposal.title in page
        assert "1 proposal" in page
    assert (
        "1 co-sponsored in a coalition"
        in client.get(budget_lab.get_absolute_url()).content.decode()
    )


def test_a_declined_invitation_leaves_no_coalition(
    client, client_for, cso_member, budget_lab, budget_lab_member, coalition_proposal
):
    _invite(client_for(cso_member), coalition_proposal, budget_lab)
    _answer(client_for(budget_lab_member), ProposalCosponsor.objects.get(), "decline")
    assert ProposalCosponsor.objects.get().status == "declined"
    client.logout()
    assert "Coalition of" not in client.get(coalition_proposal.get_absolute_url()).content.decode()
    assert (
        coalition_proposal.title not in client.get(budget_lab.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    "who", ["budget_lab_member", "citizen", "civil_servant", "other_member_cso_member"]
)
def test_only_the_proposing_organisation_invites(
    request, client_for, who, budget_lab, coalition_proposal
):
    client = client_for(request.getfixturevalue(who))
    assert _invite(client, coalition_proposal, budget_lab).status_code == 403
    assert not ProposalCosponsor.objects.exists()


@pytest.mark.parametrize(
    "who", ["cso_member", "citizen", "civil_servant", "other_member_cso_member"]
)
def test_only_the_invited_organisation_answers(
    request, client_for, who, cso_member, budget_lab, coalition_proposal
):
    _invite(client_for(cso_member), coalition_proposal, budget_lab)
    invitation = ProposalCosponsor.objects.get()
    assert _answer(client_for(request.getfixturevalue(who)), invitation).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_anonymous_people_are_sent_to_sign_in(
    client, client_for, cso_member, budget_lab, coalition_proposal
):
    _invite(client_for(cso_member), coalition_proposal, budget_lab)
    client.logout()
    response = _invite(client, coalition_proposal, budget_lab)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = _answer(client, ProposalCosponsor.objects.get())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert ProposalCosponsor.objects.get().status == "invited"


def test_only_verified_organisations_of_the_same_member_can_be_invited(
    client_for, member, other_member, cso, cso_member, coalition_proposal
):
    client = client_for(cso_member)
    for organisation in (
        OrganisationFactory(member=member, verified_at=None),
        OrganisationFactory(member=other_member),
        OrganisationFactory(member=member, kind=OrganisationKind.GOVERNMENT_AGENCY),
        cso,
    ):
        _invite(client, coalition_proposal, organisation)
    assert not ProposalCosponsor.objects.exists()


def test_an_invitation_is_answered_once(
    client_for, cso_member, budget_lab, budget_lab_member, coalition_proposal
):
    _invite(client_for(cso_member), coalition_proposal, budget_lab)
    invitation = ProposalCosponsor.objects.get()
    client = client_for(budget_lab_member)
    _answer(client, invitation, "accept")
    _answer(client, invitation, "decline")
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_organisation_page_with_many_coalition_proposals_has_bounded_queries(
    client, cso_member, cso, consultation, budget_lab, django_assert_max_num_queries
):
    for i in range(40):
        proposal = make_proposal(cso_member, consultation, title=f"Idea {i}", organisation=cso)
        ProposalCosponsor.objects.create(
            proposal=proposal, organisation=budget_lab, status="accepted"
        )
    with django_assert_max_num_queries(12):
        response = client.get(budget_lab.get_absolute_url())
    html = response.content.decode()
    assert "40 proposals" in html
    assert "40 co-sponsored in coalitions" in html
    with django_assert_max_num_queries(25):
        assert client.get(proposal.get_absolute_url()).status_code == 200
