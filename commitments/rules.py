"""Who may do what with commitments, milestones and progress updates."""

import rules

from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.rules import is_secretariat
from ogp_portal.users.types import AnyUser
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
def is_milestone_civil_servant(user: AnyUser, milestone: Milestone | None) -> bool:
    return milestone is not None and bool(is_commitment_civil_servant(user, milestone.commitment))


rules.add_perm("commitments.add_commitment", is_plan_civil_servant)  # object: the plan
rules.add_perm("commitments.import_commitments", is_plan_civil_servant)  # object: the plan
rules.add_perm("commitments.change_commitment", is_commitment_civil_servant)
rules.add_perm("commitments.add_milestone", is_commitment_civil_servant)  # object: commitment
rules.add_perm("commitments.change_milestone", is_milestone_civil_servant)
rules.add_perm(
    "commitments.post_progress", is_commitment_lead | is_commitment_civil_servant
)  # object: the commitment
# Closure (issue #17): the lead or the member's civil servants assess completion; civil
# servants carry a commitment over; staff (the member's civil servants, the secretariat)
# import the IRM's published assessments (object: the plan).
rules.add_perm(
    "commitments.assess_completion", is_commitment_lead | is_commitment_civil_servant
)  # object: the commitment
rules.add_perm("commitments.carry_over", is_commitment_civil_servant)  # object: the commitment
rules.add_perm("commitments.import_irm_assessments", is_plan_civil_servant | is_secretariat)
