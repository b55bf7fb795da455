"""Commitment teams (#16, item 4): the lead agency and civil-society partners co-own a
commitment's milestones and report progress; the member's civil servants and the lead manage
the team. Everything from the outside, over HTTP."""

import pytest
from django.urls import reverse

from commitments.models import CommitmentPartner, ProgressUpdate
from ogp_portal.core.models import AuditEvent
from ogp_portal.organisations.choices import OrganisationKind
from plans.choices import PlanStatus
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
    join,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(member, commitment_lead):
    """A commitment of the Ministry of Justice (commitment_lead's agency), in implementation."""
    plan = PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION)
    commitment = CommitmentFactory(plan=plan)
    MilestoneFactory(commitment=commitment)
    return commitment


@pytest.fixture
def other_cso(member):
    """A second verified CSO of the same member, with one approved member."""
    org = OrganisationFactory(name="Budget Lab", member=member, kind=OrganisationKind.CSO)
    user = UserFactory(email="budget.lab@example.org")
    join(user, org)
    return user


def _add(client, commitment, organisation):
    return client.post(
        reverse("commitments:partner-add", args=[commitment.ogp_id]),
        {"organisation": organisation.pk},
    )


def _report(client, commitment, status="in_progress"):
    return client.post(
        reverse("commitments:progress-create", args=[commitment.ogp_id]),
        {
            "milestone": commitment.milestones.get().pk,
            "milestone_status": status,
            "narrative": "Workshops held in three regions.",
        },
    )


def test_a_civil_servant_adds_a_cso_partner_who_then_reports_progress(
    client_for, civil_servant, cso, cso_member, commitment
):
    # Given a civil servant who puts the CSO on the team
    response = _add(client_for(civil_servant), commitment, cso)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="commitments.partner.added").count() == 1
    # When a member of the CSO posts progress
    client = client_for(cso_member)
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert reverse("commitments:progress-create", args=[commitment.ogp_id]) in page
    assert _report(client, commitment).status_code == 302
    # Then it is published, the milestone moves, and the CSO is named on the team
    assert ProgressUpdate.objects.get().author == cso_member
    assert commitment.milestones.get().status == "in_progress"
    html = client_for(UserFactory()).get(commitment.get_absolute_url()).content.decode()
    assert "Commitment team" in html
    assert "Civil-society partner:" in html
    assert cso.name in html


def test_a_cso_outside_the_team_cannot_report(
    client_for, civil_servant, cso, other_cso, commitment
):
    _add(client_for(civil_servant), commitment, cso)
    client = client_for(other_cso)
    url = reverse("commitments:progress-create", args=[commitment.ogp_id])
    assert client.get(url).status_code == 403
    assert _report(client, commitment).status_code == 403
    assert not ProgressUpdate.objects.exists()
    assert commitment.milestones.get().status == "not_started"


def test_a_partner_loses_the_pen_when_removed_or_when_its_verification_is_withdrawn(
    client_for, civil_servant, cso, cso_member, commitment
):
    _add(client_for(civil_servant), commitment, cso)
    partner = CommitmentPartner.objects.get()
    cso.verified_at = None
    cso.save()
    assert _report(client_for(cso_member), commitment).status_code == 403
    cso.refresh_from_db()
    from django.utils import timezone

    cso.verified_at = timezone.now()
    cso.save()
    client = client_for(civil_servant)
    url = reverse("commitments:partner-remove", args=[commitment.ogp_id, partner.pk])
    assert client.post(url).status_code == 302
    assert not CommitmentPartner.objects.exists()
    assert _report(client_for(cso_member), commitment).status_code == 403


def test_the_lead_manages_the_team_too(client_for, commitment_lead, cso, commitment):
    assert _add(client_for(commitment_lead), commitment, cso).status_code == 302
    assert CommitmentPartner.objects.filter(commitment=commitment, organisation=cso).exists()


@pytest.mark.parametrize(
    "who", ["cso_member", "citizen", "other_member_civil_servant", "msf_member"]
)
def test_others_cannot_change_the_team(request, client_for, who, cso, civil_servant, commitment):
    _add(client_for(civil_servant), commitment, cso)
    partner = CommitmentPartner.objects.get()
    client = client_for(request.getfixturevalue(who))
    intruder = OrganisationFactory(member=commitment.plan.member, name="Intruders")
    assert _add(client, commitment, intruder).status_code == 403
    remove = reverse("commitments:partner-remove", args=[commitment.ogp_id, partner.pk])
    assert client.post(remove).status_code == 403
    assert list(CommitmentPartner.objects.values_list("organisation", flat=True)) == [cso.pk]


def test_anonymous_people_are_sent_to_sign_in(client, cso, commitment):
    response = _add(client, commitment, cso)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not CommitmentPartner.objects.exists()


def test_only_verified_organisations_of_the_member_join_a_team(
    client_for, civil_servant, member, other_member, commitment
):
    client = client_for(civil_servant)
    unverified = OrganisationFactory(member=member, verified_at=None)
    foreign = OrganisationFactory(member=other_member)
    agency = OrganisationFactory(member=member, kind=OrganisationKind.GOVERNMENT_AGENCY)
    for organisation in (unverified, foreign, agency):
        _add(client, commitment, organisation)
    assert not CommitmentPartner.objects.exists()


def test_a_draft_commitment_is_not_found_by_outsiders(client_for, member, cso, cso_member):
    draft = CommitmentFactory(plan=PlanFactory(member=member, status=PlanStatus.DRAFTING))
    assert _add(client_for(cso_member), draft, cso).status_code == 404


def test_the_commitment_page_with_a_large_team_has_bounded_queries(
    client_for, civil_servant, member, commitment, django_assert_max_num_queries
):
    client = client_for(civil_servant)
    for i in range(15):
        _add(client, commitment, OrganisationFactory(member=member, name=f"CSO {i:02d}"))
    assert CommitmentPartner.objects.count() == 15
    with django_assert_max_num_queries(40):
        response = client.get(commitment.get_absolute_url())
    assert response.status_code == 200
    assert "CSO 14" in response.content.decode()
