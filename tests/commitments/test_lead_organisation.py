"""A commitment lead acts only on the commitments their own organisation leads (#13, item 2).

The lead role is held per member; the lead organisation (a record, not free text) says which
agency answers for a commitment. A lead of the Ministry of Justice must not report progress on,
nor complete milestones of, a commitment the Agency for Digital Government leads.
"""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment, ProgressUpdate
from commitments.services import NotAllowedToReport, progress_post
from ogp_portal.organisations.choices import OrganisationKind, Role
from ogp_portal.organisations.models import Organisation
from plans.choices import PlanStatus
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
    grant,
    join,
)

pytestmark = pytest.mark.django_db


def _agency(member, name):
    return OrganisationFactory(member=member, name=name, kind=OrganisationKind.GOVERNMENT_AGENCY)


@pytest.fixture
def plan_in_implementation(member):
    return PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION)


@pytest.fixture
def digital_commitment(member, plan_in_implementation):
    """A commitment the Agency for Digital Government leads, with one milestone."""
    agency = _agency(member, "Agency for Digital Government")
    commitment = CommitmentFactory(
        plan=plan_in_implementation,
        lead_institution="Agency for Digital Government",
        lead_organisation=agency,
    )
    MilestoneFactory(commitment=commitment)
    return commitment


@pytest.fixture
def justice_commitment(commitment_lead, plan_in_implementation):
    """A commitment the lead's own Ministry of Justice leads (CommitmentFactory's default)."""
    commitment = CommitmentFactory(plan=plan_in_implementation)
    MilestoneFactory(commitment=commitment)
    return commitment


def _report(client, commitment, status="complete"):
    milestone = commitment.milestones.get()
    return client.post(
        reverse("commitments:progress-create", args=[commitment.ogp_id]),
        {"milestone": milestone.pk, "milestone_status": status, "narrative": "All done."},
    )


def test_a_lead_cannot_report_on_another_agencys_commitment(
    client_for, commitment_lead, digital_commitment
):
    client = client_for(commitment_lead)
    url = reverse("commitments:progress-create", args=[digital_commitment.ogp_id])
    assert client.get(url).status_code == 403
    assert _report(client, digital_commitment).status_code == 403
    assert not ProgressUpdate.objects.exists()
    assert digital_commitment.milestones.get().status == "not_started"
    page = client.get(digital_commitment.get_absolute_url()).content.decode()
    assert url not in page  # no "post progress" link either


def test_a_lead_reports_on_their_own_agencys_commitment(
    client_for, commitment_lead, justice_commitment
):
    client = client_for(commitment_lead)
    assert _report(client, justice_commitment).status_code == 302
    assert justice_commitment.milestones.get().status == "complete"
    assert ProgressUpdate.objects.filter(commitment=justice_commitment).count() == 1


def test_a_lead_cannot_change_any_milestone_directly(
    client_for, commitment_lead, justice_commitment, digital_commitment
):
    # Editing milestones stays with the civil servants, for both agencies' commitments.
    client = client_for(commitment_lead)
    for commitment in (justice_commitment, digital_commitment):
        milestone = commitment.milestones.get()
        url = reverse("commitments:milestone-edit", args=[milestone.pk])
        response = client.post(url, {"description": "x", "status": "complete"})
        assert response.status_code == 403
        milestone.refresh_from_db()
        assert milestone.status == "not_started"


def test_the_service_refuses_a_lead_of_another_agency(commitment_lead, digital_commitment):
    with pytest.raises(NotAllowedToReport):
        progress_post(digital_commitment, actor=commitment_lead, narrative="Not mine.")
    assert not ProgressUpdate.objects.exists()


def test_a_lead_outside_the_lead_organisation_or_with_a_pending_membership_is_refused(
    client_for, member, justice_commitment
):
    ministry = justice_commitment.lead_organisation
    role_only = UserFactory()
    grant(role_only, Role.COMMITMENT_LEAD, member)  # the role, no organisation
    pending = UserFactory()
    grant(pending, Role.COMMITMENT_LEAD, member)
    join(pending, ministry, status="pending")
    member_only = UserFactory()
    join(member_only, ministry)  # of the ministry, without the lead role
    for user in (role_only, pending, member_only):
        assert _report(client_for(user), justice_commitment).status_code == 403
    assert justice_commitment.milestones.get().status == "not_started"


def test_supporting_organisations_do_not_report(client_for, member, digital_commitment):
    # The lead organisation answers for a commitment; a supporting one only helps.
    justice = Organisation.objects.create(
        member=member,
        name="Ministry of Justice",
        kind=OrganisationKind.GOVERNMENT_AGENCY,
        verified_at=timezone.now(),
    )
    digital_commitment.supporting_organisations.add(justice)
    lead = UserFactory()
    grant(lead, Role.COMMITMENT_LEAD, member)
    join(lead, justice)
    assert _report(client_for(lead), digital_commitment).status_code == 403


def test_civil_servants_still_report_on_every_commitment_of_their_member(
    client_for, civil_servant, digital_commitment
):
    assert _report(client_for(civil_servant), digital_commitment).status_code == 302


def test_the_workspace_lists_my_commitments(
    client_for, member, commitment_lead, justice_commitment, digital_commitment
):
    client = client_for(commitment_lead)
    page = client.get(reverse("organisations:member-workspace", args=[member.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "My commitments" in html
    assert justice_commitment.get_absolute_url() in html
    assert digital_commitment.get_absolute_url() not in html


def test_a_civil_servant_chooses_the_lead_organisation_among_the_members_own(
    client_for, civil_servant, member, other_member, justice_commitment
):
    agency = _agency(member, "Agency for Digital Government")
    foreign = _agency(other_member, "Agency for Digital Government")
    client = client_for(civil_servant)
    url = reverse("commitments:commitment-edit", args=[justice_commitment.ogp_id])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "policy_area"}
    data["start_date"] = justice_commitment.start_date.isoformat()
    data["end_date"] = justice_commitment.end_date.isoformat()
    response = client.post(url, data | {"lead_organisation": foreign.pk})
    assert response.status_code == 200  # re-rendered with the refusal
    justice_commitment.refresh_from_db()
    assert justice_commitment.lead_organisation.name == "Ministry of Justice"
    response = client.post(url, data | {"lead_organisation": agency.pk})
    assert response.status_code == 302
    justice_commitment.refresh_from_db()
    assert justice_commitment.lead_organisation == agency


def test_the_migration_links_the_lead_institution_by_name(member, other_member):
    # Given commitments whose text names an organisation of their member, of another member,
    # or nothing known
    ministry = _agency(member, "Ministry of Justice")
    _agency(other_member, "Court Service")
    plan = PlanFactory(member=member)
    named = CommitmentFactory(plan=plan, lead_institution="  ministry of JUSTICE ")
    foreign = CommitmentFactory(plan=plan, lead_institution="Court Service")
    unknown = CommitmentFactory(plan=plan, lead_institution="A body not registered")
    Commitment.objects.update(lead_organisation=None)
    # When the data migration runs
    migration = importlib.import_module("commitments.migrations.0006_link_lead_organisations")
    migration.link(apps, None)
    # Then only the matching name of the same member is linked; the text is kept
    for commitment in (named, foreign, unknown):
        commitment.refresh_from_db()
    assert named.lead_organisation == ministry
    assert named.lead_institution == "  ministry of JUSTICE "
    assert foreign.lead_organisation is None
    assert unknown.lead_organisation is None


def test_demo_ministry_of_justice_lead_cannot_complete_xv0003(client):
    # The finding as reported, against `make demo`'s data.
    call_command("load_demo", quiet_logins=True)
    xv3 = Commitment.objects.select_related("lead_organisation").get(ogp_id="XV0003")
    assert xv3.lead_organisation.name == "Agency for Digital Government"
    client.force_login(
        UserFactory._meta.model.objects.get(email="commitment.lead@demo.example.org")
    )
    milestone = xv3.milestones.exclude(status="complete").first()
    assert milestone is not None
    response = client.post(
        reverse("commitments:progress-create", args=["XV0003"]),
        {"milestone": milestone.pk, "milestone_status": "complete", "narrative": "Done."},
    )
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status != "complete"
    assert not xv3.progress_updates.filter(narrative="Done.").exists()
    workspace = client.get(reverse("organisations:member-workspace", args=["valdoria"]))
    html = workspace.content.decode()
    assert "XV0001" in html
    assert "XV0003" not in html
    own = Commitment.objects.get(ogp_id="XV0001")
    own_milestone = own.milestones.first()
    response = client.post(
        reverse("commitments:progress-create", args=["XV0001"]),
        {"milestone": own_milestone.pk, "narrative": "On track."},
    )
    assert response.status_code == 302
