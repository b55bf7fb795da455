"""Who may do what with action plans (object: the plan, or the member for creating one)."""

import rules

from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.rules import is_civil_servant, is_secretariat
from ogp_portal.users.types import AnyUser

from .choices import DRAFT_STATUSES
from .models import INSIDER_ROLES, ActionPlan, PolicyArea


@rules.predicate
def is_plan_civil_servant(user: AnyUser, plan: ActionPlan | None) -> bool:
    """A civil servant of the member the plan belongs to."""
    return plan is not None and access_for(user).has_role(plan.member_id, Role.CIVIL_SERVANT)


@rules.predicate
def is_plan_insider(user: AnyUser, plan: ActionPlan | None) -> bool:
    access = access_for(user)
    return plan is not None and any(access.has_role(plan.member_id, r) for r in INSIDER_ROLES)


@rules.predicate
def plan_is_published(user: AnyUser, plan: ActionPlan | None) -> bool:
    return plan is not None and plan.status not in DRAFT_STATUSES


@rules.predicate
def is_area_civil_servant(user: AnyUser, area: PolicyArea | None) -> bool:
    return area is not None and bool(is_plan_civil_servant(user, area.plan))


rules.add_perm("plans.add_actionplan", is_civil_servant)  # object: the member
rules.add_perm("plans.change_actionplan", is_plan_civil_servant)
rules.add_perm("plans.transition_actionplan", is_plan_civil_servant)
rules.add_perm("plans.view_actionplan", plan_is_published | is_plan_insider | is_secretariat)
rules.add_perm("plans.view_drafts_of_actionplan", is_plan_insider | is_secretariat)
rules.add_perm("plans.add_policyarea", is_plan_civil_servant)  # object: the plan
rules.add_perm("plans.change_policyarea", is_area_civil_servant)
# The plan's self-assessed level of public influence: the point of contact (a civil servant).
rules.add_perm("plans.set_influence", is_plan_civil_servant)
