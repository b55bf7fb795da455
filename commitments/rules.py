"""Who may do what with commitments, milestones and progress updates."""

import rules

from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.choices import ACTING_KINDS, Role
from ogp_portal.organisations.models import Organisation
from ogp_portal.organisations.rules import is_cso_representative, is_secretariat
from ogp_portal.users.types import AnyUser
from plans.choices import PUBLIC_CONTENT_STATUSES
from plans.rules import is_plan_civil_servant

from .models import Commitment, Milestone


@rules.predicate
def is_commitment_civil_servant(user: AnyUser, commitment: Commitment | None) -> bool:
    return commitment is not None and bool(is_plan_civil_servant(user, commitment.plan))


@rules.predicate
def is_commitment_lead(user: AnyUser, commitment: Commitment | None) -> bool:
    """A commitment lead of the member who is an approved member of the commitment's lead
    organisation: the lead role alone is member-wide, so without the organisation a lead of
    one agency could report on another agency's commitment. Supporting organisations do not
    report; the lead organisation answers for the commitment. No lead organisation, no lead."""
    if commitment is None or commitment.lead_organisation_id is None:
        return False
    access = access_for(user)
    return (
        access.has_role(commitment.plan.member_id, Role.COMMITMENT_LEAD)
        and commitment.lead_organisation_id in access.approved_organisation_ids
    )


@rules.predicate
def is_commitment_partner(user: AnyUser, commitment: Commitment | None) -> bool:
    """An approved member of a civil-society partner on the commitment's team, while that
    organisation may still be acted for in the member's processes (verified, of a kind that
    takes part): the acting-for rule of organisations/rules.py, as a query."""
    if commitment is None:
        return False
    approved = access_for(user).approved_organisation_ids
    if not approved:
        return False
    return (
        Organisation.objects.may_take_part_for(commitment.plan.member_id, kinds=ACTING_KINDS)
        .filter(pk__in=approved, commitment_partnerships__commitment=commitment)
        .exists()
    )


@rules.predicate
def is_commitment_cso(user: AnyUser, commitment: Commitment | None) -> bool:
    """Represents a verified CSO of the commitment's member (may publish its own assessment)."""
    return commitment is not None and bool(is_cso_representative(user, commitment.plan.member))


@rules.predicate
def commitment_is_public(user: AnyUser, commitment: Commitment | None) -> bool:
    return commitment is not None and commitment.plan.status in PUBLIC_CONTENT_STATUSES


@rules.predicate
def is_milestone_civil_servant(user: AnyUser, milestone: Milestone | None) -> bool:
    return milestone is not None and bool(is_commitment_civil_servant(user, milestone.commitment))


rules.add_perm("commitments.add_commitment", is_plan_civil_servant)  # object: the plan
rules.add_perm("commitments.import_commitments", is_plan_civil_servant)  # object: the plan
rules.add_perm("commitments.change_commitment", is_commitment_civil_servant)
rules.add_perm("commitments.add_milestone", is_commitment_civil_servant)  # object: commitment
rules.add_perm("commitments.change_milestone", is_milestone_civil_servant)
rules.add_perm(
    "commitments.post_progress",
    is_commitment_lead | is_commitment_civil_servant | is_commitment_partner,
)  # object: the commitment
# The team: the member's civil servants (the point of contact among them) and the lead.
rules.add_perm(
    "commitments.manage_team", is_commitment_civil_servant | is_commitment_lead
)  # object: the commitment
# Shadow monitoring: civil society's own assessment, once the commitment is public.
rules.add_perm(
    "commitments.publish_assessment", is_commitment_cso & commitment_is_public
)  # object: the commitment
# Closure (issue #17): the lead or the member's civil servants assess completion; civil
# servants carry a commitment over; staff (the member's civil servants, the secretariat)
# import the IRM's published assessments (object: the plan).
rules.add_perm(
    "commitments.assess_completion", is_commitment_lead | is_commitment_civil_servant
)  # object: the commitment
rules.add_perm("commitments.carry_over", is_commitment_civil_servant)  # object: the commitment
rules.add_perm("commitments.import_irm_assessments", is_plan_civil_servant | is_secretariat)
